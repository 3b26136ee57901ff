package wizard

import (
	"errors"
	"fmt"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Errors of changing security info, checked with errors.Is.
var (
	// ErrRequiredMethod means the method is the last of a kind the policy
	// requires.
	ErrRequiredMethod = words.New("your organisation requires this method: add another of the same kind before deleting it",
		"Your organisation requires this method, so it can't be deleted. To replace it, add the new one first.")
	// ErrTooFewMethods means deleting would leave fewer methods than the
	// policy asks for.
	ErrTooFewMethods = words.New("deleting it would leave fewer methods than your organisation requires",
		"Your organisation requires at least this many methods, so this one can't be deleted. Add another first.")
	// ErrNotDefaultable means the method can't be used to sign in.
	ErrNotDefaultable = words.New("this method can't be the default sign-in method",
		"This method can't be your default sign-in method: it is for password reset only.")
	// ErrCantRename means the method has no name to change.
	ErrCantRename = words.New("this method's name can't be changed",
		"This method's name can't be changed.")
)

// find returns account's method id.
func (f *Flow) find(account, id string) (info.Method, []info.Method, error) {
	ms, err := f.cfg.Dir.Methods(account)
	if err != nil {
		return info.Method{}, nil, fmt.Errorf("reading security info: %w", err)
	}
	for _, m := range ms {
		if m.ID == id {
			return m, ms, nil
		}
	}
	return info.Method{}, ms, info.ErrNoMethod
}

// changing returns the signed-in session on the Security info page, if
// the person may change their security info now (mayChange).
func (f *Flow) changing(adding info.Kind) (session, error) {
	s, err := f.on(PageManage)
	if err != nil {
		return s, err
	}
	return s, f.mayChange(s.account, adding)
}

// changingMethod is changing for one of the signed-in person's methods:
// the session, the method with that id, and all their methods.
func (f *Flow) changingMethod(id string) (session, info.Method, []info.Method, error) {
	s, err := f.changing("")
	if err != nil {
		return s, info.Method{}, nil, err
	}
	m, ms, err := f.find(s.account, id)
	return s, m, ms, err
}

// DefaultSignIn returns the signed-in person's default sign-in method.
// It reads storage.
func (f *Flow) DefaultSignIn() (info.Method, bool, error) {
	name := f.Account()
	if name == "" {
		return info.Method{}, false, ErrNotSignedIn
	}
	acct, err := f.cfg.Dir.Account(name)
	if err != nil {
		return info.Method{}, false, err
	}
	ms, err := f.cfg.Dir.Methods(name)
	if err != nil {
		return info.Method{}, false, err
	}
	m, ok := DefaultOf(acct, ms)
	return m, ok, nil
}

// DeleteMethod deletes one of the signed-in person's methods (all their
// recovery codes, for a recovery code), on the Security info page, after
// a recent second factor, unless that would take the account below the
// policy: the last method of a required kind (ErrRequiredMethod), or
// fewer kinds than MinMethods (ErrTooFewMethods). It writes to storage
// and audits.
func (f *Flow) DeleteMethod(id string) error {
	s, m, ms, err := f.changingMethod(id)
	if err != nil {
		return err
	}
	if m.Kind == info.KindAppPassword {
		return f.DeleteAppPassword(m)
	}
	same, kinds := 0, map[info.Kind]bool{}
	for _, x := range ms {
		if x.Kind == m.Kind {
			same++
		}
		if Known(x.Kind) {
			kinds[x.Kind] = true
		}
	}
	if m.Kind == info.KindRecoveryCodes {
		same = 1 // the set goes as one
	}
	if same == 1 {
		if containsKind(f.cfg.Policy.Required, m.Kind) {
			return ErrRequiredMethod
		}
		if len(kinds)-1 < f.cfg.Policy.MinMethods {
			return ErrTooFewMethods
		}
	}
	if err := f.removeMethod(s.account, m, ms); err != nil {
		return fmt.Errorf("delete the method: %w", err)
	}
	return f.auditDone("", info.ActionMethodRemoved, s.account, string(m.Kind))
}

// removeMethod removes m, one of account's methods ms, from storage: for
// a recovery code, the whole set, since the set goes as one (a code left
// over would still sign in in place of a second factor). It is the one
// rule of the Security info page's Delete and the helpdesk's Remove.
func (f *Flow) removeMethod(account string, m info.Method, ms []info.Method) error {
	if m.Kind != info.KindRecoveryCodes {
		return f.cfg.Dir.RemoveMethod(account, m.ID)
	}
	for _, c := range recovery.Codes(ms) {
		if err := f.cfg.Dir.RemoveMethod(account, c.ID); err != nil && !errors.Is(err, info.ErrNoMethod) {
			return fmt.Errorf("removing the recovery codes: %w", err)
		}
	}
	return nil
}

// RenameMethod changes the name of one of the signed-in person's
// authenticator apps or security keys, after a recent second factor. It
// writes to storage and audits, unless name (trimmed) is the name the
// method has: then nothing changes, and nothing is written or audited.
func (f *Flow) RenameMethod(id, name string) error {
	s, m, ms, err := f.changingMethod(id)
	if err != nil {
		return err
	}
	if m.Kind != info.KindAuthenticatorApp && m.Kind != info.KindSecurityKey {
		return ErrCantRename
	}
	if strings.TrimSpace(name) == m.Label {
		// Saved as it was offered: an audit entry would record a change
		// that isn't one.
		return nil
	}
	// The names of methods of the same kind must differ (the
	// authenticator app's rule, for keys too).
	var others []info.Method
	for _, x := range ms {
		if x.ID != id && x.Kind == m.Kind {
			x.Kind = info.KindAuthenticatorApp
			others = append(others, x)
		}
	}
	clean, err := authapp.CheckDeviceName(name, others)
	if err != nil {
		return err
	}
	err = f.cfg.Dir.UpdateMethod(s.account, id, func(x *info.Method) error {
		x.Label = clean
		return nil
	})
	if err != nil {
		return fmt.Errorf("rename the method: %w", err)
	}
	return f.auditDone("", info.ActionMethodChanged, s.account, string(m.Kind)+" renamed")
}

// SetDefaultMethod makes one of the signed-in person's two-step methods
// the one asked first at sign-in, after a recent second factor. In the
// organisation's directory a default authenticator app is also the one
// the directory asks for at every bind. It writes to storage and audits.
func (f *Flow) SetDefaultMethod(id string) error {
	s, m, _, err := f.changingMethod(id)
	if err != nil {
		return err
	}
	if !Describe(m.Kind).TwoStep {
		return ErrNotDefaultable
	}
	err = f.cfg.Dir.UpdateAccount(s.account, func(a *info.Account) error {
		a.DefaultMethod = m.ID
		return nil
	})
	if err != nil {
		return fmt.Errorf("change the default sign-in method: %w", err)
	}
	return f.auditDone("", info.ActionDefaultChanged, s.account, string(m.Kind))
}

// AddableKinds lists what the signed-in person may add on the Security
// info page: allowed methods not yet registered, and new recovery codes
// (which replace the old ones) where they are allowed.
func (f *Flow) AddableKinds() ([]MethodInfo, error) {
	out, err := f.Choices()
	if err != nil {
		return nil, err
	}
	if containsKind(f.cfg.Policy.Allowed, info.KindRecoveryCodes) {
		for _, m := range out {
			if m.Kind == info.KindRecoveryCodes {
				return out, nil
			}
		}
		out = append(out, Describe(info.KindRecoveryCodes))
	}
	return out, nil
}

// AddMethod starts registering kind from the Security info page, after a
// recent second factor; when it is done (or Back from its first screen)
// the person returns there. Recovery codes may be added again: a new set
// replaces the old. It reads storage and starts the method's setup.
func (f *Flow) AddMethod(kind info.Kind) error {
	s, err := f.changing(kind)
	if err != nil {
		return err
	}
	if !containsKind(f.cfg.Policy.Allowed, kind) && !(kind == info.KindAppPassword && f.cfg.Policy.AppPasswords) {
		return ErrNotAllowed
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != s.gen || f.page != PageManage {
		return ErrNotNow
	}
	if kind != info.KindRecoveryCodes && kind != info.KindAppPassword {
		have, err := f.registeredKinds()
		if err != nil {
			return err
		}
		if have[kind] && kind != info.KindAuthenticatorApp && kind != info.KindSecurityKey {
			return ErrAlreadyHave
		}
	}
	f.abortSetup()
	f.steps, f.idx, f.adding = []Step{{Kind: kind}}, 0, true
	f.push(PageMethod)
	f.startStep()
	return nil
}

// ChangePhone starts registering a new number for the signed-in person's
// phone, from the Security info page, after a recent second factor: the
// new number is tested as any phone is, and only once it is saved is the
// old one removed. The person returns to the page when it is done.
func (f *Flow) ChangePhone(id string) error {
	s, old, _, err := f.changingMethod(id)
	if err != nil {
		return err
	}
	if old.Kind != info.KindPhone {
		return ErrCantRename
	}
	factory := f.cfg.Setups[info.KindPhone]
	if factory == nil {
		return ErrNotAllowed
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != s.gen || f.page != PageManage {
		return ErrNotNow
	}
	f.abortSetup()
	f.steps, f.idx, f.adding = []Step{{Kind: info.KindPhone}}, 0, true
	f.push(PageMethod)
	pol := f.cfg.Policy
	dir := &replacingStore{Store: f.recorder(s.account, s.gen), old: old.ID, changed: func() error {
		return f.auditDone("", info.ActionMethodChanged, s.account, "phone number changed")
	}}
	setup, err := factory(SetupContext{Account: s.account, Organisation: pol.Organisation, Issuer: pol.Issuer, DefaultRegion: pol.DefaultRegion,
		Dir: dir, Now: f.cfg.Now, Rand: f.cfg.Rand, Send: f.cfg.Send, Translate: f.translator()})
	if err != nil {
		f.setup = &Unavailable{Method: info.KindPhone, Err: err}
		return nil
	}
	f.setup = setup
	return nil
}

// errNotDefault stops replacingStore's update of the account, which saves
// nothing, when the phone replaced wasn't the default sign-in method.
var errNotDefault = errors.New("not the default sign-in method")

// replacingStore is the store a phone's new number is saved into: the
// old phone is hidden from the setup, and removed once the new one is
// saved.
type replacingStore struct {
	info.Store
	old     string
	changed func() error
}

// Methods hides the phone being replaced.
func (r *replacingStore) Methods(account string) ([]info.Method, error) {
	ms, err := r.Store.Methods(account)
	var out []info.Method
	for _, m := range ms {
		if m.ID != r.old {
			out = append(out, m)
		}
	}
	return out, err
}

// AddMethod saves the new phone, makes it the default sign-in method if
// the old one was, then removes the old. The store has no write that does
// all three at once; in this order a crash at any point leaves the
// default naming a phone that is stored (the old one, beside the new),
// never one that was removed, which would drop the phone as the default.
func (r *replacingStore) AddMethod(account string, m info.Method, secret []byte) error {
	if err := r.Store.AddMethod(account, m, secret); err != nil {
		return err
	}
	err := r.Store.UpdateAccount(account, func(a *info.Account) error {
		if a.DefaultMethod != r.old {
			return errNotDefault // nothing to write
		}
		a.DefaultMethod = m.ID
		return nil
	})
	if err != nil && !errors.Is(err, errNotDefault) {
		return fmt.Errorf("keep the new number the default sign-in method: %w", err)
	}
	if err := r.Store.RemoveMethod(account, r.old); err != nil && !errors.Is(err, info.ErrNoMethod) {
		return fmt.Errorf("remove the old number: %w", err)
	}
	return r.changed()
}

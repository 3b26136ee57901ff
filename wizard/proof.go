package wizard

import (
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// ReauthAge is how long a second factor proved in a session lets the
// person change their security info (ASVS 5.0 V6/7.5.1).
const ReauthAge = 10 * time.Minute

// Errors of proving a method, checked with errors.Is.
var (
	// ErrReauthNeeded means a change of security info needs a second
	// factor proved in this session less than ReauthAge ago (NIST
	// 800-63B §6.1.2.1: a password alone must not bind a new method to
	// an account that has a second factor).
	ErrReauthNeeded = words.New("confirm it's you with a second factor first: changing security info needs one from the last 10 minutes",
		"For your security, confirm it's you before changing your security info.")
	// ErrNoProver means no method of the person can prove them here.
	ErrNoProver = words.New("this method can't be used to sign in here",
		"This method can't be used here. Choose another way.")
	// ErrProofNotStarted means Prove came before StartProof.
	ErrProofNotStarted = words.New("choose how to confirm it's you first",
		"Choose how to confirm it's you first.")
)

// provePurpose says why a person proves a method.
type provePurpose int

const (
	proveSignIn provePurpose = iota // the second factor of a sign-in
	proveChange                     // re-authentication before a change
	proveReset                      // a self-service password reset
)

func (p provePurpose) String() string {
	return [...]string{"sign-in", "change", "password reset"}[p]
}

// proof is a proof in progress.
type proof struct {
	purpose provePurpose
	account string // the account's name as typed or stored
	known   bool   // (reset) the account exists
	option  ProofOption
	prover  method.Prover // nil until StartProof
}

// ProofOption is one way to prove who you are: one of the person's
// methods at sign-in, a kind of method at a password reset.
type ProofOption struct {
	// Kind is the kind of method.
	Kind info.Kind
	// MethodID is the method's ID; empty at a password reset, which names
	// kinds only (it must not tell what an account has).
	MethodID string
	// Title is what the person chooses: "Text +1 ••• ••• 0123".
	Title string
	// Default marks the person's default sign-in method.
	Default bool
	// Label is the name or number Title shows, for a host that words the
	// title itself (in another language): the app's or key's name, the
	// masked phone number; empty when Title shows none.
	Label string
	// Voice marks a phone that is called rather than texted.
	Voice bool
	// Left is how many recovery codes are left, for that option.
	Left int
}

// Challenge is what the person is asked once a proof has started.
type Challenge struct {
	Kind info.Kind
	// Prompt says what to do ("We texted a code to +1 ••• ••• 0123.").
	Prompt string
	// Fields label the answers, in order; none for a security key.
	Fields []string
}

// DefaultOf is the account's default sign-in method among ms: the one
// the person chose if it is still there and usable for two-step
// verification, else the strongest (DefaultMethod).
func DefaultOf(acct info.Account, ms []info.Method) (info.Method, bool) {
	if acct.DefaultMethod != "" {
		for _, m := range ms {
			if m.ID == acct.DefaultMethod && Describe(m.Kind).TwoStep {
				return m, true
			}
		}
	}
	return DefaultMethod(ms)
}

// hasSecondFactor reports whether ms hold a method for two-step
// verification, leaving out the kind skip.
func hasSecondFactor(ms []info.Method, skip info.Kind) bool {
	for _, m := range ms {
		if m.Kind != skip && Describe(m.Kind).TwoStep {
			return true
		}
	}
	return false
}

// secondFactors lists the ways acct can prove a second factor: their
// two-step methods that have a Prover here, the default first, recovery
// codes as one choice.
func (f *Flow) secondFactors(acct info.Account, ms []info.Method) []ProofOption {
	def, _ := DefaultOf(acct, ms)
	var out []ProofOption
	codes := recovery.Left(ms)
	for _, m := range ms {
		if !Describe(m.Kind).TwoStep || f.cfg.Provers[m.Kind] == nil || m.Kind == info.KindRecoveryCodes {
			continue
		}
		o := ProofOption{Kind: m.Kind, MethodID: m.ID, Title: optionTitle(m), Default: m.ID == def.ID, Label: optionLabel(m),
			Voice: m.Kind == info.KindPhone && m.Channel == string(ChannelVoice)}
		if o.Default {
			out = append([]ProofOption{o}, out...)
		} else {
			out = append(out, o)
		}
	}
	if codes > 0 && f.cfg.Provers[info.KindRecoveryCodes] != nil {
		first := recovery.Codes(ms)[0]
		o := ProofOption{Kind: info.KindRecoveryCodes, MethodID: first.ID, Title: fmt.Sprintf("Use a recovery code (%d left)", codes), Default: def.Kind == info.KindRecoveryCodes, Left: codes}
		if o.Default {
			out = append([]ProofOption{o}, out...)
		} else {
			out = append(out, o)
		}
	}
	return out
}

// optionTitle is how a method is offered as a way to sign in.
func optionTitle(m info.Method) string {
	switch m.Kind {
	case info.KindAuthenticatorApp:
		if m.Label == authapp.DefaultDeviceName {
			return "Use a code from my authenticator app"
		}
		return "Use a code from my authenticator app (" + m.Label + ")"
	case info.KindPhone:
		if m.Channel == string(ChannelVoice) {
			return "Call " + phone.Mask(m.Phone)
		}
		return "Text " + phone.Mask(m.Phone)
	case info.KindSecurityKey:
		return "Use my security key (" + m.Label + ")"
	}
	return Describe(m.Kind).Title + " (" + m.Label + ")"
}

// optionLabel is the name or number optionTitle shows of m, if any.
func optionLabel(m info.Method) string {
	switch m.Kind {
	case info.KindAuthenticatorApp:
		if m.Label == authapp.DefaultDeviceName {
			return ""
		}
	case info.KindPhone:
		return phone.Mask(m.Phone)
	}
	return m.Label
}

// OpenVerify shows "Verify your identity" over the Security info page,
// the "More information required" prompt, a method's page or the
// helpdesk page, so that the person proves a second factor before a
// change; Back returns, and so does a proof. Over a method's page the
// method's setup stays as it was (a code sent and checked, a key
// touched): its save, refused for want of a recent second factor
// (ErrReauthNeeded), can be tried again on return.
func (f *Flow) OpenVerify() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.account.Name == "" {
		return ErrNotSignedIn
	}
	switch f.page {
	case PageManage, PageMoreInfo, PageChooser, PageSuccess, PageUpToDate, PageMethod, PageHelpdesk:
	default:
		return ErrNotNow
	}
	f.abortProof()
	f.proof = &proof{purpose: proveChange, account: f.account.Name, known: true}
	f.push(PageVerify)
	return nil
}

// VerifyPurpose says why "Verify your identity" is shown: true for a
// sign-in's second factor, false before a change.
func (f *Flow) VerifyForSignIn() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.proof != nil && f.proof.purpose == proveSignIn
}

// ProofOptions lists the ways the person may prove who they are on the
// current page: their own two-step methods (default first) on "Verify
// your identity", kinds of method at a password reset. It reads storage.
func (f *Flow) ProofOptions() ([]ProofOption, error) {
	f.mu.Lock()
	p, page := f.proof, f.page
	acct := f.half
	if acct.Name == "" {
		acct = f.account
	}
	f.mu.Unlock()
	switch {
	case page == PageReset:
		return f.resetOptions()
	case page != PageVerify || p == nil:
		return nil, ErrNotNow
	}
	fresh, err := f.cfg.Dir.Account(acct.Name)
	if err != nil {
		return nil, fmt.Errorf("reading the account: %w", err)
	}
	ms, err := f.cfg.Dir.Methods(acct.Name)
	if err != nil {
		return nil, fmt.Errorf("reading security info: %w", err)
	}
	return f.secondFactors(fresh, ms), nil
}

// StartProof starts proving with o, one of ProofOptions: a phone is sent
// its code now (at a password reset, in the background: Prove waits for
// it). It may be slow (a send): call it off the UI thread.
// Choosing again (another way, or the same to resend) starts afresh.
func (f *Flow) StartProof(o ProofOption) (Challenge, error) {
	f.mu.Lock()
	p, gen := f.proof, f.gen
	if p == nil || (f.page != PageVerify && f.page != PageReset) {
		f.mu.Unlock()
		return Challenge{}, ErrNotNow
	}
	if p.purpose == proveReset {
		f.mu.Unlock()
		return f.startResetProof(p, gen, o)
	}
	if p.prover != nil {
		p.prover.Abort()
		p.prover = nil
	}
	account := p.account
	f.mu.Unlock()

	prover, err := f.methodProver(account, o)
	if err != nil {
		return Challenge{}, err
	}
	if err := prover.Begin(); err != nil {
		prover.Abort()
		return Challenge{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != gen || f.proof != p {
		prover.Abort()
		return Challenge{}, ErrNotNow
	}
	p.option, p.prover = o, prover
	return Challenge{Kind: o.Kind, Prompt: prover.Prompt(), Fields: prover.Fields()}, nil
}

// ProofFields returns the answers the proof started asks for now, which
// a check may have changed: a security key that asked for its PIN though
// the policy doesn't adds it. ok is false with no proof started, and at a
// password reset, whose fields stay as first shown (they must not tell
// what an account has).
func (f *Flow) ProofFields() (fields []string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.proof
	if p == nil || p.prover == nil || p.purpose == proveReset {
		return nil, false
	}
	return p.prover.Fields(), true
}

// methodProver makes the Prover for one of account's methods.
func (f *Flow) methodProver(account string, o ProofOption) (method.Prover, error) {
	factory := f.cfg.Provers[o.Kind]
	if factory == nil {
		return nil, ErrNoProver
	}
	ms, err := f.cfg.Dir.Methods(account)
	if err != nil {
		return nil, fmt.Errorf("reading security info: %w", err)
	}
	for _, m := range ms {
		if m.ID == o.MethodID && m.Kind == o.Kind {
			return factory(f.proverContext(account), m)
		}
	}
	return nil, fmt.Errorf("%w: %w", ErrNoProver, info.ErrNoMethod)
}

// proverContext is what a Prover for account starts with.
func (f *Flow) proverContext(account string) method.Context {
	pol := f.cfg.Policy
	return method.Context{Account: account, Organisation: pol.Organisation, Issuer: pol.Issuer, DefaultRegion: pol.DefaultRegion,
		Dir: f.cfg.Dir, Now: f.cfg.Now, Rand: f.cfg.Rand, Send: f.cfg.Send, Translate: f.translator()}
}

// Prove checks the answers to the proof started, under the back-off and
// lock-out rules (regulation.Default, on the account's second-factor
// count, which only a right second factor clears, or for this session
// where the store can't), and audits it. On
// success: a sign-in goes on to the account's page; a re-authentication
// returns to the page it covered, and changes are allowed for ReauthAge;
// a password reset moves on (ResetStage). It may be slow (a hash, a
// security key's touch): call it off the UI thread.
func (f *Flow) Prove(answers []string) error {
	f.mu.Lock()
	p, gen := f.proof, f.gen
	if p == nil || (f.page != PageVerify && f.page != PageReset) {
		f.mu.Unlock()
		return ErrNotNow
	}
	prover, account, purpose, known := p.prover, p.account, p.purpose, p.known
	f.mu.Unlock()
	if prover == nil {
		return ErrProofNotStarted
	}
	now := f.cfg.Now()
	s := session{account, gen}
	if err := f.proofAllowed(s, known, now); err != nil {
		return err
	}
	err := prover.Check(answers)
	counted := err == nil || countsAsFailure(err)
	if counted {
		if rerr := f.countProof(s, known, err == nil, now); rerr != nil {
			return rerr
		}
	}
	why := string(prover.Kind()) + " for " + purpose.String()
	if err != nil {
		if counted {
			f.auditFailure("", info.ActionSecondFactorFailed, whoOf(account, known), why+": "+err.Error())
		}
		if purpose == proveReset {
			return resetFailure(err)
		}
		return err
	}
	// A second factor that can't be recorded doesn't count.
	if err := f.auditOrRefuse("", info.ActionSecondFactor, account, why); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != gen || f.proof != p {
		return ErrNotNow
	}
	prover.Abort()
	p.prover = nil
	switch purpose {
	case proveSignIn:
		acct := f.half
		f.proof, f.half = nil, info.Account{}
		f.page = PageSignIn
		if err := f.begin(acct); err != nil {
			f.reset()
			return err
		}
		f.proved = now
		return nil
	case proveChange:
		f.proof = nil
		f.proved = now
		return f.pop()
	default:
		return f.resetProved(prover.Kind())
	}
}

// whoOf is how an account is named in the audit log: only a name that
// exists, since people type passwords into the account field.
func whoOf(account string, known bool) string {
	if !known {
		return "(unknown account)"
	}
	return account
}

// countsAsFailure reports whether a failed check counts towards the
// back-off: a wrong, replayed or used-up answer does; a mistyped format,
// a keyring or directory that can't be reached, a key that was not
// there or not touched, a code not yet sent, do not.
func countsAsFailure(err error) bool {
	for _, notCounted := range []error{
		authapp.ErrCodeFormat, phone.ErrCodeFormat, recovery.ErrCodeFormat, phone.ErrNoCode, phone.ErrCodeExpired,
		info.ErrKeyringUnavailable, info.ErrKeyringLocked, info.ErrDirectoryUnavailable, info.ErrStoreBusy,
		securitykey.ErrNoKey, securitykey.ErrTimeout, securitykey.ErrCancelled, securitykey.ErrPINNeeded, securitykey.ErrKeyLost,
		securitykey.ErrPINTooShort,
	} {
		if errors.Is(err, notCounted) {
			return false
		}
	}
	var w *regulation.WaitError
	return !errors.As(err, &w) && !errors.Is(err, regulation.ErrLocked)
}

// proofAllowed applies the back-off and lock-out before a check.
func (f *Flow) proofAllowed(s session, known bool, now time.Time) error {
	if !known {
		return f.signIn.unknownAllowed(s.account, now)
	}
	acct, err := f.cfg.Dir.Account(s.account)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	if regulation.Default.AccountLocked(acct) || acct.Disabled {
		// An administrator's lock too: a proof leads to a sign-in or a
		// new password, neither of which a disabled account may get.
		return regulation.ErrLocked
	}
	// The second factor's own count: a right password never cleared it.
	state := regulation.FactorState(acct, regulation.SecondFactor)
	f.mu.Lock()
	if f.tries.Failures > state.Failures {
		// The store doesn't count: this session does (the account's
		// other counts still count towards its lock-out).
		state.Failures, state.Last = f.tries.Failures, f.tries.Last
	}
	f.mu.Unlock()
	return regulation.Default.Check(state, now)
}

// countProof counts a check on the account, or on the unknown name.
func (f *Flow) countProof(s session, known, ok bool, now time.Time) error {
	if !known {
		return f.signIn.countUnknown(s.account, ok, now)
	}
	return f.count(s, ok, now)
}

// abortProof discards the proof in progress.
func (f *Flow) abortProof() {
	if f.proof != nil && f.proof.prover != nil {
		f.proof.prover.Abort()
	}
	f.proof = nil
}

// fresh reports whether a second factor was proved in this session less
// than ReauthAge ago.
func (f *Flow) fresh() bool {
	return !f.proved.IsZero() && f.cfg.Now().Sub(f.proved) <= ReauthAge
}

// Fresh reports whether the person may change their security info now
// without proving a second factor again.
func (f *Flow) Fresh() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fresh()
}

// mayChange says whether the signed-in person may change account's
// security info now: nil if they proved a second factor in the last
// ReauthAge, or if the account has none (a password is all it has);
// ErrReauthNeeded otherwise. adding is the kind being added, if any: a
// new set of recovery codes doesn't count the old set as a second
// factor, and an app password always needs one. It reads storage.
func (f *Flow) mayChange(account string, adding info.Kind) error {
	f.mu.Lock()
	ok := f.fresh()
	f.mu.Unlock()
	return f.needsReauth(ok, account, adding)
}

// reauthLocked is mayChange with f.mu held.
func (f *Flow) reauthLocked(account string) error {
	return f.needsReauth(f.fresh(), account, "")
}

// needsReauth is mayChange once freshness is known.
func (f *Flow) needsReauth(ok bool, account string, adding info.Kind) error {
	if ok {
		return nil
	}
	if adding == info.KindAppPassword {
		return ErrStepUpNeeded
	}
	ms, err := f.cfg.Dir.Methods(account)
	if err != nil {
		return fmt.Errorf("reading security info: %w", err)
	}
	skip := info.Kind("")
	if adding == info.KindRecoveryCodes {
		skip = info.KindRecoveryCodes
	}
	if hasSecondFactor(ms, skip) {
		return ErrReauthNeeded
	}
	return nil
}

// registered notes a method saved in session gen: one whose test proved
// the person holds it counts as a fresh second factor, in that session
// only.
func (f *Flow) registered(gen uint64, m info.Method) {
	if !Describe(m.Kind).TwoStep || m.Kind == info.KindRecoveryCodes {
		return
	}
	f.mu.Lock()
	if f.gen == gen {
		f.proved = f.cfg.Now()
	}
	f.mu.Unlock()
}

// Pending names the account whose password was right and whose second
// factor is being asked; "" otherwise.
func (f *Flow) Pending() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.half.Name
}

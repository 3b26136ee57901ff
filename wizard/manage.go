package wizard

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// ErrStepUpNeeded means creating an app password needs a second factor
// first: a code from the person's authenticator app (StepUp), unless they
// registered a method in this session. An app password skips two-step
// verification, so a password alone must not make one.
var ErrStepUpNeeded = words.New("confirm it's you with a code from your authenticator app first",
	"Confirm it's you with a code from your authenticator app first.")

// ErrNoAuthenticator means the person has no authenticator app to confirm
// it's them with; it is also authapp.ErrNoAuthenticator.
var ErrNoAuthenticator = words.Like(authapp.ErrNoAuthenticator, "no authenticator app to confirm it's you with",
	"To create an app password, confirm it's you with an authenticator app. You have none registered: ask your helpdesk.")

// session is who is signed in, and in which session, as an operation
// found it when it began.
type session struct {
	account string
	gen     uint64
}

// on returns the signed-in session if the flow is on page p.
func (f *Flow) on(p Page) (session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.account.Name == "" {
		return session{}, ErrNotSignedIn
	}
	if f.page != p {
		return session{}, ErrNotNow
	}
	return session{f.account.Name, f.gen}, nil
}

// StepUp checks a code from one of the signed-in person's authenticator
// apps as a second factor, on the Security info page; if it is right,
// Verified is true for the rest of the session. Like every check of a
// secret it is regulated (regulation.Default, on the account's persisted
// second-factor count, shared with the proofs at sign-in and reset): a wrong, replayed or clock-skewed code is a
// failure; a code that is not 6 digits, an account without an
// authenticator app (ErrNoAuthenticator) or a keyring that can't be read
// counts nothing. It reads the keyring: call it off the UI thread.
func (f *Flow) StepUp(code string) error {
	s, err := f.on(PageManage)
	if err != nil {
		return err
	}
	now := f.cfg.Now()
	acct, err := f.cfg.Dir.Account(s.account)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	if regulation.Default.AccountLocked(acct) {
		return regulation.ErrLocked
	}
	state := regulation.FactorState(acct, regulation.SecondFactor)
	f.mu.Lock()
	if f.tries.Failures > state.Failures {
		// The store doesn't count: this session does (the account's
		// other counts still count towards its lock-out).
		state.Failures, state.Last = f.tries.Failures, f.tries.Last
	}
	f.mu.Unlock()
	if err := regulation.Default.Check(state, now); err != nil {
		return err
	}
	err = authapp.CheckCode(f.cfg.Dir, s.account, code, now)
	if errors.Is(err, authapp.ErrNoAuthenticator) {
		return ErrNoAuthenticator
	}
	if err == nil || errors.Is(err, authapp.ErrWrongCode) || errors.Is(err, authapp.ErrReplayed) || errors.Is(err, authapp.ErrClockSkew) {
		if rerr := f.count(s, err == nil, now); rerr != nil {
			return rerr
		}
	}
	if err != nil {
		return err
	}
	f.mu.Lock()
	if f.gen == s.gen {
		f.proved = now
	}
	f.mu.Unlock()
	return nil
}

// count records a second-factor check (a step-up, a proof) on the
// account's second-factor count, which only a right second factor clears,
// or in the session where the store can't count failures.
func (f *Flow) count(s session, ok bool, now time.Time) error {
	err := regulation.RecordFactor(f.cfg.Dir, s.account, regulation.SecondFactor, ok, now)
	if !errors.Is(err, info.ErrNotSupported) {
		if err != nil {
			return fmt.Errorf("recording the code check: %w", err)
		}
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen == s.gen {
		if ok {
			f.tries = f.tries.Succeeded()
		} else {
			f.tries = f.tries.Failed(now)
		}
	}
	return nil
}

// AppPasswordRoom says whether the signed-in person may create another
// app password: apppassword.ErrLimit if they have apppassword.MaxPasswords.
// It reads storage.
func (f *Flow) AppPasswordRoom() error {
	s, err := f.on(PageManage)
	if err != nil {
		return err
	}
	existing, err := apppassword.List(f.cfg.Dir, s.account)
	if err != nil {
		return err
	}
	if len(existing) >= apppassword.MaxPasswords {
		return apppassword.ErrLimit
	}
	return nil
}

// NewAppPassword is an app password just created, to be shown once and
// then forgotten: it is kept nowhere else.
type NewAppPassword struct {
	// Method is the saved record: the name (Label) and a salted hash.
	Method info.Method
	// Password is the password as generated, for Copy.
	Password string
	// Formatted is Password in groups of four, for reading.
	Formatted string
}

// CreateAppPassword makes an app password called name for the signed-in
// person, on the Security info page, after a second factor proved in the
// last ReauthAge (else ErrStepUpNeeded), and records it in the audit log as soon as it is saved.
// Errors are apppassword.Create's (ErrLimit, the name errors). It is slow
// on purpose (argon2id): call it off the UI thread.
func (f *Flow) CreateAppPassword(name string) (NewAppPassword, error) {
	s, err := f.on(PageManage)
	if err != nil {
		return NewAppPassword{}, err
	}
	if err := f.mayChange(s.account, info.KindAppPassword); err != nil {
		return NewAppPassword{}, err
	}
	pw, m, err := apppassword.Create(f.recorder(s.account, s.gen), s.account, name, f.cfg.Now(), f.cfg.Rand)
	if err != nil {
		return NewAppPassword{}, err
	}
	return NewAppPassword{Method: m, Password: pw, Formatted: apppassword.Format(pw)}, nil
}

// DeleteAppPassword deletes one of the signed-in person's app passwords,
// on the Security info page, after a second factor proved in the last
// ReauthAge if the account has one (ErrReauthNeeded), and records it in
// the audit log. Apps that
// use it can no longer sign in. It writes to storage.
func (f *Flow) DeleteAppPassword(m info.Method) error {
	s, err := f.changing("")
	if err != nil {
		return err
	}
	// What is removed is what the store holds under m.ID, which must be
	// an app password of this account: the caller's copy of m only
	// names it (an ID of another method must not remove that method
	// past the rules that guard it).
	ms, err := f.cfg.Dir.Methods(s.account)
	if err != nil {
		return fmt.Errorf("delete the app password: %w", err)
	}
	i := slices.IndexFunc(ms, func(x info.Method) bool { return x.ID == m.ID && x.Kind == info.KindAppPassword })
	if i < 0 {
		return apppassword.ErrNotFound
	}
	m = ms[i]
	if err := f.cfg.Dir.RemoveMethod(s.account, m.ID); err != nil {
		if errors.Is(err, info.ErrNoMethod) {
			return apppassword.ErrNotFound
		}
		return fmt.Errorf("delete the app password: %w", err)
	}
	return f.auditDone("", info.ActionAppPasswordDeleted, s.account, m.Label)
}

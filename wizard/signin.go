package wizard

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/tap"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// MaxFailures is how many consecutive failed sign-ins lock an account
// (regulation.MaxFailures).
const MaxFailures = regulation.MaxFailures

// Sign-in errors. A wrong password and an unknown account give the same
// error, and so do their back-off and lock-out.
var (
	ErrBadCredentials = words.New("that account name or password isn't right: check both and try again",
		"That account name or password isn't right. Check both and try again.")
	// ErrLocked is regulation.ErrLocked.
	ErrLocked = regulation.ErrLocked
	// ErrCodeRequired means the organisation's directory needs the
	// authenticator code with the password: ask for it and sign in again.
	ErrCodeRequired = words.New("the directory asks for the authenticator code with the password",
		"Enter the 6-digit code from your authenticator app, or a recovery code, then Sign in.")
	// ErrBadCredentialsOrCode is ErrBadCredentials where a code was asked too.
	ErrBadCredentialsOrCode = words.New("wrong account name, password or code",
		"That account name, password or code isn't right. Type your password again, and a new code from your authenticator app or a recovery code.")
	// ErrPasswordExpired and ErrMustChangePassword are the directory's
	// password policy refusing a right password.
	ErrPasswordExpired = words.New("the directory says the password has expired",
		"Your password has expired. Change it, or ask your helpdesk.")
	ErrMustChangePassword = words.New("the directory says the password must be changed",
		"Your password was reset and must be changed before you can sign in. Ask your helpdesk.")
	// ErrDirectoryDown means the organisation's directory didn't answer.
	ErrDirectoryDown = words.New("the organisation's directory isn't answering",
		"Your organisation's directory isn't answering. Try again in a minute, or ask your helpdesk.")
)

// WaitError says sign-in is paused after repeated failures; it is
// regulation.WaitError.
type WaitError = regulation.WaitError

// Backoff is how long a person must wait after n consecutive failures
// before trying again (regulation.Backoff).
func Backoff(n int) time.Duration { return regulation.Backoff(n) }

// checkHash is secret.Check; tests count its calls.
var checkHash = secret.Check

// dummyHash spends the work of one checkHash where there is no hash to
// check.
func dummyHash(typed string) { _, _ = checkHash(secret.DummyHash, typed) }

// SignIn checks account names and passwords, applying the back-off and
// lock-out rules. Failures of existing accounts are persisted on the
// account; failures of names that name no account are persisted too, in
// the store's table of Counts (info.Store.UpdateTries: by a 16-bit keyed
// slot, never the name, since people type passwords into the account
// field), so that both are gated, counted and paid for alike, and both
// outlive a kiosk wipe. Where the directory checks passwords, it counts
// both itself: a person's binds on their entry, and those of a name that
// names nobody on that name's slot (Store.Bind), with the same requests.
type SignIn struct {
	Dir info.Store
	Now func() time.Time
	// Pass, if set, checks a Temporary Access Pass typed instead of the
	// password: true signs in; false with a nil error is a wrong password;
	// an error (expired, used) is shown as it is.
	Pass func(account, typed string, now time.Time) (bool, error)
	// AppAtBind says the store is the organisation's directory and people
	// may have an authenticator app it enforces at every bind (the policy
	// allows apps). A name that names nobody then answers as a person
	// with such an app or as one without, the same every time, in the
	// share of people who have one (unknownCodeAtBind): otherwise either
	// answer would tell that a name exists.
	AppAtBind bool
	// Admit, if set, says whether this station lets acct in by a
	// Temporary Access Pass (a helpdesk station: helpdesk accounts only,
	// and only those with a second factor to prove there). The refusal
	// comes from the flow once the credentials are proved right, as for
	// any account (it must not tell which names are helpdesk accounts);
	// meanwhile every pass is first checked without being used
	// (tap.Peek on Dir), and Admit is asked only of one found to be the
	// pass typed, so a one-time pass tried at a station that will refuse
	// it still works where it is meant to. An error is the store's.
	Admit func(acct info.Account) (bool, error)
}

// Prepare does ahead of the first sign-in what it would wait for: where
// names that name nobody answer as stand-in people (AppAtBind), the
// store's count of the people with an app (UnknownCodeAtBind), which
// reads every person (seconds at 100,000). Call it off the UI thread.
func (s *SignIn) Prepare() {
	if s.AppAtBind {
		_, _ = s.Dir.UnknownCodeAtBind("")
	}
}

// Check signs a person in. It returns the account on success, and
// ErrBadCredentials, *WaitError or ErrLocked otherwise. It is slow on
// purpose (argon2id): call it off the UI thread.
func (s *SignIn) Check(name, password string) (info.Account, error) {
	return s.CheckWithCode(name, password, "")
}

// CheckWithCode signs a person in whose directory asks for their
// authenticator code with the password at every bind (Account.CodeAtBind):
// without a code it answers ErrCodeRequired before the password is
// checked (the typed text is only checked as a Temporary Access Pass, and
// that check is counted, see passWithoutCode); with one, the
// directory checks both (and records the code's step). A recovery code
// typed as the code is checked as one first, and only a right one goes
// on to the directory's check of the password (bindWithRecoveryCode). For
// everyone else it is Check, and code is not used.
func (s *SignIn) CheckWithCode(name, password, code string) (info.Account, error) {
	acct, _, err := s.check(name, password, code)
	return acct, err
}

// check is CheckWithCode, also saying whether a Temporary Access Pass was
// used instead of the password.
func (s *SignIn) check(name, password, code string) (info.Account, bool, error) {
	acct, err := s.Dir.Account(name)
	// How the name answers if it names nobody; asked of every name, so
	// that what it costs (now and then a count of the directory's people)
	// tells no name from another.
	standInApp := s.AppAtBind && s.unknownCodeAtBind(name)
	if errors.Is(err, info.ErrNoAccount) || strings.TrimSpace(name) == "" {
		if s.recoveryAtBind(name, standInApp, code) {
			return info.Account{}, false, s.unknownRecoveryCode(name, code)
		}
		// The counts the store read of the name with the account's
		// search (the directory's try slot), for the back-off: none
		// where it keeps them elsewhere, and gates them itself
		// (ReserveUnknown).
		var kept *info.NoAccountError
		errors.As(err, &kept)
		return info.Account{}, false, s.unknownFailure(name, password, code, standInApp, kept)
	}
	if err != nil {
		return info.Account{}, false, fmt.Errorf("reading account: %w", err)
	}
	if acct.PasswordHash == "" {
		if a, byPass, err := s.bind(acct, password, code); !errors.Is(err, info.ErrNotSupported) {
			return a, byPass, err
		}
	}
	// The try is counted as failed before the hash, atomically with the
	// gate; a right password clears it below.
	if err := regulation.Default.Reserve(s.Dir, name, s.Now()); err != nil {
		return info.Account{}, false, gateError(err)
	}
	ok := false
	if acct.PasswordHash != "" {
		if ok, err = checkHash(acct.PasswordHash, password); err != nil {
			return info.Account{}, false, fmt.Errorf("checking password: %w", err)
		}
	} else {
		dummyHash(password) // no password yet: a pass only
	}
	now := s.Now()
	var passErr error
	byPass := false
	if s.Pass != nil {
		// Always asked, so that a pass and a password cost the same.
		viaPass, err := s.pass(acct, password, now)
		if !ok {
			ok, passErr, byPass = viaPass, err, viaPass
		}
	}
	if ok {
		if err := regulation.RecordAttempt(s.Dir, name, true, now); err != nil {
			return info.Account{}, false, fmt.Errorf("recording sign-in: %w", err)
		}
	}
	if passErr != nil {
		return info.Account{}, false, passErr
	}
	if !ok {
		return info.Account{}, false, ErrBadCredentials
	}
	acct.Failures = 0
	return acct, byPass, nil
}

// pass checks typed as acct's Temporary Access Pass (s.Pass is set): with
// s.Pass, which uses a one-time pass it finds right. Where the station
// may refuse the account (Admit), with tap.Peek first, which uses
// nothing: a wrong pass (or none) costs what s.Pass costs, one read and
// one hash, whoever the account is; only once the pass proves to be the
// one typed is Admit asked, and s.Pass then checks it again for an
// account let in, to use it and record it (or its expiry) as anywhere.
// For one refused, the answer is Peek's, and the flow refuses the
// sign-in: the pass stays as it was.
func (s *SignIn) pass(acct info.Account, typed string, now time.Time) (bool, error) {
	if s.Admit == nil {
		return s.Pass(acct.Name, typed, now)
	}
	ok, err := tap.Peek(s.Dir, acct.Name, typed, now)
	if !ok && !errors.Is(err, tap.ErrExpired) && !errors.Is(err, tap.ErrUsed) {
		return ok, err // not the pass, or the store failed
	}
	admit, aerr := s.Admit(acct)
	if aerr != nil {
		return false, fmt.Errorf("reading security info: %w", aerr)
	}
	if !admit {
		return ok, err
	}
	return s.Pass(acct.Name, typed, now)
}

// bind signs in where the directory checks passwords: a Temporary Access
// Pass first (a person who lost their phone has no code), then the
// password, followed by the code when the directory enforces one.
// ErrNotSupported means the store keeps hashes instead.
func (s *SignIn) bind(acct info.Account, password, code string) (info.Account, bool, error) {
	if acct.CodeAtBind && code == "" && !tap.Shaped(password) {
		// Nothing can be checked yet: the code is asked for, as it is of
		// a name that names nobody (unknownFailure), even when the
		// account is locked (the try with the code says so).
		return info.Account{}, false, ErrCodeRequired
	}
	if regulation.Default.AccountLocked(acct) || acct.Disabled {
		// Locked by the counts together, which the directory's own
		// lock-out doesn't see: the store locks the account at every
		// other service too, if no write has yet (a count last raised by
		// failed binds, or by an older station). Or disabled by an
		// administrator: refused before a Temporary Access Pass is
		// checked or used (a pass issued before the account was disabled
		// would otherwise still sign it in), in the same words and with
		// the same requests (lockEverywhere finds it locked already).
		s.lockEverywhere(acct.Name)
		return info.Account{}, false, ErrLocked
	}
	if s.recoveryAtBind(acct.Name, acct.CodeAtBind, code) {
		return s.bindWithRecoveryCode(acct, password, code)
	}
	if s.Pass != nil && acct.CodeAtBind && code == "" {
		return s.passWithoutCode(acct, password)
	}
	// The password's back-off (NIST 800-63B §5.2.2), on the count the
	// directory keeps (ppolicy's pwdFailureTime, which Account read):
	// the directory counts a wrong password only at its bind, after the
	// fact, and makes nobody wait (assets/directory/README.md), so the
	// try waits here, before the pass check and the bind, with no
	// request and no hash, as a hash-checked try waits at Reserve. A
	// name that names nobody waits alike (unknownFailure).
	if err := regulation.Default.CheckBackoff(acct.Counts, regulation.Password, s.Now()); err != nil {
		return info.Account{}, false, err
	}
	if s.Pass != nil {
		// A wrong pass goes on to the bind below with the same typed
		// text, where the directory counts it as a wrong password.
		ok, err := s.pass(acct, password, s.Now())
		if err != nil {
			return info.Account{}, false, err
		}
		if ok {
			return acct, true, nil
		}
	}
	a, err := s.bindPassword(acct, password, code)
	return a, false, err
}

// passWithoutCode is a try, with no code, of a person whose directory
// enforces an authenticator app, of text shaped like a Temporary Access
// Pass (tap.Shaped; other text, the password, can't be checked without
// the code, and bind asks for it with nothing counted). The directory
// sees no bind to count, so the pass check is gated and counted here, on
// the password's count (ppolicy's, in the directory), which a pass shares
// as it shares the password's field: otherwise guesses at a pass would be
// unlimited. A right pass takes the failure back, and clears nothing
// else; a wrong one is answered ErrCodeRequired all the same (it may be a
// password shaped like a pass).
func (s *SignIn) passWithoutCode(acct info.Account, typed string) (info.Account, bool, error) {
	now := s.Now()
	if err := regulation.Default.Reserve(s.Dir, acct.Name, now); err != nil {
		return info.Account{}, false, gateError(err)
	}
	ok, err := s.pass(acct, typed, now)
	if ok {
		if err := regulation.Release(s.Dir, acct.Name, regulation.Password); err != nil {
			return info.Account{}, false, fmt.Errorf("recording sign-in: %w", err)
		}
		return acct, true, nil
	}
	if err != nil {
		return info.Account{}, false, err
	}
	return info.Account{}, false, ErrCodeRequired
}

// bindPassword checks the password (and code) with the directory.
func (s *SignIn) bindPassword(acct info.Account, password, code string) (info.Account, error) {
	if acct.CodeAtBind {
		if code == "" {
			return info.Account{}, ErrCodeRequired
		}
		password += code
	}
	a, err := s.Dir.Bind(acct.Name, password)
	if err == nil {
		return a, nil
	}
	return info.Account{}, s.bindRefused(acct, err)
}

// bindRefused is what a person is told of the directory's refusal err of
// a bind of acct, after locking the account everywhere if that failure
// brought its counts to the lock-out.
func (s *SignIn) bindRefused(acct info.Account, err error) error {
	if errors.Is(err, info.ErrWrongPassword) {
		// The directory counted this failure on the password's count: if
		// that brought the counts together to the lock-out, lock now.
		after := acct
		after.Failures++
		if regulation.Default.AccountLocked(after) {
			s.lockEverywhere(acct.Name)
		}
	}
	return bindError(err, acct.CodeAtBind)
}

// lockEverywhere has the store record the lock of an account the counts
// together lock (the directory sets ppolicy's lock then, so that the
// password alone no longer binds at mail or VPN): an update whose change
// refuses, which the directory takes as its cue. The refusal stands
// whatever it answers.
func (s *SignIn) lockEverywhere(name string) {
	_ = s.Dir.UpdateAccount(name, func(*info.Account) error { return ErrLocked })
}

// bindError is what a person is told of the directory's refusal of a bind.
func bindError(err error, codeAtBind bool) error {
	switch {
	case errors.Is(err, info.ErrNotSupported):
		return err
	case errors.Is(err, info.ErrWrongPassword), errors.Is(err, info.ErrNoAccount):
		if codeAtBind {
			return ErrBadCredentialsOrCode
		}
		return ErrBadCredentials
	case errors.Is(err, info.ErrLocked):
		return ErrLocked
	case errors.Is(err, info.ErrPasswordExpired):
		return ErrPasswordExpired
	case errors.Is(err, info.ErrMustChangePassword):
		return ErrMustChangePassword
	case errors.Is(err, info.ErrDirectoryUnavailable):
		return fmt.Errorf("%w: %w", ErrDirectoryDown, err)
	}
	return fmt.Errorf("signing in: %w", err)
}

// gateError is what a sign-in answers when regulation's gate (Reserve,
// ReserveFactor, ReserveUnknown) refused the try or failed with err: a
// wait or a lock as they are, else the store's failure to record it.
func gateError(err error) error {
	var w *regulation.WaitError
	if errors.Is(err, regulation.ErrLocked) || errors.As(err, &w) {
		return err
	}
	return fmt.Errorf("recording sign-in: %w", err)
}

// unknownCodeAtBind says whether a name that names nobody answers as a
// person whose app the directory enforces at bind (Store.UnknownCodeAtBind).
// Where people may have such an app, each name that names nobody answers
// as a stand-in person, the same every time: with an app (asked for the
// code, as bind asks such a person) or without one (refused at the bind,
// with ErrBadCredentials, as such a person is), in the share of the
// directory's people who have one. If every such name answered as a
// person with an app, "That account name or password isn't right" at the
// first try would tell that a name names a person without one. A store
// that can't say (it checks no code at a bind) has every such name ask
// for the code.
func (s *SignIn) unknownCodeAtBind(name string) bool {
	withApp, err := s.Dir.UnknownCodeAtBind(name)
	return withApp || err != nil
}

// unknownFailure is a try with a name that names no account: gated and
// counted like an account's, in one store transaction of the same kind
// (regulation.ReserveUnknown: a synced write, as Reserve's), before the
// same work a real check costs: the password's hash and the pass check's
// read and hash. codeAtBind says the name answers as a person whose app
// the directory enforces at bind (unknownCodeAtBind); otherwise it
// answers as a person without one, whatever code came with it (bind
// ignores the code of such a person).
//
// Where the directory checks passwords (Store.Bind), the directory
// answers for such a name as for a person instead (its Bind of a name
// that names nobody binds to the name's try slot, which its password
// policy counts and locks), and the pass check's read and hash follow, as
// bind makes them: the same requests as a person's failed sign-in. A
// store that keeps password hashes answers ErrNotSupported at once, and
// one that has no place for the Counts ErrNoAccount: the try is then counted
// as below.
//
// kept, if not nil, holds the counts the store keeps for the name, read
// with the account's search (the directory's try slot): the password try
// then waits out their back-off before the bind, as bind makes a
// person's, with no request more.
func (s *SignIn) unknownFailure(name, password, code string, codeAtBind bool, kept *info.NoAccountError) error {
	if codeAtBind && code == "" {
		return s.unknownWithoutCode(name, password)
	}
	if kept != nil && !regulation.Default.CountsLocked(kept.Counts) {
		// (A name the counts lock is refused by the store's Bind before
		// any bind, as bind refuses a person so locked before the wait.)
		if err := regulation.Default.CheckBackoff(kept.Counts, regulation.Password, s.Now()); err != nil {
			return err
		}
	}
	if strings.TrimSpace(name) != "" {
		typed := password
		if codeAtBind {
			typed += code // as bindPassword sends a person's
		}
		_, err := s.Dir.Bind(name, typed)
		if errors.Is(err, info.ErrLockedBeforeBind) {
			// Refused as bind refuses a locked person (AccountLocked):
			// the store refused the slot the counts lock before any
			// bind, and no pass is asked for.
			return ErrLocked
		}
		if !errors.Is(err, info.ErrNotSupported) && !errors.Is(err, info.ErrNoAccount) {
			if s.Pass != nil {
				// As bind's pass check: the read that finds no pass,
				// and a hash.
				_, _ = s.Dir.GetPass(name)
				dummyHash(password)
			}
			if err == nil {
				err = info.ErrWrongPassword // a slot's password is nobody's
			}
			return bindError(err, codeAtBind)
		}
	}
	now := s.Now()
	if err := regulation.Default.ReserveUnknown(s.Dir, name, regulation.Password, now); err != nil {
		return gateError(err)
	}
	dummyHash(password) // as the account's hash
	if s.Pass != nil {
		// As an account's pass check: the read that finds no pass, and
		// a hash anyway. Not s.Pass itself, which would use and audit a
		// pass left behind by an account since removed.
		_, _ = s.Dir.GetPass(name)
		dummyHash(password)
	}
	if codeAtBind {
		// A directory set up before ou=tries: as a person with an app is
		// refused.
		return ErrBadCredentialsOrCode
	}
	return ErrBadCredentials
}

// unknownWithoutCode answers a try with no code at a name that names
// nobody, where people may have an app the directory enforces, as bind
// and passWithoutCode answer a person with an app: the code is asked for
// with nothing counted; text shaped like a pass is gated and counted
// first, with the pass check's read and hash.
func (s *SignIn) unknownWithoutCode(name, typed string) error {
	if s.Pass == nil || !tap.Shaped(typed) {
		return ErrCodeRequired
	}
	if err := regulation.Default.ReserveUnknown(s.Dir, name, regulation.Password, s.Now()); err != nil {
		return gateError(err)
	}
	_, _ = s.Dir.GetPass(name)
	dummyHash(typed)
	return ErrCodeRequired
}

// unknownAllowed applies the back-off and lock-out of a name that names
// no account.
func (s *SignIn) unknownAllowed(name string, now time.Time) error {
	st, err := regulation.UnknownState(s.Dir, name, regulation.SecondFactor)
	if err != nil {
		return fmt.Errorf("reading the failures: %w", err)
	}
	return regulation.Default.Check(st, now)
}

// countUnknown counts a check made for a name that names no account, so
// that its back-off and lock-out look like an account's.
func (s *SignIn) countUnknown(name string, ok bool, now time.Time) error {
	if err := regulation.RecordUnknown(s.Dir, name, regulation.SecondFactor, ok, now); err != nil {
		return fmt.Errorf("recording the check: %w", err)
	}
	return nil
}

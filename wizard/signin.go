package wizard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
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
		"Enter the 6-digit code from your authenticator app, then Sign in.")
	// ErrBadCredentialsOrCode is ErrBadCredentials where a code was asked too.
	ErrBadCredentialsOrCode = words.New("wrong account name, password or code",
		"That account name, password or code isn't right. Type your password again, and a new code from your authenticator app.")
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

// SignIn checks account names and passwords, applying the back-off and
// lock-out rules. Failures of existing accounts are persisted; failures of
// names that do not exist are tracked in memory so that both look alike.
type SignIn struct {
	Dir info.Store
	Now func() time.Time
	// Pass, if set, checks a Temporary Access Pass typed instead of the
	// password: true signs in; false with a nil error is a wrong password;
	// an error (expired, used) is shown as it is.
	Pass func(account, typed string, now time.Time) (bool, error)

	mu sync.Mutex
	// unknown is the back-off of each name typed that names no account,
	// so that it waits as an account would. People type passwords into
	// the account field, so a name is kept only as its slot: 16 bits of
	// a keyed hash (key), which any typed string shares with one in
	// 65,536 others and so can't confirm it, even to someone who reads
	// this memory, key and all. The slots outlive a kiosk wipe, as an
	// account's failures do in the store: were they dropped, a name whose
	// back-off a wipe resets would be one that names no account. At most
	// maxUnknownNames are kept.
	unknown map[uint16]regulation.State
	// key is made once, for the process's life: a new one would move
	// every name to another slot, which is the reset a wipe must not be.
	key []byte
}

// maxUnknownNames bounds SignIn's memory of names that name no account;
// past it, the one failed longest ago is forgotten. It also bounds how
// often two names share a slot: a name never typed lands in a slot in use
// at most 1,024 times in 65,536 (1.6%), and then starts from that
// slot's failures, as an account someone else failed at does.
const maxUnknownNames = 1024

// slot is where name's back-off is kept in s.unknown. s.mu is held.
func (s *SignIn) slot(name string) uint16 {
	if s.key == nil {
		s.key = make([]byte, 32)
		_, _ = rand.Read(s.key) // crypto/rand.Read never returns an error
	}
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(normaliseName(name)))
	return binary.BigEndian.Uint16(m.Sum(nil))
}

// setUnknown keeps st for slot k, forgetting the name failed longest ago
// when maxUnknownNames are kept. s.mu is held.
func (s *SignIn) setUnknown(k uint16, st regulation.State) {
	if s.unknown == nil {
		s.unknown = map[uint16]regulation.State{}
	}
	if _, ok := s.unknown[k]; !ok && len(s.unknown) >= maxUnknownNames {
		oldest, first := uint16(0), true
		for x, v := range s.unknown {
			if first || v.Last.Before(s.unknown[oldest].Last) {
				oldest, first = x, false
			}
		}
		delete(s.unknown, oldest)
	}
	s.unknown[k] = st
}

// Check signs a person in. It returns the account on success, and
// ErrBadCredentials, *WaitError or ErrLocked otherwise. It is slow on
// purpose (argon2id): call it off the UI thread.
func (s *SignIn) Check(name, password string) (info.Account, error) {
	return s.CheckWithCode(name, password, "")
}

// CheckWithCode signs a person in whose directory asks for their
// authenticator code with the password at every bind (Account.CodeAtBind):
// without a code it answers ErrCodeRequired before anything is checked,
// so that a password alone never counts as a failed bind; with one, the
// directory checks both (and records the code's step). For everyone else
// it is Check, and code is not used.
func (s *SignIn) CheckWithCode(name, password, code string) (info.Account, error) {
	acct, _, err := s.check(name, password, code)
	return acct, err
}

// check is CheckWithCode, also saying whether a Temporary Access Pass was
// used instead of the password.
func (s *SignIn) check(name, password, code string) (info.Account, bool, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	acct, err := s.Dir.Account(name)
	if errors.Is(err, info.ErrNoAccount) || key == "" {
		return info.Account{}, false, s.unknownFailure(key, password)
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
		var w *regulation.WaitError
		if errors.Is(err, regulation.ErrLocked) || errors.As(err, &w) {
			return info.Account{}, false, err
		}
		return info.Account{}, false, fmt.Errorf("recording sign-in: %w", err)
	}
	ok := false
	if acct.PasswordHash != "" {
		if ok, err = secret.Check(acct.PasswordHash, password); err != nil {
			return info.Account{}, false, fmt.Errorf("checking password: %w", err)
		}
	} else {
		secret.Dummy(password) // no password yet: a pass only
	}
	now := s.Now()
	var passErr error
	byPass := false
	if s.Pass != nil {
		// Always asked, so that a pass and a password cost the same.
		viaPass, err := s.Pass(acct.Name, password, now)
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

// bind signs in where the directory checks passwords: a Temporary Access
// Pass first (a person who lost their phone has no code), then the
// password, followed by the code when the directory enforces one.
// ErrNotSupported means the store keeps hashes instead.
func (s *SignIn) bind(acct info.Account, password, code string) (info.Account, bool, error) {
	if s.Pass != nil {
		ok, err := s.Pass(acct.Name, password, s.Now())
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

// bindPassword checks the password (and code) with the directory.
func (s *SignIn) bindPassword(acct info.Account, password, code string) (info.Account, error) {
	if acct.CodeAtBind {
		if code == "" {
			return info.Account{}, ErrCodeRequired
		}
		password += code
	}
	a, err := s.Dir.Bind(acct.Name, password)
	switch {
	case err == nil:
		return a, nil
	case errors.Is(err, info.ErrNotSupported):
		return info.Account{}, err
	case errors.Is(err, info.ErrWrongPassword), errors.Is(err, info.ErrNoAccount):
		if acct.CodeAtBind {
			return info.Account{}, ErrBadCredentialsOrCode
		}
		return info.Account{}, ErrBadCredentials
	case errors.Is(err, info.ErrLocked):
		return info.Account{}, ErrLocked
	case errors.Is(err, info.ErrPasswordExpired):
		return info.Account{}, ErrPasswordExpired
	case errors.Is(err, info.ErrMustChangePassword):
		return info.Account{}, ErrMustChangePassword
	case errors.Is(err, info.ErrDirectoryUnavailable):
		return info.Account{}, fmt.Errorf("%w: %w", ErrDirectoryDown, err)
	}
	return info.Account{}, fmt.Errorf("signing in: %w", err)
}

// unknownFailure is a try with a name that names no account: gated and
// counted like an account's (Reserve), in one step under s.mu, before
// the same work a real check costs.
func (s *SignIn) unknownFailure(key, password string) error {
	now := s.Now()
	s.mu.Lock()
	k := s.slot(key)
	f := s.unknown[k]
	if err := regulation.Default.Check(f, now); err != nil {
		s.mu.Unlock()
		return err
	}
	s.setUnknown(k, f.Failed(now))
	s.mu.Unlock()
	secret.Dummy(password) // same cost as a real check
	if s.Pass != nil {
		secret.Dummy(password) // and as its pass check
	}
	return ErrBadCredentials
}

// unknownState is the back-off state of a name that names no account.
func (s *SignIn) unknownState(name string) regulation.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unknown[s.slot(name)]
}

// countUnknown counts a check made for a name that names no account, so
// that its back-off and lock-out look like an account's.
func (s *SignIn) countUnknown(name string, ok bool, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.slot(name)
	if ok {
		s.setUnknown(k, s.unknown[k].Succeeded())
	} else {
		s.setUnknown(k, s.unknown[k].Failed(now))
	}
}

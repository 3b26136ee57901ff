package wizard

import (
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

	mu      sync.Mutex
	unknown map[string]regulation.State
}

// Check signs a person in. It returns the account on success, and
// ErrBadCredentials, *WaitError or ErrLocked otherwise. It is slow on
// purpose (argon2id): call it off the UI thread.
func (s *SignIn) Check(name, password string) (info.Account, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	acct, err := s.Dir.Account(name)
	if errors.Is(err, info.ErrNoAccount) || key == "" {
		return info.Account{}, s.unknownFailure(key, password)
	}
	if err != nil {
		return info.Account{}, fmt.Errorf("reading account: %w", err)
	}
	if err := regulation.Default.Check(regulation.AccountState(acct), s.Now()); err != nil {
		return info.Account{}, err
	}
	ok := false
	if acct.PasswordHash != "" {
		if ok, err = secret.Check(acct.PasswordHash, password); err != nil {
			return info.Account{}, fmt.Errorf("checking password: %w", err)
		}
	} else {
		secret.Dummy(password) // no password yet: a pass only
	}
	now := s.Now()
	var passErr error
	if s.Pass != nil {
		// Always asked, so that a pass and a password cost the same.
		viaPass, err := s.Pass(acct.Name, password, now)
		if !ok {
			ok, passErr = viaPass, err
		}
	}
	if err := regulation.RecordAttempt(s.Dir, name, ok, now); err != nil {
		return info.Account{}, fmt.Errorf("recording sign-in: %w", err)
	}
	if passErr != nil {
		return info.Account{}, passErr
	}
	if !ok {
		return info.Account{}, ErrBadCredentials
	}
	acct.Failures = 0
	return acct, nil
}

func (s *SignIn) unknownFailure(key, password string) error {
	s.mu.Lock()
	if s.unknown == nil {
		s.unknown = map[string]regulation.State{}
	}
	f := s.unknown[key]
	s.mu.Unlock()
	if err := regulation.Default.Check(f, s.Now()); err != nil {
		return err
	}
	secret.Dummy(password) // same cost as a real check
	if s.Pass != nil {
		secret.Dummy(password) // and as its pass check
	}
	s.mu.Lock()
	s.unknown[key] = s.unknown[key].Failed(s.Now())
	s.mu.Unlock()
	return ErrBadCredentials
}

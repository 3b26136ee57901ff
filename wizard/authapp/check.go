package authapp

import (
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// ErrNoAuthenticator means the account has no authenticator app registered.
var ErrNoAuthenticator = words.New("no authenticator app is registered for this account",
	"No authenticator app is registered for this account.")

// CheckCode verifies a code against each authenticator app registered for
// account, reading each key with dir.Secret and the last accepted step from
// the method's LastStep. On success it stores the code's step
// as the new last step (inside dir.UpdateMethod, checking again there), so
// that the code and every earlier one are refused from then on, across
// restarts.
//
// Errors: ErrCodeFormat; ErrNoAuthenticator; and, when no app accepts the
// code, ErrReplayed if some app has already accepted it, else a
// *ClockSkewError if it matches some app's key at a skewed time, else a
// wrapped error from reading a key (the keyring may be locked: the code
// may have been right), else ErrWrongCode. Counting failed attempts is the
// caller's business.
func CheckCode(dir info.Store, account, code string, now time.Time) error {
	if _, err := NormaliseCode(code); err != nil {
		return err
	}
	all, err := dir.Methods(account)
	if err != nil {
		return fmt.Errorf("read your registered methods: %w", err)
	}
	apps := authMethods(all)
	if len(apps) == 0 {
		return ErrNoAuthenticator
	}
	// Reading five keys from a slow keyring waits one time limit, not five.
	defer dir.Bound(0)()
	var replayed, skew, readErr error
	for _, m := range apps {
		step, err := checkOne(dir, account, m, code, now)
		switch {
		case err == nil:
			return persistStep(dir, account, m.ID, step)
		case errors.Is(err, ErrReplayed):
			replayed = err
		case errors.Is(err, ErrClockSkew):
			skew = err
		case errors.Is(err, ErrWrongCode):
		default:
			readErr = err
		}
	}
	for _, err := range []error{replayed, skew, readErr} {
		if err != nil {
			return err
		}
	}
	return ErrWrongCode
}

// checkOne verifies code against one registered app.
func checkOne(dir info.Store, account string, m info.Method, code string, now time.Time) (int64, error) {
	key, err := dir.Secret(account, m.ID)
	if err != nil {
		return 0, fmt.Errorf("read the key of %q: %w", m.Label, err)
	}
	defer secret.Zero(key)
	return Verify(key, code, now, m.LastStep)
}

// persistStep records step as the method's last accepted step, refusing it
// with ErrReplayed if a step at least as late was recorded meanwhile.
func persistStep(dir info.Store, account, id string, step int64) error {
	err := dir.UpdateMethod(account, id, func(m *info.Method) error {
		if step <= m.LastStep {
			return ErrReplayed
		}
		m.LastStep = step
		return nil
	})
	if errors.Is(err, ErrReplayed) {
		return ErrReplayed
	}
	if err != nil {
		return fmt.Errorf("record the accepted code: %w", err)
	}
	return nil
}

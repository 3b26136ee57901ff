package authapp

import (
	"errors"
	"fmt"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Submit tests the pending key with a code typed on the try screen and, if
// it verifies, stores the authenticator app and moves to the done screen.
//
// What it returns, in the order it is checked:
//   - ErrWrongScreen (not on the try screen) or ErrAborted;
//   - ErrPendingExpired: the key is PendingLifetime old; a new key replaces
//     it and the screen goes back to scan;
//   - ErrCodeFormat: not 6 digits; this does not count as an attempt;
//   - ErrWrongCode, or a *ClockSkewError (errors.Is ErrClockSkew) when the
//     code belongs to a time more than 30 s but at most 10 min away: both
//     count as a wrong attempt, since a skewed code is not accepted. The
//     MaxAttempts-th wrong attempt returns ErrTooManyAttempts instead: the
//     key is zeroed, a new one replaces it (new URI) and the screen goes back
//     to scan;
//   - ErrTooManyDevices or ErrDeviceNameTaken if, meanwhile, the account got
//     its fifth app or one with the same name (nothing stored; for the name,
//     rename and submit again);
//   - a wrapped storage error if saving fails (for example
//     info.ErrKeyringUnavailable): nothing is registered, the pending key
//     and screen are kept, and the person can submit again.
func (s *Setup) Submit(code string) error {
	if s.aborted {
		return ErrAborted
	}
	if s.screen != ScreenTry {
		return fmt.Errorf("submit a code on %s: %w", s.screen, ErrWrongScreen)
	}
	now := s.ctx.Now()
	if s.expired(now) {
		if err := s.renew(); err != nil {
			return err
		}
		s.screen = ScreenScan
		return ErrPendingExpired
	}
	step, err := Verify(s.secret, code, now, 0)
	switch {
	case errors.Is(err, ErrCodeFormat):
		return err
	case err != nil:
		s.attempts++
		if s.attempts < MaxAttempts {
			if errors.Is(err, ErrWrongCode) {
				return &WrongCodeError{Left: MaxAttempts - s.attempts}
			}
			return err
		}
		if err := s.renew(); err != nil {
			return err
		}
		s.screen = ScreenScan
		return ErrTooManyAttempts
	}
	return s.store(step)
}

// WrongCodeError is a wrong code on the try screen with tries left before
// a new key is needed; errors.Is(err, ErrWrongCode) holds. Its words are
// every method's (words.WrongCode).
type WrongCodeError struct {
	// Left is how many more wrong codes the key allows.
	Left int
}

// Error says the code is wrong and how many tries are left.
func (e *WrongCodeError) Error() string {
	return fmt.Sprintf("that code isn't right (%d left before a new key)", e.Left)
}

// Words say the code is wrong and how many tries are left.
func (e *WrongCodeError) Words() string { return words.WrongCode(e.Left) }

// Is makes errors.Is(err, ErrWrongCode) true.
func (e *WrongCodeError) Is(target error) bool { return target == ErrWrongCode }

// store saves the verified pending key as a new method.
func (s *Setup) store(step int64) error {
	existing, err := s.existing()
	if err != nil {
		return err
	}
	if len(existing) >= MaxDevices {
		return ErrTooManyDevices
	}
	name, err := CheckDeviceName(s.deviceName, existing)
	if err != nil {
		return err
	}
	id, err := secret.NewID(s.ctx.Rand)
	if err != nil {
		return err
	}
	m := info.Method{
		ID:        id,
		Kind:      info.KindAuthenticatorApp,
		Label:     name,
		Created:   s.ctx.Now(),
		HasSecret: true,
		LastStep:  step,
	}
	// The directory gets its own copy: ours is zeroed below.
	if err := s.ctx.Dir.AddMethod(s.ctx.Account, m, append([]byte(nil), s.secret...)); err != nil {
		return fmt.Errorf("save the authenticator app: %w", err)
	}
	s.discard()
	s.screen, s.done = ScreenDone, true
	return nil
}

// CodeComplete reports whether typed is a whole code as Submit reads it
// (secret.NormaliseCode), so that a page can submit it on its last digit.
func (s *Setup) CodeComplete(typed string) bool { return secret.CodeComplete(typed, Digits) }

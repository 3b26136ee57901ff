package phone

import (
	"crypto/hmac"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// Submit checks a code typed on the code screen and, if it is the code
// waiting, registers the phone and moves to the done screen.
//
// What it returns, in the order it is checked:
//   - ErrAborted, ErrWrongScreen (not on the code screen), ErrBusy (a
//     resend is in flight);
//   - ErrNoCode (the last send failed), ErrCodeUsedUp or ErrCodeExpired
//     when no code is waiting: the person must choose Resend code;
//   - ErrCodeExpired: the code is CodeLifetime old; it is discarded;
//   - ErrCodeFormat: not 6 digits (spaces and dashes are ignored); not an
//     attempt;
//   - a *WrongCodeError (errors.Is ErrWrongCode) with the tries left; the
//     MaxAttempts-th wrong code returns ErrCodeUsedUp instead and ends the
//     code;
//   - ErrPhoneExists if the account got a phone meanwhile (nothing stored);
//   - a wrapped storage error if saving fails: nothing is registered, the
//     code stays as it was and the person may submit it again.
//
// A code registers the phone once: after success the code is gone and the
// setup is done.
func (s *Setup) Submit(code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ScreenCode); err != nil {
		return err
	}
	if s.code == nil {
		if s.ended == nil {
			return ErrNoCode
		}
		return s.ended
	}
	if !s.ctx.Now().Before(s.code.sent.Add(CodeLifetime)) {
		s.discardCode(ErrCodeExpired)
		return ErrCodeExpired
	}
	c, err := NormaliseCode(code)
	if err != nil {
		return err
	}
	p := s.code
	if !hmac.Equal(codeMAC(s.key, p.number, p.channel, c), p.mac) {
		p.attempts++
		if p.attempts >= MaxAttempts {
			s.discardCode(ErrCodeUsedUp)
			return ErrCodeUsedUp
		}
		return &WrongCodeError{Left: MaxAttempts - p.attempts}
	}
	if err := s.store(); err != nil {
		return err
	}
	s.discardCode(nil)
	secret.Zero(s.key)
	s.screen, s.done = ScreenDone, true
	return nil
}

// store saves the verified number as the account's phone.
func (s *Setup) store() error {
	if err := s.checkNoPhone(); err != nil {
		return err
	}
	id, err := secret.NewID(s.ctx.Rand)
	if err != nil {
		return err
	}
	m := info.Method{
		ID:      id,
		Kind:    info.KindPhone,
		Label:   s.number.Masked(),
		Created: s.ctx.Now(),
		Phone:   s.number.E164,
		Channel: string(s.channel),
	}
	if err := s.ctx.Dir.AddMethod(s.ctx.Account, m, nil); err != nil {
		return fmt.Errorf("save your phone: %w", err)
	}
	return nil
}

// AttemptsLeft returns how many wrong entries the code waiting still
// allows; 0 if none is waiting.
func (s *Setup) AttemptsLeft() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.code == nil {
		return 0
	}
	return MaxAttempts - s.code.attempts
}

// Expires returns when the code waiting expires; the zero time if none is
// waiting.
func (s *Setup) Expires() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.code == nil {
		return time.Time{}
	}
	return s.code.sent.Add(CodeLifetime)
}

// CodeComplete reports whether typed is a whole code as Submit reads it
// (secret.NormaliseCode), so that a page can submit it on its last digit.
func (s *Setup) CodeComplete(typed string) bool { return secret.CodeComplete(typed, CodeDigits) }

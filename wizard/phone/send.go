package phone

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The resend wait: FirstCooldown after the first successful send to a
// number, doubling after each further one (30 s, 60 s, 120 s…), never more
// than MaxCooldown.
const (
	FirstCooldown = 30 * time.Second
	MaxCooldown   = time.Hour
)

// ErrCooldown is matched by *CooldownError.
var ErrCooldown = words.New("wait a little before asking for another code",
	"Wait a little before asking for another code.")

// CooldownError means a resend came too soon; errors.Is(err, ErrCooldown)
// holds.
type CooldownError struct {
	// Wait is how long until a new code may be sent.
	Wait time.Duration
}

// Error tells the person how long to wait.
func (e *CooldownError) Error() string {
	return fmt.Sprintf("wait %s before asking for another code", words.Duration(e.Wait))
}

// Words tell the person how long to wait.
func (e *CooldownError) Words() string {
	return fmt.Sprintf("Wait %s before asking for another code.", words.Duration(e.Wait))
}

// Is makes errors.Is(err, ErrCooldown) true.
func (e *CooldownError) Is(target error) bool { return target == ErrCooldown }

// SendError is a failed send: errors.Is(err, ErrSendFailed) holds, and the
// Sender's own error is wrapped (for a delivery sender, a *delivery.Error
// telling timeout, refused, HTTP status and malformed reply apart).
type SendError struct {
	Err error
	// text is Err's text with the code removed.
	text string
}

// Error is the delivery error's text, which is written for the person and
// ends with a technical detail in parentheses.
func (e *SendError) Error() string {
	if errors.Is(e.Err, ErrSendFailed) {
		return e.text
	}
	return fmt.Sprintf("%s (%s)", ErrSendFailed.Error(), e.text)
}

// Words say the code wasn't sent and what to do; the technical detail is
// for the log (Error).
func (e *SendError) Words() string { return ErrSendFailed.Words() }

// Unwrap returns ErrSendFailed and the Sender's error.
func (e *SendError) Unwrap() []error { return []error{ErrSendFailed, e.Err} }

// Send validates number (typed with the picker's region, see ParseNumber)
// and sends it a new code over ch (method.ChannelSMS: "Text me a code",
// method.ChannelVoice: "Call me"), then moves to the code screen. It may
// block up to SendTimeout. It returns, in the order checked:
//   - ErrAborted, ErrWrongScreen (not on the number screen), ErrBusy,
//     ErrChannel;
//   - a ParseNumber error (ErrNumberLetters, ErrNumberInvalid,
//     ErrNumberPremium…): nothing is sent;
//   - a *LimitError (ErrTooManySends): this number has had 5 codes in
//     the last hour, in this Setup or any other sharing the limiter;
//   - a *CooldownError (ErrCooldown): this Setup sent to this number less
//     than the cooldown ago (after Change number, the same number still
//     waits; a different number does not);
//   - a *SendError (ErrSendFailed): the Sender failed; the screen stays,
//     no code is valid, no wait starts and the send is not counted;
//   - ErrAborted or ErrCancelled if Abort or ChangeNumber was called
//     while sending: no code is kept.
func (s *Setup) Send(number string, ch method.Channel) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ScreenNumber); err != nil {
		return err
	}
	if ch != method.ChannelSMS && ch != method.ChannelVoice {
		return ErrChannel
	}
	n, err := ParseNumber(number, s.region.Code)
	if err != nil {
		return err
	}
	return s.send(n, ch)
}

// Resend sends a new code to the same number over the same channel; the
// old code stops working at once. Errors as Send's, from *LimitError on;
// a failed resend leaves no code valid (Submit returns ErrNoCode) and the
// person may resend again straight away.
func (s *Setup) Resend() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ScreenCode); err != nil {
		return err
	}
	return s.send(s.number, s.channel)
}

// ready checks the setup can take input on screen.
func (s *Setup) ready(screen string) error {
	switch {
	case s.aborted:
		return ErrAborted
	case s.screen != screen:
		return fmt.Errorf("on %s: %w", s.screen, ErrWrongScreen)
	case s.sending:
		return ErrBusy
	}
	return nil
}

// CooldownLeft returns how long until Resend may send again to the number
// the code was last sent to; 0 if it may now. For the countdown beside
// Resend code.
func (s *Setup) CooldownLeft() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cooldownLeft(s.number.E164, s.ctx.Now())
}

// cooldown is the wait after k successful sends to one number.
func cooldown(k int) time.Duration {
	if k <= 0 {
		return 0
	}
	d := FirstCooldown
	for i := 1; i < k && d < MaxCooldown; i++ {
		d *= 2
	}
	return min(d, MaxCooldown)
}

// cooldownLeft is how long until number may be sent to again, by this
// Setup's sends and by every Setup's (the shared limiter).
func (s *Setup) cooldownLeft(number string, now time.Time) time.Duration {
	shared := s.limiter.CooldownLeft(number, now)
	ts := s.sends[number]
	if len(ts) == 0 {
		return shared
	}
	return max(ts[len(ts)-1].Add(cooldown(len(ts))).Sub(now), shared, 0)
}

// send sends a new code to n over ch; s.mu is held, and released while the
// Sender works.
func (s *Setup) send(n Number, ch method.Channel) error {
	now := s.ctx.Now()
	recent := 0
	for _, t := range s.sends[n.E164] {
		if t.Add(SendWindow).After(now) {
			recent++
		}
	}
	if recent >= MaxSendsPerHour {
		ts := s.sends[n.E164]
		return &LimitError{Wait: ts[len(ts)-MaxSendsPerHour].Add(SendWindow).Sub(now)}
	}
	if wait := s.cooldownLeft(n.E164, now); wait > 0 {
		return &CooldownError{Wait: wait}
	}
	code, err := NewCode(s.ctx.Rand)
	if err != nil {
		return err
	}
	release, err := s.limiter.Reserve(n.E164, s.ctx.Account, now)
	if err != nil {
		return err
	}
	// From here the old code is gone, whatever happens.
	s.discardCode(ErrNoCode)
	p := &pending{mac: codeMAC(s.key, n.E164, ch, code), number: n.E164, channel: ch, sent: now}
	m := method.Message{To: n.E164, Channel: ch, Text: messageText(ch, s.ctx.Organisation, code)}

	ctx, cancel := context.WithTimeout(context.Background(), SendTimeout)
	s.sending, s.cancel = true, cancel
	gen := s.gen
	s.mu.Unlock()
	err = s.ctx.Send.Send(ctx, m)
	s.mu.Lock()
	cancel()
	s.sending, s.cancel = false, nil

	if gen != s.gen || s.aborted {
		// Change number or Abort meanwhile: the code is not kept. A
		// message that did go out still counts against the limit.
		secret.Zero(p.mac)
		if err != nil {
			release()
		}
		if s.aborted {
			return ErrAborted
		}
		return ErrCancelled
	}
	if err != nil {
		release()
		secret.Zero(p.mac)
		s.discardCode(ErrNoCode)
		return &SendError{Err: err, text: strings.ReplaceAll(err.Error(), code, "••••••")}
	}
	s.sends[n.E164] = append(s.sends[n.E164], s.ctx.Now())
	s.code, s.ended = p, nil
	s.number, s.channel = n, ch
	if r, ok := LookupRegion(n.Region); ok {
		s.region = r
	}
	s.screen = ScreenCode
	return nil
}

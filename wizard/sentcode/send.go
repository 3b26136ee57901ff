package sentcode

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// SendTimeout bounds each send: the Sender gets a context with this
// deadline.
const SendTimeout = 10 * time.Second

// The resend wait: FirstCooldown after the first successful send to a
// number or address, doubling after each further one (30 s, 60 s,
// 120 s…), never more than MaxCooldown.
const (
	FirstCooldown = 30 * time.Second
	MaxCooldown   = time.Hour
)

// Cooldown is the wait after k successful sends to one destination.
func Cooldown(k int) time.Duration {
	if k <= 0 {
		return 0
	}
	d := FirstCooldown
	for i := 1; i < k && d < MaxCooldown; i++ {
		d *= 2
	}
	return min(d, MaxCooldown)
}

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

// ErrSendFailed is matched by every failed send (it is
// delivery.ErrDeliveryFailed): nothing is registered, no code is left
// valid and no wait started, so the person can try again at once or
// choose another method.
var ErrSendFailed = delivery.ErrDeliveryFailed

// SendError is a failed send: errors.Is(err, ErrSendFailed) holds, and the
// Sender's own error is wrapped (for a delivery sender, a *delivery.Error
// telling timeout, refused, HTTP status and malformed reply apart).
type SendError struct {
	Err error
	// text is Err's text with the code removed.
	text string
}

// NewSendError is the Sender's err for a message carrying code, with the
// code taken out of its text (a Sender may quote the message it refused):
// as typed, and as a call speaks it ("1, 2, 3…"), also form-encoded as a
// provider may echo the request it was sent ("1%2C+2%2C+3…").
func NewSendError(err error, code string) *SendError {
	return &SendError{Err: err, text: codeForms(code).ReplaceAllString(err.Error(), "••••••")}
}

// codeForms matches code's digits in order with only separators between
// them: spaces, punctuation a voice text puts between digits, and their
// URL encodings.
func codeForms(code string) *regexp.Regexp {
	const sep = `(?:[\s,.;:+\-]|%2[Cc]|%20|%3[Bb])*`
	digits := make([]string, 0, len(code))
	for _, r := range code {
		digits = append(digits, regexp.QuoteMeta(string(r)))
	}
	return regexp.MustCompile(strings.Join(digits, sep))
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

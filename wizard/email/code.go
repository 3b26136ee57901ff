package email

import (
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/sentcode"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The code's rules: every code-by-message method's (wizard/sentcode).
const (
	// CodeDigits is the length of a code.
	CodeDigits = sentcode.CodeDigits
	// CodeLifetime is how long a code may be entered after it was sent.
	CodeLifetime = sentcode.CodeLifetime
	// MaxAttempts is how many wrong entries end a code.
	MaxAttempts = sentcode.MaxAttempts
	// MaxSendsPerHour codes go to one address within SendWindow at most.
	MaxSendsPerHour = sentcode.MaxSendsPerHour
	// SendWindow is the window of the send limit.
	SendWindow = sentcode.SendWindow
	// FirstCooldown is the wait after the first send to an address; it
	// doubles after each further one, up to MaxCooldown.
	FirstCooldown = sentcode.FirstCooldown
	// MaxCooldown is the longest wait between sends.
	MaxCooldown = sentcode.MaxCooldown
	// SendTimeout bounds each send.
	SendTimeout = sentcode.SendTimeout
)

// Code errors, sentcode's where the words fit an email too (checked with
// errors.Is against these names).
var (
	// ErrCodeFormat means the entry is not 6 digits; not an attempt.
	ErrCodeFormat = sentcode.ErrCodeFormat
	// ErrWrongCode is matched by *WrongCodeError, which says how many
	// tries are left.
	ErrWrongCode = sentcode.ErrWrongCode
	// ErrCodeUsedUp means MaxAttempts wrong codes ended the code.
	ErrCodeUsedUp = sentcode.ErrCodeUsedUp
	// ErrCodeExpired means the code is older than CodeLifetime.
	ErrCodeExpired = sentcode.ErrCodeExpired
	// ErrCooldown is matched by *CooldownError: a resend came too soon.
	ErrCooldown = sentcode.ErrCooldown
	// ErrNoCode means no code is waiting (the last send failed).
	ErrNoCode = words.New("no code is waiting for this address: choose Resend code to get one",
		"No code is waiting for this address. Choose Resend code to get one.")
	// ErrTooManySends is matched by *LimitError.
	ErrTooManySends = words.New("this address has had too many codes in the last hour",
		"This address has had too many codes in the last hour. Try again later, or choose a different method.")
)

// WrongCodeError is a wrong code with tries left (sentcode.WrongCodeError).
type WrongCodeError = sentcode.WrongCodeError

// CooldownError is a resend that came too soon (sentcode.CooldownError).
type CooldownError = sentcode.CooldownError

// SendError is a failed send, with the code taken out of its text
// (sentcode.SendError).
type SendError = sentcode.SendError

// LimitError means the address has had MaxSendsPerHour codes within the
// window; errors.Is(err, ErrTooManySends) holds.
type LimitError struct {
	// Wait is how long until the next code may be sent.
	Wait time.Duration
}

// Error says when a code can be sent again.
func (e *LimitError) Error() string {
	return fmt.Sprintf("this address has had %d codes in the last hour: try again in %s", MaxSendsPerHour, minutes(e.Wait))
}

// Words tell the person when they can try again.
func (e *LimitError) Words() string {
	return fmt.Sprintf("This address has had %d codes in the last hour. Try again in %s, or choose a different method.",
		MaxSendsPerHour, minutes(e.Wait))
}

// Is makes errors.Is(err, ErrTooManySends) true.
func (e *LimitError) Is(target error) bool { return target == ErrTooManySends }

// minutes says d in whole minutes, rounded up, at least 1.
func minutes(d time.Duration) string {
	m := max(int((d+time.Minute-1)/time.Minute), 1)
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

// Limiter counts codes sent to each address, across Setups and Provers;
// it is sentcode's, keyed by address here.
type Limiter = sentcode.Limiter

// NewLimiter returns a limiter allowing max sends per address per window.
func NewLimiter(max int, window time.Duration) *Limiter { return sentcode.NewLimiter(max, window) }

// SharedLimiter is the limiter every Setup and Prover uses unless its
// Config names another: so starting over, or a second station process
// window, doesn't skip the waits. A Setup keeps the limiter it started
// with.
var SharedLimiter = NewLimiter(MaxSendsPerHour, SendWindow)

// reserve records a send to addr at now in l, or returns a *LimitError
// (the hourly cap, checked first) or a *CooldownError.
func reserve(l *Limiter, addr, account string, now time.Time) (cancel func(), err error) {
	wait := l.CooldownLeft(addr, now)
	cancel, err = l.Reserve(addr, account, now)
	var le *sentcode.LimitError
	switch {
	case errors.As(err, &le):
		return cancel, &LimitError{Wait: le.Wait}
	case err != nil:
		return cancel, err
	case wait > 0:
		cancel()
		return func() {}, &CooldownError{Wait: wait}
	}
	return cancel, nil
}

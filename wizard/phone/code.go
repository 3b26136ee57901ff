package phone

import (
	"io"
	"time"

	"github.com/securityinfo/securityinfo/wizard/sentcode"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The code's rules and the send limits are every code-by-message method's
// (wizard/sentcode); these names are theirs.
const (
	// CodeDigits is the length of a code.
	CodeDigits = sentcode.CodeDigits
	// CodeLifetime is how long a code may be entered after it was sent.
	CodeLifetime = sentcode.CodeLifetime
	// MaxAttempts is how many wrong entries end a code.
	MaxAttempts = sentcode.MaxAttempts
	// SendTimeout bounds each send.
	SendTimeout = sentcode.SendTimeout
	// FirstCooldown is the wait after the first send to a number; it
	// doubles after each further one, up to MaxCooldown.
	FirstCooldown = sentcode.FirstCooldown
	// MaxCooldown is the longest wait between sends.
	MaxCooldown = sentcode.MaxCooldown
	// MaxSendsPerHour codes go to one number within SendWindow at most.
	MaxSendsPerHour = sentcode.MaxSendsPerHour
	// MaxSendsPerAccount codes go to one account's numbers within
	// SendWindow at most.
	MaxSendsPerAccount = sentcode.MaxSendsPerAccount
	// MaxSendsPerStation codes leave this station within SendWindow at
	// most.
	MaxSendsPerStation = sentcode.MaxSendsPerStation
	// SendWindow is the window of the send limits.
	SendWindow = sentcode.SendWindow
)

// Errors of a code and of a send, checked with errors.Is against these
// names.
var (
	// ErrCodeFormat means the entry is not 6 digits; not an attempt.
	ErrCodeFormat = sentcode.ErrCodeFormat
	// ErrWrongCode is matched by *WrongCodeError.
	ErrWrongCode = sentcode.ErrWrongCode
	// ErrCodeUsedUp means MaxAttempts wrong codes ended the code.
	ErrCodeUsedUp = sentcode.ErrCodeUsedUp
	// ErrCodeExpired means the code is older than CodeLifetime.
	ErrCodeExpired = sentcode.ErrCodeExpired
	// ErrNoCode means no code is waiting (the last send failed).
	ErrNoCode = words.New("no code is waiting for this number: choose Resend code to get one",
		"No code is waiting for this number. Choose Resend code to get one.")
	// ErrCooldown is matched by *CooldownError.
	ErrCooldown = sentcode.ErrCooldown
	// ErrTooManySends is matched by *LimitError, ErrAccountSends and
	// ErrStationSends.
	ErrTooManySends = sentcode.ErrTooManySends
	// ErrAccountSends is the account's cap.
	ErrAccountSends = sentcode.ErrAccountSends
	// ErrStationSends is the station's cap.
	ErrStationSends = sentcode.ErrStationSends
	// ErrSendFailed is matched by every failed send (it is
	// delivery.ErrDeliveryFailed): nothing is registered, no code is left
	// valid and no wait started, so the person can try again at once or
	// choose another method.
	ErrSendFailed = sentcode.ErrSendFailed
)

// WrongCodeError is a wrong code with tries left.
type WrongCodeError = sentcode.WrongCodeError

// CooldownError is a resend that came too soon.
type CooldownError = sentcode.CooldownError

// LimitError means the number has had MaxSendsPerHour codes within the
// window.
type LimitError = sentcode.LimitError

// SendError is a failed send, with the code taken out of its text.
type SendError = sentcode.SendError

// Limiter counts the codes sent to each number, across Setups and
// Provers.
type Limiter = sentcode.Limiter

// NewLimiter returns a limiter allowing max sends per number per window.
func NewLimiter(max int, window time.Duration) *Limiter { return sentcode.NewLimiter(max, window) }

// SharedLimiter is the limiter every Setup uses, shared by all Setups in
// the process (kiosk: one person after another; helpdesk: several at
// once). A host that wants its own (for example one per test) replaces it
// before calling NewSetup; a Setup keeps the limiter it started with.
var SharedLimiter = NewLimiter(MaxSendsPerHour, SendWindow)

// NewCode returns a uniformly random 6-digit code read from r.
func NewCode(r io.Reader) (string, error) { return sentcode.NewCode(r) }

// NormaliseCode reads a typed code, or returns ErrCodeFormat if it is not
// CodeDigits digits.
func NormaliseCode(code string) (string, error) { return sentcode.NormaliseCode(code) }

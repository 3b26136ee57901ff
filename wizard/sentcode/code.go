package sentcode

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The code's rules.
const (
	// CodeDigits is the length of a code.
	CodeDigits = 6
	// CodeLifetime is how long a code may be entered after it was sent.
	CodeLifetime = 10 * time.Minute
	// MaxAttempts is how many wrong entries end a code.
	MaxAttempts = 5
)

// codeLimit is the largest multiple of 10^6 that fits in 32 bits: values at
// or above it are drawn again, so that every code is equally likely.
const codeLimit = 4294000000

// NewCode returns a uniformly random 6-digit code read from r.
func NewCode(r io.Reader) (string, error) {
	var b [4]byte
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return "", fmt.Errorf("make a code: %w", err)
		}
		if v := binary.BigEndian.Uint32(b[:]); v < codeLimit {
			return fmt.Sprintf("%06d", v%1000000), nil
		}
	}
}

// NormaliseCode reads a typed code as secret.NormaliseCode does (spaces and
// dashes dropped, full-width and Arabic-Indic digits read as digits), or
// returns ErrCodeFormat if it is not CodeDigits digits.
func NormaliseCode(code string) (string, error) {
	c, ok := secret.NormaliseCode(code, CodeDigits)
	if !ok {
		return "", ErrCodeFormat
	}
	return c, nil
}

// Sent is a code that was sent, held only as a MAC under a key its holder
// keeps (a Setup's or a Prover's), bound to where and how it went. It is
// not safe for concurrent use: its holder locks.
type Sent struct {
	mac      []byte // HMAC-SHA256(key, to NUL channel NUL code)
	to       string // the E.164 number or address it was sent to
	channel  method.Channel
	at       time.Time
	attempts int
}

// NewSent records code, sent to to over ch at at, as its MAC under key.
func NewSent(key []byte, to string, ch method.Channel, code string, at time.Time) *Sent {
	return &Sent{mac: codeMAC(key, to, ch, code), to: to, channel: ch, at: at}
}

// codeMAC binds code to the destination and channel it was sent over.
func codeMAC(key []byte, to string, ch method.Channel, code string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(to))
	m.Write([]byte{0})
	m.Write([]byte(ch))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}

// Check checks a typed code against p at now, counting a wrong one: nil
// if it is the code; ErrCodeExpired once p is CodeLifetime old,
// ErrCodeFormat (not counted), a *WrongCodeError, or ErrCodeUsedUp on the
// MaxAttempts-th wrong try. used reports whether p can take no more tries
// (expired, used up or right): its holder then discards it.
func (p *Sent) Check(key []byte, typed string, now time.Time) (used bool, err error) {
	if !now.Before(p.Expires()) {
		return true, ErrCodeExpired
	}
	c, err := NormaliseCode(typed)
	if err != nil {
		return false, err
	}
	if hmac.Equal(codeMAC(key, p.to, p.channel, c), p.mac) {
		return true, nil
	}
	p.attempts++
	if p.attempts >= MaxAttempts {
		return true, ErrCodeUsedUp
	}
	return false, &WrongCodeError{Left: MaxAttempts - p.attempts}
}

// Expires is when p stops working.
func (p *Sent) Expires() time.Time { return p.at.Add(CodeLifetime) }

// Left is how many wrong entries p still allows.
func (p *Sent) Left() int { return MaxAttempts - p.attempts }

// Zero zeroes p's MAC; call it when p is discarded.
func (p *Sent) Zero() { secret.Zero(p.mac) }

// Errors of a code, checked with errors.Is. Their texts are written for
// the person and fit a code sent to a phone or an address.
var (
	// ErrCodeFormat means the entry is not 6 digits; it does not count as
	// an attempt.
	ErrCodeFormat = words.New("the code is 6 digits: check it and enter it again",
		"The code is 6 digits. Check it and enter it again.")
	// ErrWrongCode means the code is not the one sent; a *WrongCodeError
	// says how many tries are left.
	ErrWrongCode = words.New("that code isn't right",
		"That code isn't right.")
	// ErrCodeUsedUp means MaxAttempts wrong codes ended the code.
	ErrCodeUsedUp = words.New("too many wrong codes: this code no longer works. Choose Resend code to get a new one",
		"Too many wrong codes. This code no longer works. Choose Resend code to get a new one.")
	// ErrCodeExpired means the code is older than CodeLifetime.
	ErrCodeExpired = words.New("this code has expired: codes work for 10 minutes. Choose Resend code to get a new one",
		"This code has expired. Codes work for 10 minutes. Choose Resend code to get a new one.")
)

// WrongCodeError is a wrong code with tries left; errors.Is(err,
// ErrWrongCode) holds.
type WrongCodeError struct {
	// Left is how many more wrong entries the code allows (1 to 4).
	Left int
}

// Error says the code is wrong and how many tries are left.
func (e *WrongCodeError) Error() string {
	tries := "tries"
	if e.Left == 1 {
		tries = "try"
	}
	return fmt.Sprintf("that code isn't right: check it and try again (%d %s left)", e.Left, tries)
}

// Words say the code is wrong and how many tries are left, as every
// method does (words.WrongCode).
func (e *WrongCodeError) Words() string { return words.WrongCode(e.Left) }

// Is makes errors.Is(err, ErrWrongCode) true.
func (e *WrongCodeError) Is(target error) bool { return target == ErrWrongCode }

// Zeroed reports whether p's MAC was zeroed (Zero), so that a holder's
// tests can see that discarding a code leaves nothing of it in memory.
func (p *Sent) Zeroed() bool {
	for _, b := range p.mac {
		if b != 0 {
			return false
		}
	}
	return true
}

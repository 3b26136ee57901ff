package phone

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

// pending is a sent code, held only as a MAC.
type pending struct {
	mac      []byte // HMAC-SHA256(key, number NUL channel NUL code)
	number   string // E.164 it was sent to
	channel  method.Channel
	sent     time.Time
	attempts int
}

// codeMAC binds code to the number and channel it was sent over.
func codeMAC(key []byte, number string, ch method.Channel, code string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(number))
	m.Write([]byte{0})
	m.Write([]byte(ch))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}

// Errors from Submit, checked with errors.Is. Their texts are written for
// the person.
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
	// ErrNoCode means no code is waiting (the last send failed).
	ErrNoCode = words.New("no code is waiting for this number: choose Resend code to get one",
		"No code is waiting for this number. Choose Resend code to get one.")
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

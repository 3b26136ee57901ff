package phone

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"github.com/securityinfo/securityinfo/wizard"
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

// NormaliseCode returns code without spaces and dashes, or ErrCodeFormat if
// what is left is not 6 digits. Full-width and Arabic-Indic digits are
// accepted.
func NormaliseCode(code string) (string, error) {
	var b strings.Builder
	for _, r := range code {
		switch {
		case unicode.IsSpace(r) || r == '-':
		case unicode.IsDigit(r):
			d := digitValue(r)
			if d < 0 {
				return "", ErrCodeFormat
			}
			b.WriteByte(byte('0' + d))
		default:
			return "", ErrCodeFormat
		}
	}
	if b.Len() != CodeDigits {
		return "", ErrCodeFormat
	}
	return b.String(), nil
}

// digitValue returns the value of an ASCII, full-width or Arabic-Indic
// digit (the ones phonenumbers normalises), or -1.
func digitValue(r rune) int {
	d := phonenumbers.NormalizeDigitsOnly(string(r))
	if len(d) != 1 || d[0] < '0' || d[0] > '9' {
		return -1
	}
	return int(d[0] - '0')
}

// pending is a sent code, held only as a MAC.
type pending struct {
	mac      []byte // HMAC-SHA256(key, number NUL channel NUL code)
	number   string // E.164 it was sent to
	channel  wizard.Channel
	sent     time.Time
	attempts int
}

// codeMAC binds code to the number and channel it was sent over.
func codeMAC(key []byte, number string, ch wizard.Channel, code string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(number))
	m.Write([]byte{0})
	m.Write([]byte(ch))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}

// zero overwrites b.
func zero(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// Errors from Submit, checked with errors.Is. Their texts are written for
// the person.
var (
	// ErrCodeFormat means the entry is not 6 digits; it does not count as
	// an attempt.
	ErrCodeFormat = errors.New("the code is 6 digits: check it and enter it again")
	// ErrWrongCode means the code is not the one sent; a *WrongCodeError
	// says how many tries are left.
	ErrWrongCode = errors.New("that code isn't right")
	// ErrCodeUsedUp means MaxAttempts wrong codes ended the code.
	ErrCodeUsedUp = errors.New("too many wrong codes: this code no longer works. Choose Resend code to get a new one")
	// ErrCodeExpired means the code is older than CodeLifetime.
	ErrCodeExpired = errors.New("this code has expired: codes work for 10 minutes. Choose Resend code to get a new one")
	// ErrNoCode means no code is waiting (the last send failed).
	ErrNoCode = errors.New("no code is waiting for this number: choose Resend code to get one")
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

// Is makes errors.Is(err, ErrWrongCode) true.
func (e *WrongCodeError) Is(target error) bool { return target == ErrWrongCode }

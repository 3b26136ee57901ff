package authapp

import (
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The TOTP parameters this app uses, the only ones real apps honour.
const (
	// Period is the length of a TOTP time step.
	Period = 30 * time.Second
	// Digits is how many digits a code has.
	Digits = 6
	// Window is how many steps before and after the current one are
	// accepted, allowing for a slow typist or a slightly wrong clock.
	Window = 1
	// MaxSkew is how far from the current time Verify looks for a code, to
	// tell a person that their phone's clock is wrong; such a code is never
	// accepted.
	MaxSkew = 10 * time.Minute
)

// Errors from Verify, checked with errors.Is. Their texts are written for
// the person typing the code.
var (
	// ErrCodeFormat means the input is not exactly 6 digits (spaces aside).
	ErrCodeFormat = words.New("enter the 6-digit code your app shows",
		"Enter the 6-digit code your app shows.")
	// ErrWrongCode means the code does not match.
	ErrWrongCode = words.New("that code isn't right: check that you are reading the code for this account and try again",
		words.WrongCode(0))
	// ErrReplayed means the code's time step (or a later one) has already
	// been accepted: a code is accepted once only.
	ErrReplayed = words.New("that code has already been used: wait for your app to show a new code and enter that",
		"That code has already been used. Wait for your app to show a new code and enter that.")
	// ErrClockSkew is matched (errors.Is) by every *ClockSkewError.
	ErrClockSkew = words.New("the clock on your phone is wrong",
		"The clock on your phone is wrong.")
)

// ClockSkewError means the code is one the app would show at a time more
// than one step but at most MaxSkew away from now: the phone's clock is off.
// The code is not accepted.
type ClockSkewError struct {
	// Offset is how far the phone's clock is ahead (positive) or behind
	// (negative), to the nearest Period.
	Offset time.Duration
}

// Error says how far off the phone's clock is and what to do.
func (e *ClockSkewError) Error() string {
	dir, off := "ahead", e.Offset
	if off < 0 {
		dir, off = "behind", -off
	}
	return fmt.Sprintf("the clock on your phone is about %s %s: set its date and time to update automatically, then enter the new code",
		skewWords(off), dir)
}

// Words say how far off the phone's clock is and what to do.
func (e *ClockSkewError) Words() string {
	dir, off := "ahead", e.Offset
	if off < 0 {
		dir, off = "behind", -off
	}
	return fmt.Sprintf("The clock on your phone is about %s %s. Set its date and time to update automatically, then enter the new code.",
		skewWords(off), dir)
}

// skewWords says how far off a clock is, to the nearest minute once it
// is a minute or more: "30 seconds", "2 minutes", "10 minutes".
func skewWords(off time.Duration) string {
	if off >= time.Minute {
		off = off.Round(time.Minute)
	}
	return words.Duration(off)
}

// Is makes errors.Is(err, ErrClockSkew) true for a *ClockSkewError.
func (e *ClockSkewError) Is(target error) bool { return target == ErrClockSkew }

// Step returns the TOTP time step that t falls in.
func Step(t time.Time) int64 {
	s := t.Unix()
	p := int64(Period / time.Second)
	if s < 0 {
		return (s - p + 1) / p
	}
	return s / p
}

// Code returns the 6-digit SHA1 TOTP code for secret at time t.
func Code(secret []byte, t time.Time) string {
	return codeAt(secret, uint64(Step(t)), otp.DigitsSix, otp.AlgorithmSHA1)
}

// codeAt is the one HOTP computation every code goes through (RFC 4226 and
// RFC 6238 test vectors included), done by github.com/pquerna/otp/hotp.
func codeAt(secret []byte, counter uint64, digits otp.Digits, alg otp.Algorithm) string {
	code, err := hotp.GenerateCodeCustom(EncodeKey(secret), counter, hotp.ValidateOpts{
		Digits:    digits,
		Algorithm: alg,
	})
	if err != nil {
		// The only failure is a secret that is not base32, and EncodeKey
		// always produces base32.
		panic("authapp: hotp failed on an encoded key: " + err.Error())
	}
	return code
}

// NormaliseCode reads a typed code as secret.NormaliseCode does (white
// space and dashes dropped, full-width and Arabic-Indic digits read as
// digits) and checks that it is Digits digits; otherwise it returns
// ErrCodeFormat.
func NormaliseCode(code string) (string, error) {
	c, ok := secret.NormaliseCode(code, Digits)
	if !ok {
		return "", ErrCodeFormat
	}
	return c, nil
}

// Verify checks a typed code against secret at time now. lastStep is the
// last step accepted before (0 if none). It returns the step the code
// belongs to when the code is accepted: a step within the current one ±1
// and later than lastStep.
//
// Otherwise it returns ErrCodeFormat for input that is not 6 digits,
// ErrReplayed for a code of step lastStep or earlier, a *ClockSkewError
// (matching ErrClockSkew) for a code of a step more than one but at most
// MaxSkew away, and ErrWrongCode for anything else. Codes are compared in
// constant time, and every step in range is computed whatever matches.
func Verify(secret []byte, code string, now time.Time, lastStep int64) (step int64, err error) {
	c, err := NormaliseCode(code)
	if err != nil {
		return 0, err
	}
	cur := Step(now)
	far := int64(MaxSkew / Period)
	var inWindow, skewed int64 = -1, -1
	for d := -far; d <= far; d++ {
		s := cur + d
		if s < 0 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(codeAt(secret, uint64(s), otp.DigitsSix, otp.AlgorithmSHA1)), []byte(c)) != 1 {
			continue
		}
		switch {
		case d >= -Window && d <= Window:
			inWindow = max(inWindow, s) // the latest matching step
		case skewed < 0 || abs(d) < abs(skewed-cur):
			skewed = s // the matching step nearest now
		}
	}
	switch {
	case inWindow >= 0 && inWindow > lastStep:
		return inWindow, nil
	case inWindow >= 0:
		return 0, ErrReplayed
	case skewed >= 0 && skewed <= lastStep:
		return 0, ErrReplayed
	case skewed >= 0:
		return 0, &ClockSkewError{Offset: time.Duration(skewed-cur) * Period}
	}
	return 0, ErrWrongCode
}

// abs returns the absolute value of n.
func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

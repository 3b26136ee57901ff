package phone

import (
	"errors"
	"strings"
	"testing"
)

// leaks reports whether err repeats typed: a typed code is a secret, so no
// error may hold it. Input shorter than 4 characters, or that the fixed
// texts of the package's errors hold anyway ("code", "10"), is not counted.
func leaks(err error, typed string, known ...string) bool {
	typed = strings.TrimSpace(typed)
	if err == nil || len(typed) < 4 || !strings.Contains(err.Error(), typed) {
		return false
	}
	for _, k := range known {
		if strings.Contains(k, typed) {
			return false
		}
	}
	return true
}

// FuzzParseNumber: no input, in any region, makes ParseNumber panic; a
// number accepted is E.164 (+ and up to 15 digits) whose masked form
// shows no more than its last four digits.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"(201) 555-0123", "+44 20 7946 0958", "020 7946 0958", "+1 900 555 0123", "0871 123 4567", "+999 1234", "12", "call me", "+", "++1 201 555 0123", "２０１５５５０１２３", "201.555.0123 ext 5", "\x00", ""} {
		for _, r := range []string{"US", "GB", "FR", "", "ZZ"} {
			f.Add(s, r)
		}
	}
	f.Fuzz(func(t *testing.T, input, region string) {
		n, err := ParseNumber(input, region)
		if err != nil {
			return
		}
		if !strings.HasPrefix(n.E164, "+") || len(n.E164) < 3 || len(n.E164) > 16 {
			t.Fatalf("ParseNumber(%q, %q) = %q: not E.164", input, region, n.E164)
		}
		for _, r := range n.E164[1:] {
			if r < '0' || r > '9' {
				t.Fatalf("ParseNumber(%q, %q) = %q: not E.164", input, region, n.E164)
			}
		}
		if m := n.Masked(); len(n.National) > 4 && strings.Contains(m, n.National) {
			t.Fatalf("masked %q shows the whole number %q", m, n.National)
		}
	})
}

// FuzzSetup_Submit types anything on the code screen after a code was
// sent: Submit never panics, never registers the phone for a wrong code,
// never repeats what was typed in its error, and a text that is not six
// digits does not count as a try.
func FuzzSetup_Submit(f *testing.F) {
	for _, s := range []string{"123456", "12 34 56", "１２３４５６", "000000", "12345", "abcdef", "", "1234567", "999999\n", "\u0661\u0662\u0663\u0664\u0665\u0666", "correct horse battery"} {
		f.Add(s)
	}
	known := []string{ErrCodeFormat.Error(), ErrWrongCode.Error(), ErrCodeUsedUp.Error(), ErrCodeExpired.Error(), ErrNoCode.Error(),
		(&WrongCodeError{Left: 4}).Error(), (&WrongCodeError{Left: 1}).Error()}
	f.Fuzz(func(t *testing.T, typed string) {
		e := newEnv(t)
		e.toCode(t)
		code := e.send.LastCode(t)
		err := e.s.Submit(typed)
		if leaks(err, typed, known...) {
			t.Fatalf("the error repeats what was typed: %q", err)
		}
		c, ferr := NormaliseCode(typed)
		switch {
		case ferr != nil:
			if !errors.Is(err, ErrCodeFormat) {
				t.Fatalf("Submit(%q) = %v, want ErrCodeFormat", typed, err)
			}
			if e.s.AttemptsLeft() != MaxAttempts {
				t.Fatal("a malformed code counted as a try")
			}
		case c == code:
			if err != nil || len(e.stored(t)) != 1 {
				t.Fatalf("the right code %q: %v", typed, err)
			}
		default:
			if !errors.Is(err, ErrWrongCode) || len(e.stored(t)) != 0 {
				t.Fatalf("a wrong code %q: %v, %d stored", typed, err, len(e.stored(t)))
			}
		}
	})
}

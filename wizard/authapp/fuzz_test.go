package authapp

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// leaks reports whether err repeats part of a secret (a typed code, a key,
// a URI's secret): at least 4 characters of it that the fixed texts of the
// package's errors do not hold anyway.
func leaks(err error, secret string, known ...string) bool {
	secret = strings.TrimSpace(secret)
	if err == nil || len(secret) < 4 || !strings.Contains(err.Error(), secret) {
		return false
	}
	for _, k := range known {
		if strings.Contains(k, secret) {
			return false
		}
	}
	return true
}

// secretParam is the value of the secret parameter in a URI-like string.
func secretParam(s string) string {
	lower := []byte(s) // ASCII lower case only, so that offsets stay put
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + 'a' - 'A'
		}
	}
	i := strings.Index(string(lower), "secret=")
	if i < 0 {
		return ""
	}
	v := s[i+len("secret="):]
	if j := strings.IndexAny(v, "&#"); j >= 0 {
		v = v[:j]
	}
	return v
}

// uriErrorTexts are the fixed words of ParseURI's errors: input that is
// part of them is not counted as repeated.
const uriErrorTexts = "not an authenticator app link this app can use: it is not a URL; it does not start with otpauth://totp/; " +
	"issuer in the label; account in the label; the label is not issuer:account; its parameters can't be read; it has no secret; " +
	"is not supported (only SHA1, 6, 30); a name in an authenticator app can't contain ':'; can't be empty"

// FuzzParseURI: no string makes ParseURI panic; an error never repeats
// the URI or its secret (url.Parse's own error would: it quotes the whole
// URI); a URI accepted gives back a key that URI writes again the same.
func FuzzParseURI(f *testing.F) {
	good, _ := URI("Contoso", "alice@contoso.example", []byte("12345678901234567890"))
	for _, s := range []string{good,
		"otpauth://totp/Contoso:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Contoso",
		"otpauth://totp/alice?secret=GEZDGNBV&algorithm=SHA256",
		"otpauth://totp/Contoso:alice?secret=GEZDGNBV%zz&issuer=Contoso",
		"otpauth://hotp/Contoso:alice?secret=GEZDGNBV",
		"otpauth://totp/Other:alice?secret=GEZDGNBVGY3TQOJQ&issuer=Contoso",
		"otpauth://totp/:?secret=",
		"otpauth://totp/Contoso:alice?issuer=Contoso",
		"http://[::1:80/?secret=GEZDGNBVGY3TQOJQ",
		"otpauth://totp/Contoso:alice?secret=1111&digits=8",
		"\x7fotpauth://totp/a?secret=GEZDGNBVGY3TQOJQ",
		""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		issuer, account, key, err := ParseURI(s)
		if err != nil {
			if leaks(err, s, uriErrorTexts) {
				t.Fatalf("the error repeats the URI: %q", err)
			}
			if leaks(err, secretParam(s), ErrBadURI.Error(), ErrKeyFormat.Error(), "otpauth://totp/") {
				t.Fatalf("the error repeats the secret %q: %q", secretParam(s), err)
			}
			if !errors.Is(err, ErrBadURI) && !errors.Is(err, ErrKeyFormat) && !errors.Is(err, ErrColonInName) && !errors.Is(err, ErrEmptyName) {
				t.Fatalf("ParseURI(%q): %v wraps none of the package's errors", s, err)
			}
			return
		}
		again, err := URI(issuer, account, key)
		if err != nil {
			return // read back, but not a URI this app would write (a name it refuses)
		}
		i2, a2, k2, err := ParseURI(again)
		if err != nil || i2 != issuer || a2 != account || !bytes.Equal(k2, key) {
			t.Fatalf("%q → %q → (%q, %q, %x, %v)", s, again, i2, a2, k2, err)
		}
	})
}

// FuzzParseKey: a manual key as typed; never a panic; an error never
// repeats the key; a key accepted is written back (EncodeKey) as the same
// letters, spaces, case and padding aside.
func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ", "gezdgnbvgy3tqojq", "GEZDGNBVGY3TQOJQ====", "GEZDGNBVG", "GEZ1", "", "  ", "GEZDGNBV\u00a0GY3T", "ÄÖÜ", "GEZDGNBVGY3TQOJQ="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, err := ParseKey(s)
		if err != nil {
			if leaks(err, s) {
				t.Fatalf("the error repeats the key: %q", err)
			}
			if !errors.Is(err, ErrKeyFormat) {
				t.Fatalf("ParseKey(%q): %v does not wrap ErrKeyFormat", s, err)
			}
			return
		}
		back, err := ParseKey(EncodeKey(key))
		if err != nil || !bytes.Equal(back, key) {
			t.Fatalf("%q → %x → %q → %x, %v", s, key, EncodeKey(key), back, err)
		}
	})
}

// FuzzSetup_Submit types anything on the try screen: Submit never panics,
// never registers the app for a code that is not the key's, never repeats
// what was typed in its error, and a text that is not six digits does not
// count as a try.
func FuzzSetup_Submit(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "１２３４５６", "000000", "12345", "abcdef", "", "1234567", "correct horse battery"} {
		f.Add(s)
	}
	known := []string{ErrCodeFormat.Error(), ErrWrongCode.Error(), ErrReplayed.Error(), ErrTooManyAttempts.Error(), ErrPendingExpired.Error()}
	f.Fuzz(func(t *testing.T, typed string) {
		dir := newFakeDir(t)
		c := newClock(t0)
		s := newTestSetup(t, dir, c)
		toTry(t, s)
		right := Code(pendingSecret(t, s), t0)
		err := s.Submit(typed)
		if leaks(err, typed, known...) && !errors.Is(err, ErrClockSkew) {
			t.Fatalf("the error repeats what was typed: %q", err)
		}
		c2, ferr := NormaliseCode(typed)
		switch {
		case ferr != nil:
			if !errors.Is(err, ErrCodeFormat) || s.attempts != 0 {
				t.Fatalf("Submit(%q) = %v with %d tries, want ErrCodeFormat and none", typed, err, s.attempts)
			}
		case c2 == right:
			if err != nil || dir.Adds() != 1 {
				t.Fatalf("the right code %q: %v", typed, err)
			}
		default:
			if err == nil || dir.Adds() != 0 {
				t.Fatalf("the wrong code %q registered the app (%v)", typed, err)
			}
		}
	})
}

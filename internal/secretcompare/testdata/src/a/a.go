// Package a is what the secretcompare analyzer must and must not report.
package a

import (
	"bytes"
	"crypto/hmac"
	"crypto/subtle"
	"strings"
)

func codeAt(key []byte, step int) string { return "" }

func mac(key []byte, s string) []byte { return nil }

type pending struct{ mac []byte }

type region struct{ Code string }

// Verify is in ConstantTimeFuncs for this test.
func Verify(key []byte, typed string) bool {
	c := strings.TrimSpace(typed)
	found := false
	for s := 0; s < 3; s++ {
		if codeAt(key, s) == c { // want `secret compared with ==`
			found = true
			break // want `break inside a loop of Verify`
		}
		if subtle.ConstantTimeCompare([]byte(codeAt(key, s)), []byte(c)) == 1 {
			return true // want `return inside a loop of Verify`
		}
		found = found || bytes.Equal(mac(key, c), nil) // want `short-circuit || before a call`
	}
	return found
}

func check(p pending, key []byte, code string) bool {
	if !bytes.Equal(mac(key, code), p.mac) { // want `secret compared with bytes.Equal`
		return false
	}
	return hmac.Equal(mac(key, code), p.mac)
}

func hashes(hash, typed string) bool {
	parts := strings.Split(hash, "$")
	want := parts[2]
	got := typed + "x"
	if parts[1] != "argon2id" { // a constant: fine
		return false
	}
	return string(got) == want // want `secret compared with ==`
}

func passwords(password, other string) bool {
	if password == "" { // a constant: fine
		return false
	}
	return strings.EqualFold(other, password) // want `secret compared with strings.EqualFold`
}

func notSecret(name, label string, r region, code string) bool {
	_ = r.Code == code // want `secret compared with ==`
	n := len(code)
	return name == label && n == 6 // neither is a secret, and ints are not compared in variable time
}

package tap

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/secret"
)

// Length is how many characters a pass has: 12 from a 32-character
// alphabet, 60 bits.
const Length = 12

// Alphabet is what a pass is made of: upper-case letters and digits
// without the look-alikes 0, O, 1 and I (a typed lower-case l becomes L).
// It has 32 characters, so every random byte's low 5 bits pick one with
// no bias.
const Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// generate draws a new pass from r.
func generate(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("make a Temporary Access Pass: no source of randomness")
	}
	buf := make([]byte, Length)
	defer secret.Zero(buf)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", fmt.Errorf("make a Temporary Access Pass: %w", err)
	}
	var b strings.Builder
	for _, x := range buf {
		b.WriteByte(Alphabet[int(x)%len(Alphabet)]) // 256 is a multiple of 32
	}
	return b.String(), nil
}

// Format returns a pass for reading out: groups of four separated by
// dashes, "ABCD-EFGH-JKLM". Normalise undoes it.
func Format(pass string) string { return secret.Group(pass, "-") }

// Normalise turns a typed pass into the form that was hashed: spaces,
// tabs and dashes removed, letters upper-cased, so "abcd efgh-jklm" is
// "ABCDEFGHJKLM".
func Normalise(typed string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\u00a0':
			return -1
		}
		return r
	}, typed))
}

// Shaped reports whether typed could be a pass: Length characters of the
// Alphabet once normalised. Where a password can't be checked without
// its authenticator code (a directory that enforces the app), only text
// so shaped is checked as a pass before the code is asked for.
func Shaped(typed string) bool {
	n := Normalise(typed)
	if len(n) != Length {
		return false
	}
	for i := 0; i < len(n); i++ {
		if !strings.ContainsRune(Alphabet, rune(n[i])) {
			return false
		}
	}
	return true
}

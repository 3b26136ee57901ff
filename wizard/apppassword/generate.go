package apppassword

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/securityinfo/securityinfo/wizard/secret"
)

// Length is how many letters an app password has.
const Length = 16

// alphabet is what an app password is made of.
const alphabet = "abcdefghijklmnopqrstuvwxyz"

// acceptBelow is the largest multiple of 26 not above 256: random bytes at
// or above it are thrown away, so that every letter is equally likely.
const acceptBelow = 256 - 256%len(alphabet) // 234

// Generate draws a new app password from r (crypto/rand in the app, a
// seeded reader in tests): Length letters a–z, each chosen by rejection
// sampling so that none is more likely than another.
func Generate(r io.Reader) (string, error) {
	pw, err := generate(r)
	if err != nil {
		return "", err
	}
	defer secret.Zero(pw)
	return string(pw), nil
}

// generate is Generate returning bytes that the caller can zero.
func generate(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, errors.New("make an app password: no source of randomness")
	}
	pw := make([]byte, 0, Length)
	buf := make([]byte, 2*Length)
	defer secret.Zero(buf)
	for len(pw) < Length {
		if _, err := io.ReadFull(r, buf); err != nil {
			secret.Zero(pw)
			return nil, fmt.Errorf("make an app password: %w", err)
		}
		for _, b := range buf {
			if int(b) < acceptBelow && len(pw) < Length {
				pw = append(pw, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return pw, nil
}

// Format returns an app password in groups of four letters separated by
// single spaces, for display: "abcd efgh ijkl mnop".
func Format(pw string) string { return secret.Group(pw, " ") }

// Normalise turns an app password as a person typed or pasted it into the
// form it was generated in: white space anywhere removed, upper case made
// lower case. Normalise(Format(pw)) == pw.
func Normalise(typed string) string {
	var b strings.Builder
	for _, r := range typed {
		if !unicode.IsSpace(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

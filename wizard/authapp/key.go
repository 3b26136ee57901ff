package authapp

import (
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/securityinfo/securityinfo/wizard/secret"
)

// SecretSize is the length in bytes of a new TOTP secret (160 bits, as
// RFC 4226 recommends). It encodes to 32 base32 characters.
const SecretSize = 20

// ErrKeyFormat means a typed key is not a base32 TOTP key.
var ErrKeyFormat = errors.New("the key can only contain the letters A to Z and the digits 2 to 7")

// keyEncoding is base32 (RFC 4648) without padding, as authenticator apps
// expect it.
var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret reads a fresh SecretSize-byte secret from rand (crypto/rand in
// the app, a seeded reader in tests).
func NewSecret(rand io.Reader) ([]byte, error) {
	b := make([]byte, SecretSize)
	if _, err := io.ReadFull(rand, b); err != nil {
		return nil, fmt.Errorf("make a new authenticator key: %w", err)
	}
	return b, nil
}

// EncodeKey returns secret as upper-case base32 without padding: 32
// characters for a SecretSize-byte secret.
func EncodeKey(secret []byte) string {
	return keyEncoding.EncodeToString(secret)
}

// GroupKey splits a key into groups of four characters separated by single
// spaces, for display ("ABCD EFGH …").
func GroupKey(key string) string { return secret.Group(key, " ") }

// ParseKey decodes a key typed or pasted by a person: spaces (and other
// white space) anywhere, lower case and missing or present '=' padding are
// all accepted. Anything else is refused with an error wrapping ErrKeyFormat.
func ParseKey(s string) ([]byte, error) {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	k := strings.TrimRight(b.String(), "=")
	if k == "" {
		return nil, fmt.Errorf("the key is empty: %w", ErrKeyFormat)
	}
	for _, r := range k {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return nil, fmt.Errorf("the key contains a character other than A–Z and 2–7: %w", ErrKeyFormat)
		}
	}
	secret, err := keyEncoding.DecodeString(k)
	if n := len(k) % 8; err != nil || n == 1 || n == 3 || n == 6 {
		return nil, fmt.Errorf("the key is incomplete (%d characters): %w", len(k), ErrKeyFormat)
	}
	return secret, nil
}

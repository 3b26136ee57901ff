package wizard

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on account names and passwords.
const (
	MaxAccountName = 254 // the longest e-mail address
	MinPassword    = 8
	MaxPassword    = 256
)

// ErrInvalidName means an account name breaks the naming rules.
var ErrInvalidName = errors.New("invalid account name")

// ErrInvalidPassword means a new password breaks the password rules.
var ErrInvalidPassword = errors.New("invalid password")

// ValidateAccountName checks a new account's name and returns it trimmed.
func ValidateAccountName(name string) (string, error) {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return "", fmt.Errorf("%w: the name is empty", ErrInvalidName)
	case !utf8.ValidString(n):
		return "", fmt.Errorf("%w: the name is not valid UTF-8", ErrInvalidName)
	case utf8.RuneCountInString(n) > MaxAccountName:
		return "", fmt.Errorf("%w: the name is longer than %d characters", ErrInvalidName, MaxAccountName)
	case strings.ContainsRune(n, ':'):
		return "", fmt.Errorf("%w: the name contains ':', which authenticator apps can't show", ErrInvalidName)
	}
	for _, r := range n {
		if unicode.IsControl(r) {
			return "", fmt.Errorf("%w: the name contains a control character", ErrInvalidName)
		}
		if unicode.Is(unicode.Cf, r) {
			// Bidirectional overrides and zero-width characters make a
			// name read as another one.
			return "", fmt.Errorf("%w: the name contains an invisible or text-direction character (U+%04X)", ErrInvalidName, r)
		}
		if unicode.IsSpace(r) {
			return "", fmt.Errorf("%w: the name contains a space", ErrInvalidName)
		}
	}
	return n, nil
}

// ValidatePassword checks a new account password.
func ValidatePassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPassword:
		return fmt.Errorf("%w: use at least %d characters", ErrInvalidPassword, MinPassword)
	case n > MaxPassword:
		return fmt.Errorf("%w: use at most %d characters", ErrInvalidPassword, MaxPassword)
	}
	for _, r := range pw {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: it contains a control character", ErrInvalidPassword)
		}
	}
	return nil
}

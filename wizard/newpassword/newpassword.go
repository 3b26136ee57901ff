// Package newpassword is the rule a new password meets at a password
// reset (NIST SP 800-63B §5.1.1.2): at least a minimum length (8, or
// more if the policy says), at most MaxLength characters, any characters
// (spaces and every Unicode letter included, no composition rules, no
// hints), and not one of the 10,000 most common passwords shipped in
// assets (common-passwords.NOTICE), nor the account's own name or the
// organisation's.
package newpassword

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The length rules, in characters (Unicode code points).
const (
	// MinLength is the least a policy may ask for.
	MinLength = 8
	// MaxLength is the most accepted: well past NIST's 64, short enough
	// to bound the hashing.
	MaxLength = 256
)

// Errors, checked with errors.Is.
var (
	ErrTooLong = words.New("the password is longer than 256 characters",
		"Use at most 256 characters.")
	ErrCommon = words.New("the password is on the list of common and breached passwords",
		"That password is one of the most common passwords, which attackers try first. Choose another: a few unrelated words make a strong one.")
	ErrContext = words.New("the password contains the account or organisation name",
		"Don't use your account name or your organisation's name in your password. Choose another.")
	ErrChars = words.New("the password has characters that can't be typed",
		"Your password has a character that can't be typed, such as a control character. Choose another.")
	ErrMismatch = words.New("the two passwords are not the same",
		"The two passwords aren't the same. Type the new password twice.")
)

// TooShortError means the password has fewer characters than Min.
type TooShortError struct{ Min int }

// Error says how long a password must be.
func (e *TooShortError) Error() string {
	return fmt.Sprintf("the password is shorter than %d characters", e.Min)
}

// Words say how long a password must be.
func (e *TooShortError) Words() string {
	return fmt.Sprintf("Use at least %d characters. A few unrelated words make a password that is long and easy to remember.", e.Min)
}

var (
	listOnce sync.Once
	list     map[string]bool
)

// common reports whether pw, in lower case, is on the shipped list.
func common(pw string) bool {
	listOnce.Do(func() {
		lines := strings.Split(assets.CommonPasswords, "\n")
		list = make(map[string]bool, len(lines))
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				list[strings.ToLower(l)] = true
			}
		}
	})
	return list[strings.ToLower(pw)]
}

// Check says whether pw may be a new password: nil, *TooShortError,
// ErrTooLong, ErrChars, ErrCommon or ErrContext. min below MinLength is
// MinLength. names are words the password must not contain (the account
// name, its part before @, the organisation), compared ignoring case; a
// name shorter than 4 characters is ignored.
func Check(pw string, min int, names ...string) error {
	min = max(min, MinLength)
	if !utf8.ValidString(pw) {
		return ErrChars
	}
	for _, r := range pw {
		if unicode.IsControl(r) {
			return ErrChars
		}
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < min:
		return &TooShortError{Min: min}
	case n > MaxLength:
		return ErrTooLong
	case common(pw):
		return ErrCommon
	}
	lower := strings.ToLower(pw)
	for _, name := range names {
		// Not info.AccountKey: this is a case-insensitive "contains",
		// which needs the same case mapping as pw's above, whatever
		// accounts are keyed by.
		name = strings.ToLower(strings.TrimSpace(name))
		local, _, _ := strings.Cut(name, "@")
		for _, w := range []string{name, local} {
			if utf8.RuneCountInString(w) >= 4 && strings.Contains(lower, w) {
				return ErrContext
			}
		}
	}
	return nil
}

package method

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// LabelErrors are what a method says for each way a name it is given
// breaks the rules (each method words them for itself).
type LabelErrors struct {
	Empty, TooLong, Chars, Taken error
}

// CheckLabel checks the name a person gives a method (an authenticator
// app's device name, an app password's name) once trimmed: 1 to max
// characters of valid text, no control characters, and unlike the name of
// every existing method of the same kind, ignoring case. It returns the
// trimmed name.
func CheckLabel(name string, max int, kind info.Kind, existing []info.Method, e LabelErrors) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", e.Empty
	case !utf8.ValidString(name):
		return "", e.Chars
	case utf8.RuneCountInString(name) > max:
		return "", e.TooLong
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", e.Chars
		}
	}
	for _, m := range existing {
		if m.Kind == kind && strings.EqualFold(m.Label, name) {
			return "", e.Taken
		}
	}
	return name, nil
}

package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// sentence turns an error into a sentence a person reads: capitalised,
// ending with a full stop. Errors are lower-case by Go convention.
func sentence(err error) string {
	s := strings.TrimSpace(err.Error())
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	s = strings.ReplaceAll(s, ": ", ". ")
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	// After each ". " start a new sentence with a capital.
	parts := strings.Split(s, ". ")
	for i := 1; i < len(parts); i++ {
		if r, n := utf8.DecodeRuneInString(parts[i]); n > 0 {
			parts[i] = string(unicode.ToUpper(r)) + parts[i][n:]
		}
	}
	return strings.Join(parts, ". ")
}

package cli

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a message echoes.
const (
	// maxArg is how many characters of an argument a message quotes.
	maxArg = 64
	// maxWord is the longest run without spaces a message keeps.
	maxWord = 200
	// maxMessage is the longest error line, in characters.
	maxMessage = 1000
)

// message is err as one safe line for a terminal: whitespace runs become
// one space, control characters (ESC, bidi controls, zero-width and other
// format characters) are escaped, and anything over-long is cut.
func message(err error) string {
	words := strings.Fields(err.Error())
	for i, w := range words {
		words[i] = cut(w, maxWord)
	}
	return clean(cut(strings.Join(words, " "), maxMessage))
}

// cut shortens s to n characters, marking the cut with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for i < len(s) && k < n {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
		k++
	}
	return s[:i] + "…"
}

// quote is an argument as a message shows it: cut to maxArg characters
// and quoted, control characters escaped.
func quote(s string) string { return strconv.Quote(cut(s, maxArg)) }

// unsafe reports whether a terminal would act on r rather than show it:
// C0 and C1 controls, DEL, and format characters (bidi overrides and
// isolates U+202A–U+202E and U+2066–U+2069, zero-width spaces and joiners,
// the byte-order mark), and the line and paragraph separators.
func unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// clean escapes what unsafe reports, and bytes that are not UTF-8, as
// \xNN or \uNNNN.
func clean(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafe(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// plural is "1 method", "2 methods".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// told is an error whose text is written for people while it still wraps
// its cause for errors.Is.
type told struct {
	msg string
	err error
}

func (e *told) Error() string { return e.msg }
func (e *told) Unwrap() error { return e.err }

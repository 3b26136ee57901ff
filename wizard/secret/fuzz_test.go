package secret

import (
	"testing"
	"unicode/utf8"
)

// FuzzNormaliseCode: whatever is typed, NormaliseCode never panics, and
// what it accepts is exactly the asked number of ASCII digits, each one a
// digit of the input read as the digit it is.
func FuzzNormaliseCode(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "12-34-56", "１２３４５６", "١٢٣٤٥٦", "۱۲۳۴۵۶", "12345", "1234567", "12a456", "", " ", "\u00a0123456", "12\x00456", "\xff\xfe"} {
		f.Add(s, 6)
	}
	f.Add("12345678", 8)
	f.Fuzz(func(t *testing.T, typed string, digits int) {
		digits = digits % 16
		got, ok := NormaliseCode(typed, digits)
		if CodeComplete(typed, digits) != ok {
			t.Fatalf("CodeComplete and NormaliseCode disagree on %q", typed)
		}
		if !ok {
			if got != "" {
				t.Fatalf("refused %q but returned %q", typed, got)
			}
			return
		}
		if len(got) != digits || !utf8.ValidString(got) {
			t.Fatalf("NormaliseCode(%q, %d) = %q", typed, digits, got)
		}
		for _, r := range got {
			if r < '0' || r > '9' {
				t.Fatalf("NormaliseCode(%q) = %q: not ASCII digits", typed, got)
			}
		}
		if again, ok := NormaliseCode(got, digits); !ok || again != got {
			t.Fatalf("not idempotent: %q → %q → %q", typed, got, again)
		}
	})
}

package tap_test

import (
	"testing"

	"github.com/securityinfo/securityinfo/wizard/tap"
)

func TestShaped(t *testing.T) {
	for typed, want := range map[string]bool{
		"ABCD-EFGH-JKLM":   true,
		"abcd efgh jklm":   true, // as typed from a slip, in lower case
		"ABCDEFGHJKLM":     true,
		"ABCD-EFGH-JKL":    false, // 11
		"ABCD-EFGH-JKLMN":  false, // 13
		"ABCD-EFGH-JKL0":   false, // 0 is no pass character
		"correct-horse-99": false,
		"alice-password-1": false,
		"":                 false,
	} {
		if got := tap.Shaped(typed); got != want {
			t.Errorf("Shaped(%q) = %v, want %v", typed, got, want)
		}
	}
}

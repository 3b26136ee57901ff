package wizard_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
)

func TestValidateAccountName(t *testing.T) {
	long := strings.Repeat("a", wizard.MaxAccountName+1)
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"alice@contoso.example", "alice@contoso.example", true},
		{"  bob@contoso.example \n", "bob@contoso.example", true},
		{"ünïcode@contoso.example", "ünïcode@contoso.example", true},
		{"", "", false}, {"   ", "", false}, {long, "", false},
		{"a\x07b", "", false}, {"a\tb", "", false}, {"a b", "", false},
		{"a:b", "", false}, {"a\u0085b", "", false},
	} {
		got, err := wizard.ValidateAccountName(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ValidateAccountName(%q) = %q, %v", tc.in, got, err)
		}
		if err != nil && !errors.Is(err, wizard.ErrInvalidName) {
			t.Errorf("error %v is not ErrInvalidName", err)
		}
	}
}

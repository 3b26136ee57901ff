package wizard_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
)

func TestValidateAccountName_RefusesSpoofing(t *testing.T) {
	for _, name := range []string{"ali\u202ece", "al\u200bice", "\ufeffalice", "ali\u2066ce", "ali\x1bce", "ali\x7fce"} {
		if _, err := wizard.ValidateAccountName(name); !errors.Is(err, wizard.ErrInvalidName) {
			t.Errorf("ValidateAccountName(%q) = %v, want ErrInvalidName", name, err)
		}
	}
}

func TestParsePolicy_RefusesSpoofingNames(t *testing.T) {
	for _, org := range []string{"Con\x1btoso", "Con\x7ftoso", "Con\u202etoso"} {
		text := "organisation = \"" + strings.ReplaceAll(org, "\x1b", "\\u001b") + "\"\nrequired = [\"authenticator-app\"]\n"
		text = strings.ReplaceAll(text, "\x7f", "\\u007f")
		if _, err := wizard.ParsePolicy("p.toml", []byte(text)); err == nil {
			t.Errorf("organisation %q accepted", org)
		}
	}
}

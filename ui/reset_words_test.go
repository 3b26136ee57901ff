package ui

import (
	"errors"
	"fmt"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// A failed proof at "Forgot my password?" reads ErrResetProofFailed's
// words whatever it wraps, in every language: a real phone's wrong code
// (tries left) or an app's skewed clock found inside would tell a real
// method from the decoy of none (review: wordsFor looked for them first).
func TestWordsFor_ResetFailureHidesItsCause(t *testing.T) {
	for _, language := range []string{"en", "de", "fr", "es"} {
		useLanguageForTest(t, language)
		plain := wordsFor(wizard.ErrResetProofFailed)
		if plain == "" || (language != "en" && plain == wizard.Words(wizard.ErrResetProofFailed)) {
			t.Errorf("%s: the reset's failure reads %q", language, plain)
		}
		for name, cause := range map[string]error{
			"none (a decoy)":   errors.New("no such method for this account"),
			"phone/email code": &phone.WrongCodeError{Left: 4},
			"app code":         &authapp.WrongCodeError{Left: 2},
			"app, plain":       authapp.ErrWrongCode,
			"replayed":         authapp.ErrReplayed,
			"clock skew":       &authapp.ClockSkewError{Offset: 120e9},
			"code format":      phone.ErrCodeFormat,
		} {
			if got := wordsFor(fmt.Errorf("%w: %w", wizard.ErrResetProofFailed, cause)); got != plain {
				t.Errorf("%s, %s: %q, want %q", language, name, got, plain)
			}
		}
	}
}

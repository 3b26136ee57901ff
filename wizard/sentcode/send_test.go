package sentcode

import (
	"errors"
	"strings"
	"testing"
)

// A provider that refuses a message may quote it, as written or as the
// request it was sent: the code is not in the error's text in any form.
func TestNewSendError_TakesTheCodeOutInEveryForm(t *testing.T) {
	const code = "407193"
	for name, quoted := range map[string]string{
		"text":           "refused: Use verification code 407193 to confirm it's you",
		"spoken":         "bad TwiML: <Say>Your code is 4, 0, 7, 1, 9, 3. Again, your code is 4, 0, 7, 1, 9, 3.</Say>",
		"form-encoded":   "HTTP 400 for Twiml=%3CSay%3EYour+code+is+4%2C+0%2C+7%2C+1%2C+9%2C+3.%3C%2FSay%3E",
		"spaced":         "rejected body: code 4 0 7 1 9 3",
		"dashes and dot": "rejected: 407-193. or 4.0.7.1.9.3",
	} {
		t.Run(name, func(t *testing.T) {
			got := NewSendError(errors.New(quoted), code).Error()
			for _, form := range []string{code, "4, 0, 7, 1, 9, 3", "4%2C+0%2C+7%2C+1%2C+9%2C+3", "4 0 7 1 9 3", "407-193", "4.0.7.1.9.3"} {
				if strings.Contains(got, form) {
					t.Errorf("the code (%s) is still in %q", form, got)
				}
			}
			if !strings.Contains(got, "••••••") {
				t.Errorf("no mark where the code was in %q", got)
			}
		})
	}
	// Other digits stay: they tell the provider's error apart.
	if got := NewSendError(errors.New("HTTP 503 after 10 s"), code).Error(); !strings.Contains(got, "HTTP 503 after 10 s") {
		t.Errorf("text without the code changed: %q", got)
	}
}

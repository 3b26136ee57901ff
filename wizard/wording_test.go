package wizard_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	phonemethod "github.com/securityinfo/securityinfo/wizard/phone"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// A person reads the words of the error that matters, never the chain of
// wraps around it, which stays for the log.
func TestWords(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{fmt.Errorf("save the authenticator app: %w", authapp.ErrTooManyDevices),
			"You already have 5 authenticator apps, the most allowed. Ask your helpdesk to remove one you no longer use."},
		{fmt.Errorf("submit: %w", &phonemethod.WrongCodeError{Left: 1}), "That code isn't right. Check it and try again (1 try left)."},
		{&regulation.WaitError{Wait: 1e9}, "Too many failed attempts. Wait a second before trying again."},
		{&regulation.WaitError{Wait: 15 * 60e9}, "Too many failed attempts. Wait 15 minutes before trying again."},
		{&regulation.WaitError{Wait: 1500e6}, "Too many failed attempts. Wait 2 seconds before trying again."},
		{&authapp.ClockSkewError{Offset: -90e9}, "The clock on your phone is about 2 minutes behind. Set its date and time to update automatically, then enter the new code."},
		{&phonemethod.SendError{Err: errors.New("twilio: no answer within 10s")}, "We couldn't send the code. Try again, or choose a different method."},
		{fmt.Errorf("read: list methods: %w", info.ErrStoreBusy), "Security Info's data is in use by another Security Info on this computer. Try again in a moment."},
		{errors.New("open data file: permission denied"), "Something went wrong. Try again, or ask your helpdesk."},
		{wizard.ErrBadCredentials, "That account name or password isn't right. Check both and try again."},
		{apppassword.ErrLimit, "You have 40 app passwords, the most allowed. Delete one you no longer use, then create the new one."},
		{tap.ErrUsed, "This one-time pass was already used. Ask your helpdesk for a new one."},
	} {
		got := wizard.Words(tc.err)
		if got != tc.want {
			t.Errorf("Words(%v) = %q\nwant %q", tc.err, got, tc.want)
		}
		if strings.Contains(got, ": ") && tc.err != nil && !strings.Contains(tc.want, ": ") {
			t.Errorf("Words(%v) reads like a chain: %q", tc.err, got)
		}
	}
	// The step-up's own words for a person without an authenticator app.
	if !errors.Is(wizard.ErrNoAuthenticator, authapp.ErrNoAuthenticator) || !wizard.HasWords(wizard.ErrNoAuthenticator) {
		t.Error("ErrNoAuthenticator is not authapp's, or has no words")
	}
}

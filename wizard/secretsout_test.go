package wizard_test

import (
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestAuthenticate_FailedSignInsNeverLogThePassword: whatever is typed,
// a wrong password, an unknown account, a password typed into the account
// field, sign-ins during the back-off and after the lock-out, no audit
// entry and no error holds what was typed as the password.
func TestAuthenticate_FailedSignInsNeverLogThePassword(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, "alice@contoso.example", "right-password-1")
	c := newClock(t0)
	var entries []string
	f := wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy), Dir: dir, Now: c.Now, Rand: seeded(),
		Audit: func(actor, action, account, detail string) error {
			entries = append(entries, strings.Join([]string{actor, action, account, detail}, "|"))
			return nil
		}})
	const canary = "Canary-Pw-4711"
	tries := []struct{ account, password string }{
		{"alice@contoso.example", canary},
		{"ALICE@contoso.example", canary + "-again"},
		{"nobody@contoso.example", canary},
		{canary, "x"}, // the password typed into the account field
		{"", canary},
	}
	for range 3 { // the last failure before the lock-out, and two after
		tries = append(tries, struct{ account, password string }{"alice@contoso.example", canary})
	}
	for i, tr := range tries {
		if i == 5 {
			dir.UpdateAccount("alice@contoso.example", func(a *info.Account) error { a.Failures = wizard.MaxFailures - 1; return nil })
		}
		_, err := f.Authenticate(tr.account, tr.password)
		if err == nil {
			t.Fatalf("%q signed in", tr.password)
		}
		if tr.password != "x" && strings.Contains(err.Error(), canary) {
			t.Errorf("the error shown holds the password: %q", err)
		}
		c.Add(20 * time.Minute) // past any back-off, so that each try is checked
	}
	if len(entries) < len(tries)/2 {
		t.Fatalf("only %d audit entries for %d failed sign-ins", len(entries), len(tries))
	}
	for _, e := range entries {
		if strings.Contains(e, canary) {
			t.Errorf("audit entry holds what was typed as a password: %q", e)
		}
	}
}

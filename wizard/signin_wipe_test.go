package wizard_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
)

// TestFlow_UnknownNameStillWaitsAfterAKioskWipe: a name that names no
// account keeps its back-off through a kiosk wipe, as a real account's
// does, so that failing a name, letting the kiosk wipe and trying again
// tells nobody whether the name exists, nor resets anyone's waits.
func TestFlow_UnknownNameStillWaitsAfterAKioskWipe(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, "alice@contoso.example", "correct-horse")
	c := newClock(t0)
	f := wizard.New(wizard.Config{Policy: mustPolicy(t, "organisation = \"Contoso\"\nmode = \"kiosk\"\nallowed = [\"authenticator-app\"]\n"),
		Dir: dir, Now: c.Now, Rand: seeded()})
	names := []string{"alice@contoso.example", "nobody@contoso.example"}
	// waits signs in once with each name and returns how long each must
	// wait (0: the try was checked and failed).
	waits := func() [2]time.Duration {
		t.Helper()
		var got [2]time.Duration
		for i, n := range names {
			err := f.SignIn(n, "wrong")
			var w *wizard.WaitError
			switch {
			case errors.As(err, &w):
				got[i] = w.Wait
			case !errors.Is(err, wizard.ErrBadCredentials):
				t.Fatalf("%s: %v", n, err)
			}
		}
		return got
	}
	for range 3 {
		if got := waits(); got != [2]time.Duration{} {
			t.Fatalf("a free try waits: %v", got)
		}
	}
	if got := waits(); got != [2]time.Duration{time.Second, time.Second} {
		t.Fatalf("after 3 failures: waits %v, want 1s for both", got)
	}

	f.Wipe()()
	if got := waits(); got != [2]time.Duration{time.Second, time.Second} {
		t.Fatalf("right after the wipe: waits %v, want 1s for both", got)
	}
	c.Add(2 * time.Minute) // the kiosk's idle time: the wait is over
	if got := waits(); got != [2]time.Duration{} {
		t.Fatalf("after the wait: %v", got)
	}
	if got := waits(); got != [2]time.Duration{2 * time.Second, 2 * time.Second} {
		t.Fatalf("a 4th failure after the wipe: waits %v, want 2s for both", got)
	}
}

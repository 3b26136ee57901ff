package wizard_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// TestReview6b_OneTimePassNotSpentByARefusedSignIn: a walk-up's one-time
// pass typed at the helpdesk station (the operator trying it, or the
// person at the wrong desk) is refused there (only helpdesk accounts sign
// in), but the refusal comes after the pass was checked and marked used:
// at the kiosk it then says "already used", and the person is back in
// the queue for a new one.
func TestReview6b_OneTimePassNotSpentByARefusedSignIn(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, alice, alicePW)
	pass, err := tap.Issue(dir, alice, time.Hour, true, t0, seeded())
	if err != nil {
		t.Fatal(err)
	}
	c := newClock(t0)
	station := func(mode string) *wizard.Flow {
		v := &tap.Verifier{Passes: dir}
		return wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy+"mode = \""+mode+"\"\n"), Dir: dir, Now: c.Now, Rand: seeded(), Pass: v.SignIn})
	}
	if err := station("helpdesk").SignIn(alice, tap.Format(pass)); !errors.Is(err, wizard.ErrNotHelpdesk) {
		t.Fatalf("the pass at the helpdesk station: %v", err)
	}
	c.Add(time.Minute)
	kiosk := station("kiosk")
	if err := kiosk.SignIn(alice, tap.Format(pass)); err != nil {
		t.Errorf("the one-time pass, refused at the helpdesk station without signing anyone in, no longer works at the kiosk: %v", err)
	}
}

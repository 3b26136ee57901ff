package wizard_test

import (
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// A self-service reset proves the person's methods and replaces their
// password: it clears the password's failures, not the app passwords',
// which a code sent to the phone proves nothing of (50 wrong app
// passwords guessed at a mail server stay counted).
func TestReset_KeepsTheAppPasswordCount(t *testing.T) {
	g := newGateway()
	close(g.release)
	r, _ := gatedReset(t, g)
	if err := r.dir.UpdateAccount(alice, func(a *info.Account) error {
		a.AppPasswordTries = info.Tries{Failures: 50, LastFailure: r.c.Now()}
		a.Failures, a.LastFailure = 7, r.c.Now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	resetTo(t, r, alice)
	if _, err := r.flow.StartProof(r.option(info.KindPhone)); err != nil {
		t.Fatal(err)
	}
	code := testkit.CodeOf(t, <-g.started)
	if err := r.flow.Prove([]string{code}); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.SetNewPassword("a-new-long-password-7", "a-new-long-password-7"); err != nil {
		t.Fatal(err)
	}
	a, err := r.dir.Account(alice)
	if err != nil {
		t.Fatal(err)
	}
	if a.AppPasswordTries.Failures != 50 {
		t.Errorf("after a self-service reset the app passwords' count is %d, want the 50 it had", a.AppPasswordTries.Failures)
	}
	if a.Failures != 0 {
		t.Errorf("after a self-service reset the password's count is %d, want 0", a.Failures)
	}
}

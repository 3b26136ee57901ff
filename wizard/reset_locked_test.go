package wizard_test

import (
	"errors"
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// An account locked after the reset's last proof (its app passwords'
// count reached 100 while the person typed the new password) still gets
// the new password: SetNewPassword checks no lock, and its
// ClearPasswordFailures then deletes the directory's lock of that count
// (storage/directory TestReview4_ClearPasswordFailuresLiftsTheLockOfOtherCounts).
func TestReset_NewPasswordRefusedWhileOtherCountsLock(t *testing.T) {
	g := newGateway()
	close(g.release)
	r, _ := gatedReset(t, g)
	resetTo(t, r, alice)
	if _, err := r.flow.StartProof(r.option(info.KindPhone)); err != nil {
		t.Fatal(err)
	}
	code := testkit.CodeOf(t, <-g.started)
	if err := r.flow.Prove([]string{code}); err != nil {
		t.Fatal(err)
	}
	if err := r.dir.UpdateAccount(alice, func(a *info.Account) error {
		a.AppPasswordTries = info.Tries{Failures: regulation.MaxFailures, LastFailure: r.c.Now()}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.SetNewPassword("a-new-long-password-7", "a-new-long-password-7"); !errors.Is(err, regulation.ErrLocked) {
		t.Errorf("SetNewPassword on an account locked since the last proof: %v, want ErrLocked", err)
	}
}

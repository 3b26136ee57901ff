package wizard_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// TestFlow_HelpdeskRemovingRecoveryCodesRemovesTheSet: the operator sees
// a person's recovery codes and removes them (the person lost the
// sheet). Every code of the set must stop working, as Delete on the
// Security info page does ("the set goes as one"), and the removal is
// recorded once: removing one code of ten would leave nine that still
// sign in in place of a second factor.
func TestFlow_HelpdeskRemovingRecoveryCodesRemovesTheSet(t *testing.T) {
	dir := newStore(t)
	f, log := helpdesk(t, dir)
	codes, err := recovery.Regenerate(dir, alice, t0, testkit.Seeded(7))
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.LookUp(alice)
	if err != nil {
		t.Fatal(err)
	}
	var first info.Method
	for _, m := range s.Methods {
		if m.Kind == info.KindRecoveryCodes {
			first = m
			break
		}
	}
	if first.ID == "" {
		t.Fatal("the operator isn't shown the recovery codes")
	}
	if err := f.RemoveMethodOf(alice, first); err != nil {
		t.Fatal(err)
	}
	ms, _ := dir.Methods(alice)
	if left := recovery.Left(ms); left != 0 {
		t.Errorf("after the operator removed the recovery codes, %d of %d still work", left, recovery.Count)
	}
	if len(ms) != 2 {
		t.Errorf("the operator's Remove of the codes took other methods too: %d left, want the app and the phone", len(ms))
	}
	if err := recovery.Use(dir, alice, codes[len(codes)-1]); !errors.Is(err, recovery.ErrWrongCode) {
		t.Errorf("a recovery code from the removed set still signs in: %v", err)
	}
	if got, want := strings.Join(*log, "|"), "op@contoso.example method-removed "+alice+" recovery-codes"; got != want {
		t.Errorf("audit = %s\nwant    %s", got, want)
	}
}

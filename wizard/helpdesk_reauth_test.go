package wizard_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestFlow_HelpdeskPowersNeedARecentSecondFactor: DESIGN.md asks for a
// second factor from this session, not older than 10 minutes, before any
// change of security info. An operator who proved one at 09:00 and kept
// the desk busy (the idle time-out never fires) must prove one again
// before resetting accounts or issuing passes at 09:30: "Verify your
// identity" opens over the helpdesk page and returns to it.
func TestFlow_HelpdeskPowersNeedARecentSecondFactor(t *testing.T) {
	dir := newStore(t)
	f, c := helpdeskAt(t, dir)
	dir.UpdateAccount(alice, func(a *info.Account) error { a.Locked = true; return nil })
	c.Add(wizard.ReauthAge - time.Minute)
	if _, err := f.IssuePass(alice, time.Hour, false); err != nil {
		t.Fatalf("IssuePass 9 minutes after the operator's second factor: %v", err)
	}
	c.Add(20 * time.Minute)
	p, err := f.IssuePass(alice, time.Hour, false)
	if !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Errorf("IssuePass 30 minutes after the operator's only second factor: pass %q issued, err %v; want ErrReauthNeeded", p.Formatted, err)
	}
	if _, err := f.ResetAccount(alice); !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Errorf("ResetAccount 30 minutes after the operator's only second factor: err %v; want ErrReauthNeeded", err)
	}
	if err := f.RemoveMethodOf(alice, info.Method{ID: "a1"}); !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Errorf("RemoveMethodOf: err %v; want ErrReauthNeeded", err)
	}
	if err := f.UnlockAccount(alice); !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Errorf("UnlockAccount: err %v; want ErrReauthNeeded", err)
	}
	if err := f.RevokePassOf(alice); !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Errorf("RevokePassOf: err %v; want ErrReauthNeeded", err)
	}
	if ms, _ := dir.Methods(alice); len(ms) != 1 {
		t.Errorf("refused powers changed alice's methods: %d left", len(ms))
	}
	if a, _ := dir.Account(alice); !a.Locked {
		t.Error("a refused Unlock unlocked alice")
	}
	// Looking stays open: it changes nothing.
	if _, err := f.LookUp(alice); err != nil {
		t.Errorf("LookUp: %v", err)
	}

	// The operator confirms it's them, over the helpdesk page.
	if err := f.OpenVerify(); err != nil {
		t.Fatalf("OpenVerify from the helpdesk page: %v", err)
	}
	opts, err := f.ProofOptions()
	if f.Page() != wizard.PageVerify || err != nil || len(opts) == 0 {
		t.Fatalf("after OpenVerify: page %s, options %v, %v", f.Page(), opts, err)
	}
	if _, err := f.StartProof(opts[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.Prove([]string{authapp.Code(opKey, c.Now())}); err != nil {
		t.Fatal(err)
	}
	if f.Page() != wizard.PageHelpdesk {
		t.Fatalf("after confirming: page %s, want the helpdesk page", f.Page())
	}
	if err := f.UnlockAccount(alice); err != nil {
		t.Errorf("UnlockAccount just after confirming: %v", err)
	}
	if _, err := f.IssuePass(alice, time.Hour, true); err != nil {
		t.Errorf("IssuePass just after confirming: %v", err)
	}
}

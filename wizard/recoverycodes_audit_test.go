package wizard_test

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// TestRecoveryCodes_NewSetIsAuditedWhenTheSessionEnds: Make stores a new
// set of recovery codes (the old set stops working there and then), so
// the set is audited, and so notified (notices hang on the audit hook),
// as it is stored, once: a kiosk that times out on the codes page, a
// closed window or a crash must not leave a replaced set with no
// method-added entry and no notice to the person.
func TestRecoveryCodes_NewSetIsAuditedWhenTheSessionEnds(t *testing.T) {
	r, _ := newUseRig(t, usePolicy+"mode = \"kiosk\"\nkiosk_recovery_codes = true\n", "app", "phone", "codes")
	if err := r.flow.SignIn(alice, alicePW); err != nil {
		t.Fatal(err)
	}
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.OpenManage(); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.AddMethod(info.KindRecoveryCodes); err != nil {
		t.Fatal(err)
	}
	s := r.flow.Setup().(*recovery.Setup)
	if err := s.Make(); err != nil {
		t.Fatal(err)
	}
	// The person walks away from the codes page: the kiosk wipes.
	r.flow.Wipe()()
	if ms, _ := r.dir.Methods(alice); recovery.Left(ms) != recovery.Count {
		t.Fatalf("%d codes stored", recovery.Left(ms))
	}
	if n := r.audited(info.ActionMethodAdded); n != 1 {
		t.Errorf("a new set of recovery codes replaced the old one, and %d method-added entries record it: audit %q", n, r.audit)
	}
}

// TestRecoveryCodes_NewSetIsAuditedOnceThroughNext: the set recorded as
// it is stored is not recorded again when the person moves on.
func TestRecoveryCodes_NewSetIsAuditedOnceThroughNext(t *testing.T) {
	r, _ := newUseRig(t, usePolicy+"mode = \"kiosk\"\nkiosk_recovery_codes = true\n", "app", "phone", "codes")
	if err := r.flow.SignIn(alice, alicePW); err != nil {
		t.Fatal(err)
	}
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.OpenManage(); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.AddMethod(info.KindRecoveryCodes); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.Setup().(*recovery.Setup).Make(); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.Next(); err != nil {
		t.Fatal(err)
	}
	if p := r.flow.Page(); p != wizard.PageManage {
		t.Fatalf("page %s after Next", p)
	}
	if n := r.audited(info.ActionMethodAdded); n != 1 {
		t.Errorf("one new set of recovery codes, %d method-added entries: audit %q", n, r.audit)
	}
}

// TestRecoveryCodes_NewSetThatCantBeRecordedIsTakenBack: a set whose
// entry can't be written doesn't stay (nothing happens unrecorded), and
// the person may make one again once the log is back.
func TestRecoveryCodes_NewSetThatCantBeRecordedIsTakenBack(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, alice, alicePW)
	var down atomic.Bool
	var made []*fakeSetup
	f := wizard.New(wizard.Config{Policy: mustPolicy(t, "organisation = \"Contoso\"\nrequired = [\"recovery-codes\"]\nallowed = [\"recovery-codes\"]\nmin_methods = 1\n"),
		Dir: dir, Now: newClock(t0).Now, Rand: seeded(), Setups: withRecovery(fakes(&made)), Audit: failingAudit(&down)})
	if err := f.SignIn(alice, alicePW); err != nil {
		t.Fatal(err)
	}
	if err := f.Next(); err != nil {
		t.Fatal(err)
	}
	s, ok := f.Setup().(*recovery.Setup)
	if !ok {
		t.Fatalf("setup is %T", f.Setup())
	}
	down.Store(true)
	if err := s.Make(); !errors.Is(err, wizard.ErrNotRecorded) {
		t.Errorf("a set made with the log down: %v, want ErrNotRecorded", err)
	}
	if ms, _ := dir.Methods(alice); recovery.Left(ms) != 0 {
		t.Errorf("an unrecorded set of %d codes stayed", recovery.Left(ms))
	}
	down.Store(false)
	if err := s.Make(); err != nil {
		t.Fatalf("the set once the log is back: %v", err)
	}
	if ms, _ := dir.Methods(alice); recovery.Left(ms) != recovery.Count {
		t.Errorf("%d codes stored after a recorded make", recovery.Left(ms))
	}
}

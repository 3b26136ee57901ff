package wizard_test

import (
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// TestReview6b_NewRecoveryCodesAreAuditedWhenTheSessionEnds: Make stores
// a new set of recovery codes (the old set stops working there and then),
// but the set is audited, and so notified (notices hang on the audit
// hook), only at Next. A kiosk that times out on the codes page, a
// closed window or a crash leaves a replaced set with no method-added
// entry and no notice to the person.
func TestReview6b_NewRecoveryCodesAreAuditedWhenTheSessionEnds(t *testing.T) {
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

// TestReview6b_ChangingThePhoneNumberKeepsItTheDefault: a person whose
// default sign-in method is their phone changes its number (Change on
// Security info). The old phone is removed and the new one saved under a
// new ID, but the account's DefaultMethod still names the old ID, so the
// default silently falls back to the authenticator app.
func TestReview6b_ChangingThePhoneNumberKeepsItTheDefault(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	if err := r.dir.UpdateAccount(alice, func(a *info.Account) error { a.DefaultMethod = "phone1"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.SignIn(alice, alicePW); err != nil {
		t.Fatal(err)
	}
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.OpenManage(); err != nil {
		t.Fatal(err)
	}
	if def, _, _ := r.flow.DefaultSignIn(); def.Kind != info.KindPhone {
		t.Fatalf("default before the change: %+v", def)
	}
	if err := r.flow.ChangePhone("phone1"); err != nil {
		t.Fatal(err)
	}
	// The new number's code verifies (the fake setup stores it as a
	// phone's does, through the flow's store).
	if err := r.made[len(r.made)-1].Complete(); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.Next(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageManage)
	ms, _ := r.dir.Methods(alice)
	phones := 0
	for _, m := range ms {
		if m.Kind == info.KindPhone {
			phones++
		}
	}
	if phones != 1 {
		t.Fatalf("%d phones after the change", phones)
	}
	if def, _, _ := r.flow.DefaultSignIn(); def.Kind != info.KindPhone {
		t.Errorf("after changing the phone's number the default sign-in method is %s %q, no longer the phone", def.Kind, def.Label)
	}
}

package wizard_test

import (
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestChangingThePhoneNumberKeepsItTheDefault: a person whose default
// sign-in method is their phone changes its number (Change on Security
// info). The old phone is removed and the new one saved under a new ID;
// the default must follow it, not fall back to the authenticator app.
func TestChangingThePhoneNumberKeepsItTheDefault(t *testing.T) {
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
	var phones []info.Method
	for _, m := range ms {
		if m.Kind == info.KindPhone {
			phones = append(phones, m)
		}
	}
	if len(phones) != 1 || phones[0].ID == "phone1" {
		t.Fatalf("phones after the change: %+v", phones)
	}
	if a, _ := r.dir.Account(alice); a.DefaultMethod != phones[0].ID {
		t.Errorf("after changing the phone's number the account's default is %q, not the new phone %q", a.DefaultMethod, phones[0].ID)
	}
	if def, _, _ := r.flow.DefaultSignIn(); def.Kind != info.KindPhone {
		t.Errorf("after changing the phone's number the default sign-in method is %s %q, no longer the phone", def.Kind, def.Label)
	}
}

// TestChangingAPhoneThatIsntTheDefaultLeavesTheDefault: changing the
// number of a phone that wasn't the default keeps the person's default.
func TestChangingAPhoneThatIsntTheDefaultLeavesTheDefault(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	if err := r.dir.UpdateAccount(alice, func(a *info.Account) error { a.DefaultMethod = "app1"; return nil }); err != nil {
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
	if err := r.flow.ChangePhone("phone1"); err != nil {
		t.Fatal(err)
	}
	if err := r.made[len(r.made)-1].Complete(); err != nil {
		t.Fatal(err)
	}
	if a, _ := r.dir.Account(alice); a.DefaultMethod != "app1" {
		t.Errorf("after changing a phone that wasn't the default, the default is %q", a.DefaultMethod)
	}
}

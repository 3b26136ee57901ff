package wizard_test

import (
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Renaming a method to the name it has (the dialog saved as offered)
// writes nothing and audits nothing: no change is recorded that isn't one.
func TestRenameMethod_UnchangedNameIsNoChange(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	_ = r.flow.SignIn(alice, alicePW)
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.OpenManage(); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.RenameMethod("app1", " Pixel "); err != nil {
		t.Fatal(err)
	}
	if n := r.audited(info.ActionMethodChanged); n != 0 {
		t.Errorf("an unchanged name audited %d times", n)
	}
	if err := r.flow.RenameMethod("app1", "Work phone"); err != nil {
		t.Fatal(err)
	}
	if n := r.audited(info.ActionMethodChanged); n != 1 {
		t.Errorf("a new name audited %d times, want once", n)
	}
}

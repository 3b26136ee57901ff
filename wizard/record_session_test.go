package wizard_test

import (
	"errors"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// A registration whose save lands after its session ended (the kiosk wiped
// it while the store was slow) is kept, but proves nothing for the next
// person: bob, signed in with his password alone, must still step up
// before he may create an app password.
func TestFlow_ASaveAfterTheWipeProvesNothingForTheNextPerson(t *testing.T) {
	r := newRig(t, `organisation = "C"
mode = "kiosk"
required = ["authenticator-app"]
app_passwords = true
`, app)
	addAccount(t, r.dir, "bob@contoso.example", "battery-staple")
	if err := r.dir.AddMethod("bob@contoso.example", info.Method{ID: "b1", Kind: app, Label: "Phone", Created: t0}, appSeed); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.SignIn("alice@contoso.example", "correct-horse"); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.Next(); err != nil {
		t.Fatal(err)
	}
	late := r.setup() // alice's authenticator app, its save still under way
	r.flow.Wipe()()

	if err := r.flow.SignIn("bob@contoso.example", "battery-staple"); err != nil {
		t.Fatal(err)
	}
	if err := late.Complete(); err != nil { // alice's save lands now
		t.Fatal(err)
	}
	if got := r.kinds(); len(got) != 1 || got[0] != app {
		t.Fatalf("alice's app was not kept: %v", got)
	}
	if err := r.flow.OpenManage(); err != nil {
		t.Fatal(err)
	}
	if r.flow.Verified() {
		t.Fatal("bob counts as having proved a second factor")
	}
	if _, err := r.flow.CreateAppPassword("Laptop"); !errors.Is(err, wizard.ErrStepUpNeeded) {
		t.Fatalf("bob created an app password with his password alone: %v", err)
	}
}

package wizard_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestReauth_MethodSavedLateCanBeConfirmedFromItsPage: a method whose
// save comes more than ReauthAge after the last second factor is refused
// (ErrReauthNeeded); "Verify your identity" opens over the method's page,
// Back returns to it as it was, and a proof there returns to it with its
// setup kept, so that the save, tried again, goes through.
func TestReauth_MethodSavedLateCanBeConfirmedFromItsPage(t *testing.T) {
	r, _ := newUseRig(t, usePolicy+`second_factor = "off"`+"\n", "app")
	_ = r.flow.SignIn(alice, alicePW)
	if err := r.flow.OpenVerify(); err != nil {
		t.Fatal(err)
	}
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.Next(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMethod)
	s := r.flow.Setup()
	fake := r.made[len(r.made)-1]
	fake.Next()
	r.c.Add(wizard.ReauthAge + time.Minute)
	if err := fake.Complete(); !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Fatalf("saving %s late: %v, want ErrReauthNeeded", fake.Kind(), err)
	}

	if err := r.flow.OpenVerify(); err != nil {
		t.Fatalf("Verify your identity from the method's page: %v", err)
	}
	r.want(wizard.PageVerify)
	if err := r.flow.Back(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMethod)
	if r.flow.Setup() != s || fake.aborted || fake.Screen() != "second" {
		t.Fatalf("Back from Verify your identity lost the method's setup: aborted %v, screen %s", fake.aborted, fake.Screen())
	}

	if err := r.flow.OpenVerify(); err != nil {
		t.Fatal(err)
	}
	r.c.Add(time.Minute) // a new step of the app's code
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMethod)
	if r.flow.Setup() != s || fake.aborted {
		t.Fatalf("the proof lost the method's setup")
	}
	if err := fake.Complete(); err != nil {
		t.Fatalf("saving once it's confirmed: %v", err)
	}
	if err := r.flow.Next(); err != nil {
		t.Fatal(err)
	}
	if ms, _ := r.dir.Methods(alice); len(ms) != 2 {
		t.Errorf("methods after the confirmed save: %+v", ms)
	}
}

package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Digits typed while a wrong code is being checked stay in the field: the
// check's answer takes away only the code it checked. It took the next
// code's first digits with it when the check was slow (a loaded machine),
// and the code then never reached its sixth digit.
func TestPhone_DigitsTypedDuringACheckStay(t *testing.T) {
	h, p, v, box := toPhone(t)
	test.Type(v.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	right := box.LastCode(t)
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	var held []func()
	spawn := h.u.run.spawn
	h.u.run.spawn = func(f func()) { held = append(held, f) } // the check takes its time
	test.Type(v.code, wrong)                                  // submitted on its sixth digit
	test.Type(v.code, right[:3])                              // the person types on
	h.u.run.spawn = spawn
	if len(held) == 0 {
		t.Fatal("the wrong code was not checked in the background")
	}
	for _, f := range held {
		f()
	}
	h.u.Wait()
	if v.code.Text != right[:3] {
		t.Fatalf("after the wrong code's answer the field holds %q, want the %q typed since", v.code.Text, right[:3])
	}
	test.Type(v.code, right[3:])
	h.u.Wait()
	if !p.Done() {
		t.Fatalf("the right code typed on did not register the phone: %q", h.u.host.message.Text)
	}
}

// The same for the authenticator app's code: what was typed while a wrong
// code was checked stays, and the right code finishes.
func TestAuthApp_DigitsTypedDuringACheckStay(t *testing.T) {
	h, a := toScan(t, testPolicy)
	test.Tap(h.u.host.next)
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	right := codeFor(t, a, h.now)
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	var held []func()
	spawn := h.u.run.spawn
	h.u.run.spawn = func(f func()) { held = append(held, f) } // the check takes its time
	test.Type(v.code, wrong)                                  // submitted on its sixth digit
	test.Type(v.code, right[:3])                              // the person types on
	h.u.run.spawn = spawn
	if len(held) == 0 {
		t.Fatal("the wrong code was not checked in the background")
	}
	for _, f := range held {
		f()
	}
	h.u.Wait()
	if v.code.Text != right[:3] {
		t.Fatalf("after the wrong code's answer the field holds %q, want the %q typed since", v.code.Text, right[:3])
	}
	test.Type(v.code, right[3:])
	h.u.Wait()
	if !a.Done() {
		t.Fatalf("the right code typed on did not register the app: %q", h.u.host.message.Text)
	}
}

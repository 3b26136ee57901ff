package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// typeOnDuringACheck types a wrong code into code, whose check is held
// back, then the first half of right; lets the check end; and types the
// rest of right. It fails the test if the half typed meanwhile was lost.
func typeOnDuringACheck(t *testing.T, h *harness, code *widget.Entry, right string) {
	t.Helper()
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	var held []func()
	spawn := h.u.run.spawn
	h.u.run.spawn = func(f func()) { held = append(held, f) } // the check takes its time
	test.Type(code, wrong)                                    // submitted on its sixth digit
	test.Type(code, right[:3])                                // the person types on
	h.u.run.spawn = spawn
	if len(held) == 0 {
		t.Fatal("the wrong code was not checked in the background")
	}
	for _, f := range held {
		f()
	}
	h.u.Wait()
	if code.Text != right[:3] {
		t.Fatalf("after the wrong code's answer the field holds %q, want the %q typed since", code.Text, right[:3])
	}
	test.Type(code, right[3:])
	h.u.Wait()
}

// Digits typed while a wrong code is being checked stay in the field: the
// check's answer takes away only the code it checked. It took the next
// code's first digits with it when the check was slow (a loaded machine),
// and the code then never reached its sixth digit.
func TestPhone_DigitsTypedDuringACheckStay(t *testing.T) {
	h, p, v, box := toPhone(t)
	test.Type(v.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	typeOnDuringACheck(t, h, v.code, box.LastCode(t))
	if !p.Done() {
		t.Fatalf("the right code typed on did not register the phone: %q", h.u.host.message.Text)
	}
}

// The same for the authenticator app's code.
func TestAuthApp_DigitsTypedDuringACheckStay(t *testing.T) {
	h, a := toScan(t, testPolicy)
	test.Tap(h.u.host.next)
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	typeOnDuringACheck(t, h, v.code, codeFor(t, a, h.now))
	if !a.Done() {
		t.Fatalf("the right code typed on did not register the app: %q", h.u.host.message.Text)
	}
}

package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// canaryName is what someone typed where an account name goes, that
// names no account: perhaps their password, in the wrong field.
const canaryName = "Canary-Typed-4711"

// wantNoCanary fails if the station's log or what the page says holds
// canaryName.
func (h *harness) wantNoCanary(step string, said ...string) {
	h.t.Helper()
	for _, l := range h.logs {
		if strings.Contains(strings.ToLower(l), strings.ToLower(canaryName)) {
			h.t.Errorf("%s: the station's log holds the typed name: %q", step, l)
		}
	}
	for _, s := range said {
		if strings.Contains(strings.ToLower(s), strings.ToLower(canaryName)) {
			h.t.Errorf("%s: the page says the typed name: %q", step, s)
		}
	}
}

// TestLog_NeverHoldsATypedNameThatNamesNoAccount: a name that names no
// account, typed at the sign-in page, at "Forgot my password?" or looked
// up by a helpdesk operator, reaches neither the station's log (the UI
// logs the whole chain of every error it shows) nor the page.
func TestLog_NeverHoldsATypedNameThatNamesNoAccount(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.signIn(canaryName, "some password")
	h.wantTitle("Sign in")
	h.wantNoCanary("a failed sign-in", h.u.signIn.message.Text)

	h.u.signIn.onForgot()
	h.wantTitle("Reset your password")
	test.Type(h.u.reset.account, canaryName)
	test.Tap(h.u.reset.next)
	h.u.Wait()
	h.wantNoCanary("a reset", h.u.reset.message.Text)

	d := helpdeskHarness(t)
	d.operatorSignIn()
	d.wantTitle("Helpdesk")
	d.search(canaryName)
	// The account the operator chose names nobody (now): its look-up
	// fails, and the page says why.
	d.u.helpdesk.selected = canaryName
	d.u.helpdesk.showAccount()
	d.u.Wait()
	if len(d.logs) == 0 || d.u.helpdesk.message.Text == "" {
		t.Fatalf("the failed look-up was neither logged nor shown: %q, %q", d.logs, d.u.helpdesk.message.Text)
	}
	d.wantNoCanary("a helpdesk look-up", d.u.helpdesk.message.Text)
}

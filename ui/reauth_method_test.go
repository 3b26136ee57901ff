package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// lateSecondMethod registers the authenticator app (a fresh second
// factor), then takes more than ReauthAge over the phone, whose right
// code is then refused at save. It returns the app's key and the code
// texted.
func lateSecondMethod(t *testing.T) (*harness, *testkit.Phone, []byte, string) {
	t.Helper()
	box := &testkit.Phone{}
	phone.SharedLimiter = phone.NewLimiter(phone.MaxSendsPerHour, phone.SendWindow)
	h := newHarnessProving(t, testPolicy, map[info.Kind]wizard.SetupFactory{
		info.KindAuthenticatorApp: authapp.NewSetup, info.KindPhone: phone.NewSetup}, box,
		map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver, info.KindPhone: phone.NewProver})
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Authenticator app")
	a := h.u.flow.Setup().(*authapp.Setup)
	_, _, key, err := authapp.ParseURI(a.URI())
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(h.u.host.next)
	test.Tap(h.u.host.next)
	code := authapp.Code(key, h.now)
	test.Tap(h.u.host.next)
	test.Type(h.u.host.views[info.KindAuthenticatorApp].(*authAppView).code, code)
	h.u.Wait()
	if !a.Done() {
		t.Fatalf("the app wasn't registered: %q", h.u.host.message.Text)
	}
	test.Tap(h.u.host.next)
	h.u.Wait()
	h.wantTitle("Keep your account secure — Phone")

	h.now = h.now.Add(wizard.ReauthAge + time.Minute)
	v := h.u.host.views[info.KindPhone].(*phoneView)
	test.Type(v.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	texted := box.LastCode(t)
	test.Type(v.code, texted) // submitted on the sixth digit
	h.u.Wait()
	return h, box, key, texted
}

// TestReauth_SecondMethodAfterTenMinutesCanStillBeConfirmed: the phone's
// right code, refused at save more than 10 minutes after the app was
// registered, opens "Verify your identity" over the phone's page (as the
// More information page does), instead of a refusal with no way out.
func TestReauth_SecondMethodAfterTenMinutesCanStillBeConfirmed(t *testing.T) {
	h, _, _, _ := lateSecondMethod(t)
	if p := h.u.flow.Setup(); p != nil && p.Kind() == info.KindPhone && p.Done() {
		t.Fatal("the phone was saved: nothing to confirm (the test's clock didn't move?)")
	}
	if h.u.flow.Page() != wizard.PageVerify || len(buttons(h.w.Canvas(), "Use a code from my authenticator app")) == 0 {
		ms, _ := h.dir.Methods(wizard.DemoAccount)
		t.Fatalf("the phone's right code was refused (%q) and no way to confirm it's you is offered: page %s, title %q, %d methods stored",
			h.u.host.message.Text, h.u.flow.Page(), h.w.Title(), len(ms))
	}
}

// TestReauth_ConfirmingFinishesTheMethodWithTheCodeTyped: once the person
// confirms it's them (the app's code), they are back on the phone's page
// and the code they typed saves the phone, untyped again; Back from
// "Verify your identity" instead returns to the phone's page with the
// code still in its field.
func TestReauth_ConfirmingFinishesTheMethodWithTheCodeTyped(t *testing.T) {
	h, _, key, texted := lateSecondMethod(t)
	if h.u.flow.Page() != wizard.PageVerify {
		t.Fatalf("page %s after the refused save", h.u.flow.Page())
	}
	h.u.Wait() // the default way (the app) starts
	test.Tap(buttons(h.w.Canvas(), "Back")[0])
	h.u.Wait()
	v := h.u.host.views[info.KindPhone].(*phoneView)
	if h.u.flow.Page() != wizard.PageMethod || v.code.Text != texted {
		t.Fatalf("Back from Verify your identity: page %s, code field %q, want the phone's page with %q", h.u.flow.Page(), v.code.Text, texted)
	}
	test.Tap(h.u.host.next) // refused again: Verify your identity again
	h.u.Wait()
	if h.u.flow.Page() != wizard.PageVerify || len(h.u.verify.panel.entries) != 1 {
		t.Fatalf("Next again: page %s, %d fields, %q %q", h.u.flow.Page(), len(h.u.verify.panel.entries), h.u.verify.panel.prompt.Text, h.u.verify.panel.message.Text)
	}
	h.now = h.now.Add(time.Minute) // the app shows a new code
	test.Type(h.u.verify.panel.entries[0], authapp.Code(key, h.now))
	h.u.Wait()
	p, ok := h.u.flow.Setup().(*phone.Setup)
	if h.u.flow.Page() != wizard.PageMethod || !ok || !p.Done() {
		t.Fatalf("after confirming it's you: page %s, phone done %v, message %q", h.u.flow.Page(), ok && p.Done(), h.u.host.message.Text)
	}
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	phones := 0
	for _, m := range ms {
		if m.Kind == info.KindPhone {
			phones++
		}
	}
	if phones != 1 {
		t.Errorf("%d phones stored: %+v", phones, ms)
	}
}

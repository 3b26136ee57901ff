package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// TestReview6b_SecondMethodAfterTenMinutesCanStillBeConfirmed: a person
// registers the authenticator app (a fresh second factor), then takes
// more than 10 minutes over the phone (finding it, waiting for the text).
// The phone's right code is refused at save ("confirm it's you before
// changing your security info"), but nothing on the page confirms it:
// "Verify your identity" can't be opened from a method, Back stops at the
// phone's first screen (a method was registered), and Next only repeats
// the refusal. The required phone can't be finished.
func TestReview6b_SecondMethodAfterTenMinutesCanStillBeConfirmed(t *testing.T) {
	box := &testkit.Phone{}
	phone.SharedLimiter = phone.NewLimiter(phone.MaxSendsPerHour, phone.SendWindow)
	h := newHarnessWith(t, testPolicy, map[info.Kind]wizard.SetupFactory{
		info.KindAuthenticatorApp: authapp.NewSetup, info.KindPhone: phone.NewSetup}, box)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Authenticator app")
	a := h.u.flow.Setup().(*authapp.Setup)
	test.Tap(h.u.host.next)
	test.Tap(h.u.host.next)
	code := codeFor(t, a, h.now)
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
	test.Type(v.code, box.LastCode(t)) // submitted on the sixth digit
	h.u.Wait()
	if p := h.u.flow.Setup().(*phone.Setup); p.Done() {
		return // saved: nothing to confirm
	}
	said := h.u.host.message.Text
	// The person does what the page offers: Next again, then Back.
	test.Tap(h.u.host.next)
	h.u.Wait()
	for i := 0; i < 3 && h.u.flow.Page() == wizard.PageMethod; i++ {
		if h.u.host.back == nil || h.u.host.back.Disabled() || !h.u.host.back.Visible() {
			break
		}
		test.Tap(h.u.host.back)
		h.u.Wait()
	}
	confirmOpen := len(buttons(h.w.Canvas(), "Confirm another way")) > 0
	if h.u.flow.Page() != wizard.PageVerify && !confirmOpen {
		ms, _ := h.dir.Methods(wizard.DemoAccount)
		t.Errorf("the phone's right code was refused (%q) and no way to confirm it's you is offered: page %s, title %q, %d methods stored",
			said, h.u.flow.Page(), h.w.Title(), len(ms))
	}
}

package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
)

const appOnlyPolicy = `organisation = "Contoso"
demo = true
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone"]
min_methods = 1
app_passwords = true
`

// toAppPassword registers the authenticator app and arrives at the App
// password section.
func toAppPassword(t *testing.T, policy string) (*harness, *apppassword.Setup) {
	h := newHarness(t, policy, map[info.Kind]wizard.SetupFactory{
		info.KindAuthenticatorApp: authapp.NewSetup,
		info.KindAppPassword:      apppassword.NewSetup,
	})
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	a := h.u.flow.Setup().(*authapp.Setup)
	test.Tap(h.u.host.next)
	test.Tap(h.u.host.next)
	code := codeFor(t, a, h.now)
	test.Tap(h.u.host.next)
	test.Type(h.u.host.views[info.KindAuthenticatorApp].(*authAppView).code, code)
	h.u.Wait()
	test.Tap(h.u.host.next)
	h.wantTitle("Keep your account secure — App password")
	return h, h.u.flow.Setup().(*apppassword.Setup)
}

func TestAppPassword_WizardSectionShowsItOnce(t *testing.T) {
	h, a := toAppPassword(t, appOnlyPolicy)
	v := h.u.host.views[info.KindAppPassword].(*appPasswordView)
	if h.w.Canvas().Focused() != v.name {
		t.Error("the name field does not have the keyboard")
	}
	test.Tap(h.u.host.next) // no name
	h.u.Wait()
	if !strings.Contains(h.u.host.message.Text, "Enter a name for this app password") {
		t.Errorf("empty name: %q", h.u.host.message.Text)
	}
	test.Type(v.name, "Laptop")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if a.Screen() != apppassword.ScreenShow {
		t.Fatalf("screen = %s, message %q", a.Screen(), h.u.host.message.Text)
	}
	pw := a.Password()
	if len(pw) != 16 || strings.Trim(pw, "abcdefghijklmnopqrstuvwxyz") != "" {
		t.Fatalf("password %q is not 16 lower-case letters", pw)
	}
	if h.u.host.skip.Visible() {
		t.Error("Skip is offered after the password was created")
	}
	h.assertCard("apppassword_show.xml")

	test.Tap(buttons(h.w.Canvas(), "Copy (Ctrl+C)")[0])
	if got := h.u.app.Clipboard().Content(); got != pw {
		t.Errorf("clipboard = %q, want the raw password", got)
	}
	if err := apppassword.Verify(h.dir, wizard.DemoAccount, pw, h.now); err != nil {
		t.Errorf("the shown password does not verify: %v", err)
	}

	// Leaving asks first.
	h.u.host.onCancel()
	if len(h.w.Canvas().Overlays().List()) != 1 {
		t.Fatal("Cancel on the password page did not warn")
	}
	h.w.Canvas().Overlays().Remove(h.w.Canvas().Overlays().Top())

	test.Tap(h.u.host.next) // Done
	h.u.Wait()
	if a.Password() != "" || !a.Done() {
		t.Fatal("the password is still shown after Done")
	}
	test.Tap(h.u.host.next)
	h.wantTitle("Success")
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	var stored info.Method
	for _, m := range ms {
		if m.Kind == info.KindAppPassword {
			stored = m
		}
	}
	if stored.Label != "Laptop" || !strings.HasPrefix(stored.Hash, "$argon2id$") || strings.Contains(stored.Hash, pw) {
		t.Errorf("stored = %+v", stored)
	}
}

func TestAppPassword_SkipLeavesNone(t *testing.T) {
	h, _ := toAppPassword(t, appOnlyPolicy)
	test.Tap(h.u.host.skip)
	h.wantTitle("Success")
	if ms, _ := apppassword.List(h.dir, wizard.DemoAccount); len(ms) != 0 {
		t.Errorf("skipping created %v", ms)
	}
}

func TestAppPassword_KioskHasNoCopy(t *testing.T) {
	h, _ := toAppPassword(t, strings.Replace(appOnlyPolicy, "demo = true", "demo = true\nmode = \"kiosk\"", 1))
	test.Type(h.u.host.views[info.KindAppPassword].(*appPasswordView).name, "Desk phone")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if n := len(buttons(h.w.Canvas(), "Copy (Ctrl+C)")); n != 0 {
		t.Errorf("%d Copy buttons on a kiosk", n)
	}
}

package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// idleOut ticks past the kiosk's idle time (2 minutes by default) and its
// countdown, so that the station wipes.
func (h *harness) idleOut() {
	h.t.Helper()
	h.tickFor(2*time.Minute + 2*time.Second)
	h.wantTitle("Sign in")
}

// TestKiosk_WipeEmptiesEverySignInField: what a person typed on the
// sign-in page and walked away from, account, password or code, is gone
// for the next person, field by field.
func TestKiosk_WipeEmptiesEverySignInField(t *testing.T) {
	// The code field shows only when a directory asks for a code, after
	// an account was typed.
	for _, fields := range [][]string{{"account"}, {"password"}, {"account", "code"}} {
		t.Run(strings.Join(fields, "+"), func(t *testing.T) {
			h := newHarness(t, kioskPolicy, withAuthApp)
			p := h.u.signIn
			for _, f := range fields {
				e := map[string]interface{ SetText(string) }{"account": p.account, "password": p.password, "code": p.code}[f]
				e.SetText("typed-then-left-" + f)
			}
			h.idleOut()
			if p.account.Text != "" || p.password.Text != "" || p.code.Text != "" {
				t.Errorf("after the wipe: account %q, password %q, code %q", p.account.Text, p.password.Text, p.code.Text)
			}
		})
	}
}

// TestKiosk_WipeClosesDialogs: a dialog left open (a message, a form) is
// closed by the wipe, not left for the next person.
func TestKiosk_WipeClosesDialogs(t *testing.T) {
	h := newHarness(t, kioskPolicy, withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	dialog.ShowInformation("Left open", "by the last person", h.w)
	dialog.ShowConfirm("Also left open", "by the last person", func(bool) {}, h.w)
	if len(h.w.Canvas().Overlays().List()) == 0 {
		t.Fatal("no dialog shown")
	}
	h.idleOut()
	if n := len(h.w.Canvas().Overlays().List()); n != 0 {
		t.Errorf("%d dialogs still open after the wipe", n)
	}
}

// TestKiosk_WipeForgetsThePhoneNumber: the number (and code) typed on the
// phone page are cleared by the wipe, so the next person who reaches that
// page does not see them.
func TestKiosk_WipeForgetsThePhoneNumber(t *testing.T) {
	phone.SharedLimiter = phone.NewLimiter(phone.MaxSendsPerHour, phone.SendWindow)
	h := newHarnessProving(t, kioskPolicy, map[info.Kind]wizard.SetupFactory{info.KindPhone: phone.NewSetup}, &testkit.Phone{},
		map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver})
	h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0, HasSecret: true}, append([]byte(nil), appSeed...))
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("Verify your identity")
	test.Type(h.u.verify.panel.entries[0], authapp.Code(appSeed, h.now))
	h.u.Wait()
	h.wantTitle("More information required")
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Phone")
	v := h.u.host.views[info.KindPhone].(*phoneView)
	test.Type(v.number, "(201) 555-0123")
	v.code.SetText("123")
	h.idleOut()
	if v.number.Text != "" || v.code.Text != "" {
		t.Errorf("after the wipe the phone page holds number %q, code %q", v.number.Text, v.code.Text)
	}
}

// TestKiosk_QRHiddenAtTwoMinutes pins the rule as written (2 minutes),
// not as the constant says.
func TestKiosk_QRHiddenAtTwoMinutes(t *testing.T) {
	h := newHarness(t, strings.Replace(kioskPolicy, "app_passwords = true", "app_passwords = true\nidle_timeout = \"10m\"", 1), withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	test.Tap(h.u.host.next)
	test.Tap(h.u.host.next)
	h.tickFor(2*time.Minute - time.Second)
	if len(buttons(h.w.Canvas(), "Show it again")) != 0 {
		t.Fatal("hidden before 2 minutes")
	}
	h.tickFor(time.Second)
	if len(buttons(h.w.Canvas(), "Show it again")) != 1 {
		t.Error("the QR code is still shown after 2 minutes on a kiosk")
	}
	if QRHideAfter != 2*time.Minute {
		t.Errorf("QRHideAfter = %v, want 2m", QRHideAfter)
	}
}

// TestKiosk_CtrlCCopiesNothing: on a kiosk, Ctrl+C puts nothing on the
// clipboard, on the page that shows a new app password and whatever the
// UI holds as the secret to copy.
func TestKiosk_CtrlCCopiesNothing(t *testing.T) {
	kiosk := strings.Replace(appOnlyPolicy, "demo = true", "demo = true\nmode = \"kiosk\"", 1)
	h, _ := toAppPassword(t, kiosk)
	test.Type(h.u.host.views[info.KindAppPassword].(*appPasswordView).name, "Desk phone")
	test.Tap(h.u.host.next)
	h.u.Wait()
	ctrlC := func() {
		h.w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&fyne.ShortcutCopy{})
	}
	ctrlC()
	if got := h.u.app.Clipboard().Content(); got != "" {
		t.Errorf("Ctrl+C on a kiosk copied %q", got)
	}
	h.u.copyTarget = "abcdefghijklmnop" // whatever is on screen
	ctrlC()
	if got := h.u.app.Clipboard().Content(); got != "" {
		t.Errorf("Ctrl+C on a kiosk copied %q", got)
	}
}

// TestDesktop_CtrlCCopies is the other side of the check above: off a
// kiosk, the same Ctrl+C does copy, so the kiosk test can fail.
func TestDesktop_CtrlCCopies(t *testing.T) {
	h, _ := toAppPassword(t, appOnlyPolicy)
	test.Type(h.u.host.views[info.KindAppPassword].(*appPasswordView).name, "Desk phone")
	test.Tap(h.u.host.next)
	h.u.Wait()
	h.w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&fyne.ShortcutCopy{})
	if got := h.u.app.Clipboard().Content(); len(got) != 16 {
		t.Errorf("Ctrl+C copied %q, want the 16-letter app password", got)
	}
}

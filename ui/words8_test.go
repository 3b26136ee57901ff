package ui

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// The app and the phone word a wrong code the same way.
func TestWrongCode_SameWordsForTheAppAndThePhone(t *testing.T) {
	h, a := toScan(t, testPolicy)
	test.Tap(h.u.host.next)
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	wrong := "000000"
	if codeFor(t, a, h.now) == wrong {
		wrong = "111111"
	}
	test.Type(v.code, wrong)
	h.u.Wait()
	app := h.u.host.message.Text

	hp, _, pv, box := toPhone(t)
	test.Type(pv.number, "(201) 555-0123")
	test.Tap(hp.u.host.next)
	hp.u.Wait()
	wrong = "000000"
	if box.LastCode(t) == wrong {
		wrong = "111111"
	}
	test.Type(pv.code, wrong)
	hp.u.Wait()
	if app != hp.u.host.message.Text || !strings.Contains(app, "4 tries left") {
		t.Errorf("app says %q, phone says %q", app, hp.u.host.message.Text)
	}
}

// Five digits and Enter: the field keeps them, to add the sixth.
func TestAuthApp_FiveDigitsAreKept(t *testing.T) {
	h, _ := toScan(t, testPolicy)
	test.Tap(h.u.host.next)
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	test.Type(v.code, "12345")
	v.code.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.u.Wait()
	if v.code.Text != "12345" || !strings.Contains(h.u.host.message.Text, "6-digit") {
		t.Errorf("field %q, message %q", v.code.Text, h.u.host.message.Text)
	}
}

// The error is shown right under the method's fields, not below the page.
func TestHost_ErrorsSitUnderTheFields(t *testing.T) {
	h, _ := toScan(t, testPolicy)
	test.Tap(h.u.host.next)
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	test.Type(v.code, "12345")
	v.code.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.u.Wait()
	d := fyne.CurrentApp().Driver()
	field, msg := d.AbsolutePositionForObject(v.code), d.AbsolutePositionForObject(h.u.host.message)
	back := d.AbsolutePositionForObject(h.u.host.back)
	if !(msg.Y > field.Y && msg.Y < back.Y) || msg.Y-field.Y > 150 {
		t.Errorf("code field at %v, message at %v, Back at %v", field, msg, back)
	}
}

// Typing the code and Enter: the phone's "SMS verified" stays on screen
// until the person chooses Next.
func TestPhone_EnterAfterTheCodeKeepsTheConfirmation(t *testing.T) {
	h, p, v, box := toPhone(t)
	test.Type(v.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	test.Type(v.code, box.LastCode(t))
	h.u.Wait()
	v.code.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.u.Wait()
	if !p.Done() || h.u.flow.Setup() != wizard.Setup(p) {
		t.Fatal("Enter after the code left the phone's confirmation")
	}
	h.wantTitle("Keep your account secure — Phone")
}

// Back from "a different authenticator app" returns to the first screen's
// Microsoft app, not out of the method.
func TestAuthApp_BackFromADifferentApp(t *testing.T) {
	h := newHarness(t, testPolicy, withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	a := h.u.flow.Setup().(*authapp.Setup)
	tapLink(t, h.w.Canvas(), "I want to use a different authenticator app")
	if !a.DifferentApp() || h.u.host.back.Disabled() {
		t.Fatal("Back is not offered on the different app's screen")
	}
	test.Tap(h.u.host.back)
	h.wantTitle("Keep your account secure — Authenticator app")
	if a.DifferentApp() || a.Screen() != authapp.ScreenGetApp {
		t.Errorf("after Back: different %v, screen %s", a.DifferentApp(), a.Screen())
	}
}

// "Download now" without a browser says what to do instead.
func TestAuthApp_DownloadWithoutABrowserSaysSo(t *testing.T) {
	h := newHarness(t, testPolicy, withAuthApp)
	h.u.openURL = func(string) error { return errors.New("xdg-open: no method available") }
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	test.Tap(buttons(h.w.Canvas(), "Download now")[0])
	h.u.Wait()
	if msg := h.u.host.message.Text; !strings.Contains(msg, "browser") || !strings.Contains(msg, DownloadURL) {
		t.Errorf("message = %q", msg)
	}
}

// The demo outbox follows its file: a new message shows without Refresh.
func TestOutbox_FollowsTheFile(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.u.opts.OutboxPath = filepath.Join(t.TempDir(), "outbox.jsonl")
	o := &delivery.Outbox{Path: h.u.opts.OutboxPath, Now: func() time.Time { return h.now }}
	h.u.showOutbox()
	if err := o.Send(t.Context(), wizard.Message{Channel: wizard.ChannelSMS, To: "+12015550123", Text: "Use verification code 424242"}); err != nil {
		t.Fatal(err)
	}
	h.tickFor(time.Second)
	found := false
	for _, obj := range h.u.outbox.list.Objects {
		if l, ok := obj.(*widget.Label); ok && strings.Contains(l.Text, "424242") {
			found = true
		}
	}
	if !found {
		t.Error("the new message did not show without Refresh")
	}
	h.u.outbox.win.Close()
}

// Copy says it copied, and that the clipboard is cleared in 30 s.
func TestCopy_SaysItClearsIn30Seconds(t *testing.T) {
	h, _ := toScan(t, testPolicy)
	tapLink(t, h.w.Canvas(), "Can't scan image?")
	test.Tap(buttons(h.w.Canvas(), "Copy")[1])
	found := false
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Copied") && strings.Contains(l.Text, "30 s") {
			found = true
		}
	}
	if !found {
		t.Error("no word that it was copied and clears in 30 s")
	}
}

// After a wipe only the field with the keyboard looks focused.
func TestWipe_NoFieldStillLooksFocused(t *testing.T) {
	h, _, v, _ := toPhone(t)
	if h.w.Canvas().Focused() != v.number {
		t.Fatal("the number field doesn't have the keyboard")
	}
	h.u.wipe()
	focus := theme.Color(theme.ColorNamePrimary)
	for _, o := range test.WidgetRenderer(v.number).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.StrokeColor == focus {
			t.Error("the phone number field still looks focused after the wipe")
		}
	}
}

// On a kiosk "Download now" is not offered and nothing is launched: only
// the QR code of the store link.
func TestAuthApp_KioskShowsOnlyTheDownloadQR(t *testing.T) {
	h := newHarness(t, kioskPolicy, withAuthApp)
	opened := 0
	h.u.openURL = func(string) error { opened++; return nil }
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	if b := buttons(h.w.Canvas(), "Download now"); len(b) != 0 {
		t.Errorf("a kiosk offers %d Download now buttons", len(b))
	}
	h.u.host.views[info.KindAuthenticatorApp].(*authAppView).onDownload()
	h.u.Wait()
	if opened != 0 {
		t.Errorf("a kiosk launched a browser %d times", opened)
	}
}

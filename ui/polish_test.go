package ui

import (
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
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// checkOn finds the check box with text on the canvas, whatever type
// carries it.
func checkOn(t *testing.T, c fyne.Canvas, text string) (fyne.Focusable, func() bool) {
	t.Helper()
	for _, o := range objects(c) {
		switch x := o.(type) {
		case *widget.Check:
			if x.Text == text {
				return x, func() bool { return x.Checked }
			}
		case *keyCheck:
			if x.Text == text {
				return x, func() bool { return x.Checked }
			}
		}
	}
	t.Fatalf("no check box %q", text)
	return nil, nil
}

// Enter on a focused check box toggles it, as Space does (#15 item 1).
func TestKeys_EnterTogglesACheckBox(t *testing.T) {
	h := helpdeskHarness(t)
	h.operatorSignIn()
	h.wantTitle("Helpdesk")
	h.search("ali")
	c := h.w.Canvas()
	press(c, fyne.KeyTab)
	press(c, fyne.KeyReturn)
	box, checked := checkOn(t, c, "One-time use")
	if !checked() {
		t.Fatal("One-time use starts unchecked")
	}
	c.Focus(box)
	press(c, fyne.KeyReturn)
	if checked() {
		t.Fatal("Enter did not clear the focused check box")
	}
	press(c, fyne.KeyReturn)
	if !checked() {
		t.Fatal("a second Enter did not check it again")
	}
}

// Enter on a radio option not chosen chooses it; Enter on the chosen one
// goes on with it, as Enter in the number field does (#15 item 1).
func TestKeys_EnterOnARadioOptionChoosesItThenGoesOn(t *testing.T) {
	h, p, v, box := toPhone(t)
	c := h.w.Canvas()
	c.Focus(v.number)
	typeKeys(c, "(201) 555-0123")
	press(c, fyne.KeyTab) // Text me a code
	press(c, fyne.KeyTab) // Call me
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if v.channel.Selected != callMe || p.Screen() != phone.ScreenNumber || box.Count() != 0 {
		t.Fatalf("Enter on Call me: chosen %q, screen %s, %d sent", v.channel.Selected, p.Screen(), box.Count())
	}
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if p.Screen() != phone.ScreenCode || box.Count() != 1 || box.Last(t).Channel != wizard.ChannelVoice {
		t.Fatalf("a second Enter: screen %s, sent %+v (message %q)", p.Screen(), box.Sent(), h.u.host.message.Text)
	}
}

// Escape closes the pass dialog from its check box (#15 item 1).
func TestKeys_EscapeClosesThePassFromItsCheckBox(t *testing.T) {
	h := withPassDialog(t)
	c := h.w.Canvas()
	if topDialog(h) == nil {
		t.Fatal("no pass dialog")
	}
	box, _ := checkOn(t, c, "Put the pass on the slip")
	c.Focus(box)
	press(c, fyne.KeyEscape)
	if len(c.Overlays().List()) != 0 {
		t.Fatal("Escape on the check box did not close the pass")
	}
}

// A name in use, typed in "Change the name", is said in the dialog, which
// stays open with the name to change (#16 item 11); a free name closes
// it and renames.
func TestManage_RenameToANameInUseSaysSoInTheDialog(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	for _, m := range []info.Method{
		{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel 9", Created: t0},
		{ID: "a2", Kind: info.KindAuthenticatorApp, Label: "iPhone", Created: t0},
		{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: t0},
	} {
		if err := h.dir.AddMethod(wizard.DemoAccount, m, appSeed); err != nil {
			t.Fatal(err)
		}
	}
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("You're all set")
	tapLink(t, h.w.Canvas(), "Manage your security info")
	h.wantTitle("Security info")
	c := h.w.Canvas()
	h.u.manage.onRename(info.Method{ID: "a2", Kind: info.KindAuthenticatorApp, Label: "iPhone"})
	d := topDialog(h)
	if d == nil || c.Focused() != d.first {
		t.Fatal("no dialog with the keyboard on the name")
	}
	d.first.(*keyEntry).SetText("Pixel 9")
	press(c, fyne.KeyReturn)
	h.u.Wait()
	// A change asks "Confirm it's you" first; the name comes back with
	// its answer, in a dialog of its own.
	confirmWithCode(t, h, authapp.Code(appSeed, h.now))
	d = topDialog(h)
	if d == nil {
		t.Fatalf("a name in use: no dialog; the page says %q", h.u.manage.message.Text)
	}
	if d.first.(*keyEntry).Text != "Pixel 9" || d.message.Text == "" || !d.message.Visible() || h.u.manage.message.Text != "" {
		t.Fatalf("a name in use: name %q, its message %q, the page's %q", d.first.(*keyEntry).Text, d.message.Text, h.u.manage.message.Text)
	}
	d.first.(*keyEntry).SetText("iPhone 16")
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if len(c.Overlays().List()) != 0 {
		t.Fatal("a free name did not close the dialog")
	}
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	names := map[string]bool{}
	for _, m := range ms {
		names[m.Label] = true
	}
	if !names["iPhone 16"] || !names["Pixel 9"] || names["iPhone"] {
		t.Fatalf("stored %+v", ms)
	}
}

// Pages with nothing to type start with the keyboard on the button a
// person acts with, so Enter and Tab work at once (#15 item 1).
func TestKeys_PagesWithNothingToTypeStartOnTheirButton(t *testing.T) {
	h := upToDate(t)
	c := h.w.Canvas()
	if c.Focused() != h.u.manage.add {
		t.Errorf("Manage: the keyboard is on %T, not Add sign-in method", c.Focused())
	}
	h.u.manage.onBack()
	h.wantTitle("You're all set")
	if c.Focused() != h.u.success.done {
		t.Errorf("Success: the keyboard is on %T, not Done", c.Focused())
	}

	h = newHarness(t, testPolicy, nil)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("More information required")
	c = h.w.Canvas()
	if c.Focused() != h.u.moreInfo.next {
		t.Fatalf("More information required: the keyboard is on %T, not Next", c.Focused())
	}
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if h.u.flow.Page() == wizard.PageMoreInfo {
		t.Fatal("Enter on Next did not go on")
	}
}

// ring is the visible focus ring drawn on b, or nil.
func ring(b *keyButton) *canvas.Rectangle {
	fg := b.Theme().Color(theme.ColorNameForegroundOnError, fyne.CurrentApp().Settings().ThemeVariant())
	for _, o := range test.WidgetRenderer(b).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.Visible() && r.StrokeWidth >= 2 && r.StrokeColor == fg {
			return r
		}
	}
	return nil
}

// A focused danger button shows a ring in its text colour, inside its
// edge, as the focus colour alone changes red by only 2:1 (#15 item 1,
// WCAG 2.4.7; theme_test.go measures the ring at 3:1 or more).
func TestKeys_DangerButtonsShowAFocusRing(t *testing.T) {
	h := openAlice(t)
	c := h.w.Canvas()
	reset := keyButtonOn(t, c, "Reset all security info…")
	if ring(reset) != nil {
		t.Fatal("a ring before the button has the keyboard")
	}
	c.Focus(reset)
	r := ring(reset)
	if r == nil {
		t.Fatal("no focus ring on the focused Reset all")
	}
	if r.Position().X <= 0 || r.Position().X+r.Size().Width >= reset.Size().Width || r.Size().Height <= 0 {
		t.Errorf("the ring at %v size %v is not inside the button (%v)", r.Position(), r.Size(), reset.Size())
	}
	press(c, fyne.KeyReturn)
	remove := keyButtonOn(t, c, "Remove all")
	typeKeys(c, "alice@contoso.example")
	c.Focus(remove)
	if ring(remove) == nil {
		t.Fatal("no focus ring on the focused Remove all")
	}
	c.Focus(topDialog(h).first)
	if ring(remove) != nil {
		t.Fatal("the ring stayed after the focus moved on")
	}
	if ring(keyButtonOn(t, c, "Cancel")) != nil {
		t.Fatal("a ring on an ordinary button")
	}
}

// Escape that reaches the window dismisses Fyne's save dialog of the
// registration slip (after a click on a file or folder took the focus
// from its name field), and the pass dialog under it stays.
func TestKeys_EscapeDismissesTheSlipsSaveDialog(t *testing.T) {
	h := withPassDialog(t)
	c := h.w.Canvas()
	pass := topDialog(h)
	if pass == nil {
		t.Fatal("no pass dialog")
	}
	test.Tap(keyButtonOn(t, c, "Save registration slip…"))
	if n := len(c.Overlays().List()); n != 2 {
		t.Fatalf("%d overlays after Save, want the pass and the save dialog", n)
	}
	c.Unfocus() // as a click on a file or folder does
	press(c, fyne.KeyEscape)
	if n := len(c.Overlays().List()); n != 1 || topDialog(h) != pass {
		t.Fatalf("Escape left %d overlays, the pass on top %v", n, topDialog(h) == pass)
	}
	press(c, fyne.KeyEscape)
	if len(c.Overlays().List()) != 0 {
		t.Fatal("a second Escape did not close the pass")
	}
}

// The demo outbox names each message's channel in the reader's language,
// not as the file stores it ("voice").
func TestOutbox_ChannelInTheReadersLanguage(t *testing.T) {
	useLanguageForTest(t, "de")
	h := newHarness(t, testPolicy, nil)
	h.u.opts.OutboxPath = filepath.Join(t.TempDir(), "outbox.jsonl")
	o := &delivery.Outbox{Path: h.u.opts.OutboxPath, Now: func() time.Time { return h.now }}
	if err := o.Send(t.Context(), wizard.Message{Channel: wizard.ChannelVoice, To: "+12015550123", Text: "4, 2, 4, 2, 4, 2"}); err != nil {
		t.Fatal(err)
	}
	h.u.showOutbox()
	defer h.u.outbox.win.Close()
	var lines []string
	for _, obj := range h.u.outbox.list.Objects {
		if l, ok := obj.(*widget.Label); ok {
			lines = append(lines, l.Text)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "Anruf an +12015550123") {
		t.Fatalf("outbox lines %q, want the call named in German", lines)
	}
}

// The phone page's options answer the pointer as Fyne's radio group did:
// a tap chooses, a tap on the chosen one keeps it, one is always chosen.
func TestPhone_ChannelOptionsByPointer(t *testing.T) {
	_, _, v, _ := toPhone(t)
	text, call := v.channel.items[0], v.channel.items[1]
	test.Tap(call)
	if v.channel.Selected != callMe || !call.Checked || text.Checked {
		t.Fatalf("a tap on Call me: chosen %q", v.channel.Selected)
	}
	test.Tap(call)
	if v.channel.Selected != callMe || !call.Checked {
		t.Fatalf("a second tap on Call me: chosen %q, checked %v", v.channel.Selected, call.Checked)
	}
	test.Tap(text)
	if v.channel.Selected != textMe || !text.Checked || call.Checked {
		t.Fatalf("a tap on Text me a code: chosen %q", v.channel.Selected)
	}
}

// withPassDialog signs the operator in, opens alice's account from the
// keyboard and issues a pass there: the pass dialog is open.
func withPassDialog(t *testing.T) *harness {
	t.Helper()
	h := helpdeskHarness(t)
	h.operatorSignIn()
	h.wantTitle("Helpdesk")
	h.search("ali")
	c := h.w.Canvas()
	press(c, fyne.KeyTab)
	press(c, fyne.KeyReturn)
	c.Focus(keyButtonOn(t, c, "Issue Temporary Access Pass"))
	press(c, fyne.KeyReturn)
	h.u.Wait()
	return h
}

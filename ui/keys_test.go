package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// press sends a key as the real window does: Tab and Shift+Tab move the
// keyboard, other keys go to the focused widget, or, with none, to the
// window's own handler.
func press(c fyne.Canvas, name fyne.KeyName) {
	if name == fyne.KeyTab {
		c.FocusNext()
		return
	}
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if k := c.OnTypedKey(); k != nil {
		k(ev)
	}
}

// typeKeys types text as the real window does: into the focused widget,
// or, with none, to the window's own handler.
func typeKeys(c fyne.Canvas, text string) {
	for _, r := range text {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if k := c.OnTypedRune(); k != nil {
			k(r)
		}
	}
}

// topDialog is the open dialog on top, or nil.
func topDialog(h *harness) *keyDialog {
	return h.u.dialogs[h.w.Canvas().Overlays().Top()]
}

func TestKeys_ButtonsAndLinksTakeEnterAndSpace(t *testing.T) {
	test.NewTempApp(t)
	for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace} {
		taps := 0
		b := newButton("Next", func() { taps++ })
		l := link("Learn more", func() { taps++ })
		w := test.NewTempWindow(t, container.NewVBox(b, l))
		w.Canvas().Focus(b)
		press(w.Canvas(), key)
		w.Canvas().Focus(l)
		press(w.Canvas(), key)
		if taps != 2 {
			t.Errorf("%s: %d of the button and the link acted", key, taps)
		}
		b.Disable()
		b.TypedKey(&fyne.KeyEvent{Name: key})
		if taps != 2 {
			t.Errorf("%s tapped a disabled button", key)
		}
	}
}

func TestKeys_LearnMoreOwnsTheKeyboard(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("More information required")
	c := h.w.Canvas()

	// Tab to "Learn more" (after "Use a different account") and Enter.
	press(c, fyne.KeyTab)
	press(c, fyne.KeyTab)
	press(c, fyne.KeyReturn)
	if topDialog(h) == nil {
		t.Fatal("Enter on the focused Learn more link opened no dialog")
	}
	// Enter closes the dialog (its one button); the wizard stays.
	press(c, fyne.KeyReturn)
	h.wantTitle("More information required")
	if n := len(c.Overlays().List()); n != 0 {
		t.Fatalf("Enter in Learn more left %d overlays", n)
	}

	tapLink(t, c, "Learn more")
	typeKeys(c, "x") // no field in the dialog: the letter goes nowhere
	press(c, fyne.KeyEscape)
	if n := len(c.Overlays().List()); n != 0 {
		t.Fatalf("Escape left %d overlays", n)
	}
	h.wantTitle("More information required")
}

func TestKeys_LeaveThisPageEscapeKeepsTheOneTimePassword(t *testing.T) {
	h, a := toAppPassword(t, appOnlyPolicy)
	c := h.w.Canvas()
	typeKeys(c, "Laptop")
	press(c, fyne.KeyReturn)
	h.u.Wait()
	pw := a.Password()
	if a.Screen() != apppassword.ScreenShow || pw == "" {
		t.Fatalf("Enter in the name did not create it: screen %s", a.Screen())
	}

	h.u.host.onChooser() // "I want to set up a different method"
	d := topDialog(h)
	if d == nil {
		t.Fatal("leaving did not ask first")
	}
	press(c, fyne.KeyEscape)
	if len(c.Overlays().List()) != 0 || a.Password() != pw || h.u.copyTarget == "" {
		t.Fatalf("after Escape: %d overlays, password still shown %v", len(c.Overlays().List()), a.Password() == pw)
	}
	h.wantTitle("Keep your account secure — App password")

	// Enter at the question is Yes: the page goes, the dialog with it.
	h.u.host.onChooser()
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if len(c.Overlays().List()) != 0 || h.u.flow.Page() != wizard.PageChooser {
		t.Fatalf("Enter: %d overlays, page %v", len(c.Overlays().List()), h.u.flow.Page())
	}
}

func TestKeys_ManageDialogsByKeyboardKeepTheirErrors(t *testing.T) {
	h := upToDate(t)
	c := h.w.Canvas()
	press(c, fyne.KeyTab)
	c.Focus(h.u.manage.create)
	press(c, fyne.KeyReturn)
	d := topDialog(h)
	if d == nil || c.Focused() != d.first {
		t.Fatal("Create: no dialog with the keyboard on its code")
	}
	typeKeys(c, "000000")
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if topDialog(h) != d || !strings.Contains(d.message.Text, "That code isn't right") || h.u.manage.message.Text != "" {
		t.Fatalf("a wrong code: dialog open %v, its message %q, the page's %q", topDialog(h) == d, d.message.Text, h.u.manage.message.Text)
	}
	typeKeys(c, authapp.Code(appSeed, h.now))
	press(c, fyne.KeyReturn)
	h.u.Wait()
	name := topDialog(h)
	if name == nil || name == d || c.Focused() != name.first {
		t.Fatal("the right code did not lead to the name, with the keyboard on it")
	}
	typeKeys(c, "Tablet")
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if ms, _ := apppassword.List(h.dir, wizard.DemoAccount); len(ms) != 1 {
		t.Fatalf("Enter in the name stored %v", ms)
	}
	if d := topDialog(h); d == nil || d.confirm != nil {
		t.Fatal("the new password is not shown")
	}
	press(c, fyne.KeyReturn) // Done
	if len(c.Overlays().List()) != 0 {
		t.Fatal("Enter did not close the password")
	}

	// The same name again: said in the dialog, which stays for another.
	c.Focus(h.u.manage.create)
	press(c, fyne.KeySpace)
	d = topDialog(h)
	typeKeys(c, "Tablet")
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if topDialog(h) != d || d.message.Text == "" || !d.message.Visible() || h.u.manage.message.Text != "" {
		t.Fatalf("a name in use: dialog open %v, its message %q, the page's %q", topDialog(h) == d, d.message.Text, h.u.manage.message.Text)
	}
	press(c, fyne.KeyEscape)
	if len(c.Overlays().List()) != 0 {
		t.Fatal("Escape in the name field did not close the dialog")
	}
	if ms, _ := apppassword.List(h.dir, wizard.DemoAccount); len(ms) != 1 {
		t.Fatalf("stored %d app passwords", len(ms))
	}
}

func TestKeys_ConfirmDialogsTakeEnterAndEscape(t *testing.T) {
	h := upToDate(t)
	if err := h.u.flow.StepUp(authapp.Code(appSeed, h.now)); err != nil {
		t.Fatal(err)
	}
	if err := h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "ap1", Kind: info.KindAppPassword, Label: "Tablet", Created: t0, Hash: secret.DummyHash}, nil); err != nil {
		t.Fatal(err)
	}
	h.u.manage.refresh()
	c := h.w.Canvas()
	deletes := buttons(c, "Delete")
	// Delete the app password, after the two methods' Deletes.
	test.Tap(deletes[2])
	press(c, fyne.KeyEscape)
	if ms, _ := h.dir.Methods(wizard.DemoAccount); len(ms) != 3 || len(c.Overlays().List()) != 0 {
		t.Fatalf("Escape: %d methods, %d overlays", len(ms), len(c.Overlays().List()))
	}
	// Tab to No, Enter: No.
	test.Tap(deletes[2])
	press(c, fyne.KeyTab)
	press(c, fyne.KeyReturn)
	if ms, _ := h.dir.Methods(wizard.DemoAccount); len(ms) != 3 || len(c.Overlays().List()) != 0 {
		t.Fatalf("Enter on No: %d methods, %d overlays", len(ms), len(c.Overlays().List()))
	}
	test.Tap(deletes[2])
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if ms, _ := h.dir.Methods(wizard.DemoAccount); len(ms) != 2 || len(c.Overlays().List()) != 0 {
		t.Fatalf("Enter: %d methods, %d overlays, message %q", len(ms), len(c.Overlays().List()), h.u.manage.message.Text)
	}
}

func TestKeys_KioskPassphraseByKeyboard(t *testing.T) {
	h := newHarness(t, kioskPolicy, nil)
	c := h.w.Canvas()
	h.u.kiosk.interceptClose()
	typeKeys(c, "open sesame now")
	press(c, fyne.KeyEscape)
	if h.quit != 0 || len(c.Overlays().List()) != 0 {
		t.Fatalf("Escape: quit %d, %d overlays", h.quit, len(c.Overlays().List()))
	}
	h.u.kiosk.interceptClose()
	c.Unfocus() // as a click on the dialog's background does
	typeKeys(c, "open sesame now")
	if h.u.signIn.account.Text != "" {
		t.Fatalf("letters typed at the dialog went to the page behind: %q", h.u.signIn.account.Text)
	}
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if h.quit != 1 {
		t.Fatal("Enter in the passphrase did not close the station")
	}
}

func TestKeys_RegionPickerOpensWithDownAndIsOneTabStop(t *testing.T) {
	h, _, v, _ := toPhone(t)
	c := h.w.Canvas()
	c.Focus(v.region)
	press(c, fyne.KeyTab)
	if c.Focused() != v.number {
		t.Errorf("Tab from the region went to %T, not the number", c.Focused())
	}
	c.Focus(v.region)
	v.region.SetText("united")
	press(c, fyne.KeyDown)
	menu, ok := c.Focused().(*widget.PopUpMenu)
	if !ok {
		t.Fatalf("Down on the region opened no list (focus on %T)", c.Focused())
	}
	press(c, fyne.KeyDown) // the first match
	press(c, fyne.KeyReturn)
	if menu.Visible() || !strings.HasPrefix(v.region.Text, "United") {
		t.Errorf("picking from the list: region %q", v.region.Text)
	}
	menu.Hide()
	arrow, ok := v.region.ActionItem.(*dropArrow)
	if !ok {
		t.Fatalf("the region's arrow is a %T", v.region.ActionItem)
	}
	n := len(c.Overlays().List())
	test.Tap(arrow) // the pointer still opens it
	if len(c.Overlays().List()) != n+1 {
		t.Error("tapping the arrow opened no list")
	}
	c.Focus(v.region)
	v.region.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierAlt})
	if _, ok := c.Focused().(*widget.PopUpMenu); !ok {
		t.Errorf("Alt+Down on the region opened no list (focus on %T)", c.Focused())
	}
}

func TestKeys_ManageCreateAndLimitMessageInView(t *testing.T) {
	h := upToDate(t)
	for i := 0; i < apppassword.MaxPasswords; i++ {
		m := info.Method{ID: fmt.Sprintf("ap%02d", i), Kind: info.KindAppPassword, Label: fmt.Sprintf("Device %d", i), Created: t0, Hash: secret.DummyHash}
		if err := h.dir.AddMethod(wizard.DemoAccount, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	h.u.show() // the page opened again, with its app passwords
	if err := h.u.flow.StepUp(authapp.Code(appSeed, h.now)); err != nil {
		t.Fatal(err)
	}
	c := h.w.Canvas()
	scroll := h.u.manage.box.(*container.Scroll)
	inView := func(o fyne.CanvasObject) bool {
		top := fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y
		s := fyne.CurrentApp().Driver().AbsolutePositionForObject(scroll).Y
		return top >= s && top+o.Size().Height <= s+scroll.Size().Height+0.5
	}
	if inView(h.u.manage.create) {
		t.Fatal("set-up: Create is in view without scrolling")
	}
	// Tab reaches Create from the last Delete: it scrolls into view.
	var last fyne.Focusable // the last Delete, as it is on the window
	for _, o := range objects(c) {
		if b, ok := o.(*keyButton); ok && b.Text == "Delete" {
			last = b
		}
	}
	c.Focus(last)
	press(c, fyne.KeyTab)
	if c.Focused() != fyne.Focusable(h.u.manage.create) || !inView(h.u.manage.create) {
		t.Fatalf("Create focused %v, in view %v", c.Focused() == fyne.Focusable(h.u.manage.create), inView(h.u.manage.create))
	}
	press(c, fyne.KeyReturn)
	if !strings.Contains(h.u.manage.message.Text, "You have 40 app passwords") || !inView(h.u.manage.message) {
		t.Fatalf("the limit: message %q in view %v", h.u.manage.message.Text, inView(h.u.manage.message))
	}
}

func TestKeys_ManageCreateStaysInViewAfterCreating(t *testing.T) {
	h := upToDate(t)
	for i := 0; i < 20; i++ {
		m := info.Method{ID: fmt.Sprintf("ap%02d", i), Kind: info.KindAppPassword, Label: fmt.Sprintf("Device %d", i), Created: t0, Hash: secret.DummyHash}
		if err := h.dir.AddMethod(wizard.DemoAccount, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	h.u.show() // the page opened again, with its app passwords
	if err := h.u.flow.StepUp(authapp.Code(appSeed, h.now)); err != nil {
		t.Fatal(err)
	}
	c := h.w.Canvas()
	scroll := h.u.manage.box.(*container.Scroll)
	d := fyne.CurrentApp().Driver()
	at := func() float32 { return d.AbsolutePositionForObject(h.u.manage.create).Y }
	c.Focus(h.u.manage.create) // as Tab does: scrolled into view
	before, offset := at(), scroll.Offset.Y
	if offset == 0 {
		t.Fatal("set-up: Create is in view without scrolling")
	}
	for i, name := range []string{"Tablet", "Phone"} {
		press(c, fyne.KeyReturn)
		typeKeys(c, name)
		press(c, fyne.KeyReturn)
		h.u.Wait()
		press(c, fyne.KeyReturn) // Done
		if ms, _ := apppassword.List(h.dir, wizard.DemoAccount); len(ms) != 21+i {
			t.Fatalf("%s: %d app passwords", name, len(ms))
		}
		if at() != before || scroll.Offset.Y <= offset {
			t.Fatalf("after creating %s Create moved from %v to %v on screen (offset %v, was %v)", name, before, at(), scroll.Offset.Y, offset)
		}
		offset = scroll.Offset.Y
	}
}

// keyButtonOn is the button labelled text on the window or its dialogs,
// as the focus sees it.
func keyButtonOn(t *testing.T, c fyne.Canvas, text string) *keyButton {
	t.Helper()
	for _, o := range objects(c) {
		if b, ok := o.(*keyButton); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func TestKeys_HelpdeskByKeyboard(t *testing.T) {
	h := helpdeskHarness(t)
	h.operatorSignIn()
	h.wantTitle("Helpdesk")
	c := h.w.Canvas()
	if c.Focused() != h.u.helpdesk.search {
		t.Fatal("the search field does not have the keyboard")
	}
	h.search("ali")
	press(c, fyne.KeyTab) // the first match
	press(c, fyne.KeyReturn)
	if h.u.helpdesk.selected != "alice@contoso.example" {
		t.Fatalf("Tab, Enter selected %q", h.u.helpdesk.selected)
	}

	// A pass: Enter on Issue, Enter closes it.
	c.Focus(keyButtonOn(t, c, "Issue Temporary Access Pass"))
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if d := topDialog(h); d == nil {
		t.Fatal("Enter on Issue showed no pass")
	}
	press(c, fyne.KeyReturn)
	if len(c.Overlays().List()) != 0 {
		t.Fatal("Enter did not close the pass")
	}

	// Reset all: Escape keeps everything; Enter needs the whole name.
	c.Focus(keyButtonOn(t, c, "Reset all security info…"))
	press(c, fyne.KeyReturn)
	typeKeys(c, "alice@contoso.example")
	press(c, fyne.KeyEscape)
	if ms, _ := h.dir.Methods("alice@contoso.example"); len(ms) != 2 || len(c.Overlays().List()) != 0 {
		t.Fatalf("Escape: %d methods, %d overlays", len(ms), len(c.Overlays().List()))
	}
	c.Focus(keyButtonOn(t, c, "Reset all security info…"))
	press(c, fyne.KeyReturn)
	typeKeys(c, "alice@contoso.exampl")
	press(c, fyne.KeyReturn)
	if ms, _ := h.dir.Methods("alice@contoso.example"); len(ms) != 2 || topDialog(h) == nil {
		t.Fatalf("Enter with a wrong name: %d methods, dialog open %v", len(ms), topDialog(h) != nil)
	}
	typeKeys(c, "e")
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if ms, _ := h.dir.Methods("alice@contoso.example"); len(ms) != 0 || len(c.Overlays().List()) != 0 {
		t.Fatalf("Enter with the name: %d methods, %d overlays", len(ms), len(c.Overlays().List()))
	}
}

func TestKeys_ChooserByKeyboard(t *testing.T) {
	h := newHarness(t, testPolicy, map[info.Kind]wizard.SetupFactory{info.KindAuthenticatorApp: authapp.NewSetup})
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	press(h.w.Canvas(), fyne.KeyReturn) // More information required: Next
	h.wantTitle("Keep your account secure — Authenticator app")
	h.u.host.onChooser()
	h.wantTitle("Choose a different method")
	c := h.w.Canvas()
	first, ok := c.Focused().(*keyButton)
	if !ok || !strings.HasPrefix(first.Text, "Authenticator app") {
		t.Fatalf("the chooser's keyboard is on %T, not its first method", c.Focused())
	}
	press(c, fyne.KeyReturn)
	h.u.Wait()
	h.wantTitle("Keep your account secure — Authenticator app")
}

// Create opens its dialog with the key, before the account's room is read
// off the UI thread: letters typed at once go into the name field, not to
// the Create button behind (where they were lost).
func TestKeys_CreateDialogTakesLettersAtOnce(t *testing.T) {
	h := upToDate(t)
	if err := h.u.flow.StepUp(authapp.Code(appSeed, h.now)); err != nil {
		t.Fatal(err)
	}
	var held []func()
	spawn := h.u.run.spawn
	h.u.run.spawn = func(f func()) { held = append(held, f) } // the read takes its time
	c := h.w.Canvas()
	c.Focus(h.u.manage.create)
	press(c, fyne.KeyReturn)
	for _, r := range "Tablet" {
		c.Focused().TypedRune(r)
	}
	h.u.run.spawn = spawn
	for _, f := range held {
		f()
	}
	typed := ""
	if e, ok := c.Focused().(*keyEntry); ok {
		typed = e.Text
	}
	if typed != "Tablet" || len(held) == 0 {
		t.Fatalf("the name field holds %q (focused: %T); background work held: %d", typed, c.Focused(), len(held))
	}
}

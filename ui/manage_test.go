package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// upToDate signs in an account that has everything the policy asks for,
// and opens Security info.
func upToDate(t *testing.T) *harness {
	h := newHarness(t, testPolicy, nil)
	if err := h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel 9", Created: t0,
		LastStep: 0}, appSeed); err != nil {
		t.Fatal(err)
	}
	if err := h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: t0}, nil); err != nil {
		t.Fatal(err)
	}
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("You're all set")
	tapLink(t, h.w.Canvas(), "Manage your security info")
	h.wantTitle("Security info")
	return h
}

// appSeed is the authenticator key of the up-to-date account.
var appSeed = []byte("12345678901234567890")

// confirmWithCode answers "Confirm it's you" with code.
func confirmWithCode(t *testing.T, h *harness, code string) {
	t.Helper()
	for _, o := range objects(h.w.Canvas()) {
		if e, ok := asEntry(o); ok && e.PlaceHolder == "6-digit code" {
			test.Type(e, code)
			test.Tap(buttons(h.w.Canvas(), "Next")[0])
			h.u.Wait()
			return
		}
	}
	t.Fatal("no code asked for")
}

func TestManage_APasswordAloneCantCreateAnAppPassword(t *testing.T) {
	h := upToDate(t)
	test.Tap(h.u.manage.create)
	confirmWithCode(t, h, "000000")
	// The error is said in the dialog, which stays open for the next code
	// (#16 item 11), not on the page behind it.
	d := h.u.dialogs[h.w.Canvas().Overlays().Top()]
	if d == nil || d.message == nil || !strings.Contains(d.message.Text, "That code isn't right") || !d.message.Visible() || h.u.manage.message.Text != "" {
		t.Fatalf("a wrong code: dialog %v, page message %q", d, h.u.manage.message.Text)
	}
	if h.u.flow.Verified() {
		t.Fatal("a wrong code counted as a second factor")
	}
}

func TestManage_ListsMethodsAndCreatesAnAppPassword(t *testing.T) {
	h := upToDate(t)
	test.AssertRendersToMarkup(t, "manage.xml", h.w.Canvas())
	test.Tap(h.u.manage.create)
	test.Type(objectsEntry(h, "6-digit code"), authapp.Code(appSeed, h.now))
	test.Tap(buttons(h.w.Canvas(), "Next")[0])
	h.u.Wait()
	var name *widget.Entry
	for _, o := range objects(h.w.Canvas()) {
		if e, ok := asEntry(o); ok && e.PlaceHolder == apppassword.NameExample {
			name = e
		}
	}
	test.Type(name, "Tablet")
	test.Tap(buttons(h.w.Canvas(), "Next")[0])
	h.u.Wait()
	ms, _ := apppassword.List(h.dir, wizard.DemoAccount)
	if len(ms) != 1 || ms[0].Label != "Tablet" {
		t.Fatalf("stored %v; message %q", ms, h.u.manage.message.Text)
	}
	// The password is shown once, in the dialog, and it works.
	var shown string
	for _, o := range objects(h.w.Canvas()) {
		if r, ok := o.(*widget.RichText); ok && len(strings.ReplaceAll(r.String(), " ", "")) == 16 && strings.Count(r.String(), " ") == 3 {
			shown = strings.ReplaceAll(r.String(), " ", "")
		}
	}
	if err := apppassword.Verify(h.dir, wizard.DemoAccount, shown, h.now); err != nil {
		t.Fatalf("shown password %q: %v", shown, err)
	}
}

func TestManage_The41stIsRefusedUntilOneIsDeleted(t *testing.T) {
	h := upToDate(t)
	// Forty records (with a hash nothing matches): the limit counts them,
	// whatever their hashes.
	for i := 0; i < apppassword.MaxPasswords; i++ {
		m := info.Method{ID: fmt.Sprintf("ap%02d", i), Kind: info.KindAppPassword, Label: fmt.Sprintf("Device %d", i), Created: t0, Hash: secret.DummyHash}
		if err := h.dir.AddMethod(wizard.DemoAccount, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	h.u.manage.refresh()
	if err := h.u.flow.StepUp(authapp.Code(appSeed, h.now)); err != nil { // as a right authenticator code does
		t.Fatal(err)
	}
	test.Tap(h.u.manage.create)
	if !strings.Contains(h.u.manage.message.Text, "You have 40 app passwords") || len(h.w.Canvas().Overlays().List()) != 0 {
		t.Fatalf("41st: message %q, dialogs %d", h.u.manage.message.Text, len(h.w.Canvas().Overlays().List()))
	}
	deletes := buttons(h.w.Canvas(), "Delete")
	if len(deletes) != apppassword.MaxPasswords+2 {
		t.Fatalf("%d Delete buttons, want one per method and app password", len(deletes))
	}
	test.Tap(deletes[2]) // the first app password's, after the two methods'

	test.Tap(buttons(h.w.Canvas(), "Yes")[0])
	if ms, _ := apppassword.List(h.dir, wizard.DemoAccount); len(ms) != apppassword.MaxPasswords-1 {
		t.Fatalf("after Delete: %d", len(ms))
	}
	test.Tap(h.u.manage.create)
	if len(h.w.Canvas().Overlays().List()) != 1 {
		t.Error("Create is still refused after a delete")
	}
}

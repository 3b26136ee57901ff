package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// review6bRegionList presses Down on the region picker, as a keyboard
// user does, and returns the texts of the list that opens (nil: none
// opened), closing it again.
func review6bRegionList(h *harness, v *phoneView) []string {
	c := h.w.Canvas()
	c.Focus(v.region)
	press(c, fyne.KeyDown)
	m, ok := c.Focused().(*widget.PopUpMenu)
	if !ok {
		return nil
	}
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text != "" {
				out = append(out, x.Text)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	for _, it := range m.Menu.Items {
		walk(it)
	}
	m.Hide()
	return out
}

// TestReview6b_RegionListOpensBeforeAnythingIsTyped: the phone page's
// "Country or region" picker has no options until something is typed in
// it (they are only set by the search), so Down, Alt+Down or its arrow
// on a fresh page open no list: a person who doesn't know to type
// can't browse for their country, with the keyboard or the pointer.
func TestReview6b_RegionListOpensBeforeAnythingIsTyped(t *testing.T) {
	h, _, v, _ := toPhone(t)
	if got := review6bRegionList(h, v); len(got) < 2 {
		t.Errorf("Down on a fresh region picker (%q) opened %q, not a list of countries and regions", v.region.Text, got)
	}
}

// TestReview6b_KioskWipeForgetsTheRegionSearch: the last person's search
// in the region picker (what they typed: "ukr") stays as the picker's
// list after a kiosk wipe; the next person who opens it sees the
// countries the last one looked for.
func TestReview6b_KioskWipeForgetsTheRegionSearch(t *testing.T) {
	phone.SharedLimiter = phone.NewLimiter(phone.MaxSendsPerHour, phone.SendWindow)
	h := newHarnessProving(t, kioskPolicy, map[info.Kind]wizard.SetupFactory{info.KindPhone: phone.NewSetup}, &testkit.Phone{},
		map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver})
	h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0, HasSecret: true}, append([]byte(nil), appSeed...))
	toPhonePage := func() *phoneView {
		t.Helper()
		h.signIn(wizard.DemoAccount, wizard.DemoPassword)
		h.wantTitle("Verify your identity")
		test.Type(h.u.verify.panel.entries[0], authapp.Code(appSeed, h.now))
		h.u.Wait()
		h.wantTitle("More information required")
		test.Tap(h.u.moreInfo.next)
		h.wantTitle("Keep your account secure — Phone")
		return h.u.host.views[info.KindPhone].(*phoneView)
	}
	v := toPhonePage()
	v.region.SetText("ukr") // the first person looks for Ukraine
	if got := review6bRegionList(h, v); strings.Join(got, "|") != "Ukraine (+380)" {
		t.Fatalf("the first person's search lists %q", got)
	}
	h.idleOut()
	v = toPhonePage()
	if got := review6bRegionList(h, v); strings.Join(got, "|") == "Ukraine (+380)" {
		t.Errorf("the next person's region picker lists what the last one searched for: %q", got)
	}
}

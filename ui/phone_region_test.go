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

// regionListOnDown presses Down on the region picker, as a keyboard user
// does, and returns the texts of the list that opens (nil: none opened),
// closing it again.
func regionListOnDown(h *harness, v *phoneView) []string {
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

// TestRegionListOpensBeforeAnythingIsTyped: on a fresh phone page, Down
// on "Country or region" opens the list of every country and region, so
// that a person who doesn't know to type can browse for theirs; so does
// it again once a search is cleared.
func TestRegionListOpensBeforeAnythingIsTyped(t *testing.T) {
	h, _, v, _ := toPhone(t)
	all := len(phone.Regions())
	if got := regionListOnDown(h, v); len(got) != all {
		t.Errorf("Down on a fresh region picker (%q) opened %d entries %q, not the %d countries and regions", v.region.Text, len(got), got, all)
	}
	v.region.SetText("ukr")
	if got := regionListOnDown(h, v); strings.Join(got, "|") != "Ukraine (+380)" {
		t.Fatalf("the search lists %q", got)
	}
	v.region.SetText("")
	if got := regionListOnDown(h, v); len(got) != all {
		t.Errorf("Down on a cleared region picker opened %d entries, not the %d countries and regions", len(got), all)
	}
}

// TestKioskWipeForgetsTheRegionSearch: the last person's search in the
// region picker (what they typed: "ukr") must not stay as the picker's
// list after a kiosk wipe, for the next person to see the countries the
// last one looked for.
func TestKioskWipeForgetsTheRegionSearch(t *testing.T) {
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
	if got := regionListOnDown(h, v); strings.Join(got, "|") != "Ukraine (+380)" {
		t.Fatalf("the first person's search lists %q", got)
	}
	h.idleOut()
	// Nothing of the search stays in the picker until it is drawn again.
	if all := phone.Regions(); v.listed != &all[0] {
		t.Error("after the wipe the region picker still holds the last person's search as its list")
	}
	v = toPhonePage()
	if got := regionListOnDown(h, v); strings.Join(got, "|") == "Ukraine (+380)" {
		t.Errorf("the next person's region picker lists what the last one searched for: %q", got)
	}
}

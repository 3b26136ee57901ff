package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// The name offered for a new authenticator app is in the page's language
// ("Authenticator-App" in the field labelled "Diese App benennen"), as the
// same stored default is shown everywhere else (methodLabel) and as a
// security key's offered name is (keyName). Saved unchanged, it is stored
// as the wizard's English default, so that it shows in every page's
// language, the done page's German too.
func TestAuthApp_NameOfferedInGerman(t *testing.T) {
	useLanguageForTest(t, "de")
	h := newHarness(t, testPolicy, withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	a, ok := h.u.flow.Setup().(*authapp.Setup)
	if !ok {
		t.Fatalf("not on the authenticator app: %q", h.w.Title())
	}
	for range 3 { // get the app, scan, try
		test.Tap(h.u.host.next)
	}
	if a.Screen() != authapp.ScreenTry {
		t.Fatalf("screen %s", a.Screen())
	}
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	if v.device.Text != "Authenticator-App" {
		t.Errorf("the name offered on the German page is %q, not Authenticator-App", v.device.Text)
	}
	test.Type(v.code, codeFor(t, a, h.now)) // submits on the sixth digit
	h.u.Wait()
	if !a.Done() {
		t.Fatalf("not registered; message %q", h.u.host.message.Text)
	}
	ms, err := h.dir.Methods(wizard.DemoAccount)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Label != authapp.DefaultDeviceName {
		var labels []string
		for _, m := range ms {
			labels = append(labels, m.Label)
		}
		t.Errorf("the name offered, saved unchanged, stored as %q, want %q", labels, authapp.DefaultDeviceName)
	}
	if !slices.ContainsFunc(objects(h.w.Canvas()), func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.HasPrefix(l.Text, "„Authenticator-App“")
	}) {
		t.Error("the done page doesn't name the app Authenticator-App")
	}
}

package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// review6a: the name offered for a new authenticator app is the wizard's
// English default on a German page ("Authenticator app" in the field
// labelled "Diese App benennen"), though the same stored default is shown
// as "Authenticator-App" everywhere else (methodLabel) and the security
// key's offered name is now worded in the page's language (SuggestName).
func TestReview6a_AppNameOfferedInGerman(t *testing.T) {
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
}

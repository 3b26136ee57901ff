package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// "Change the name" is filled with the label as shown (methodLabel), not
// as stored: on a German page an app named by default ("Authenticator
// app") opens the dialog with "Authenticator-App". Saved without a change,
// the name stays as stored and nothing is written or audited: were the
// German literal stored, it would be no default name any more, shown
// untranslated on every other language's page and out of the numbering
// of the defaults. (Saved after the page turned English, too: the name
// offered is what counts.)
func TestManage_RenameUnchangedKeepsTheStoredName(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	app := info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: authapp.DefaultDeviceName, Created: t0}
	if err := h.dir.AddMethod(wizard.DemoAccount, app, appSeed); err != nil {
		t.Fatal(err)
	}
	phone := info.Method{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: t0}
	if err := h.dir.AddMethod(wizard.DemoAccount, phone, appSeed); err != nil {
		t.Fatal(err)
	}
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("You're all set")
	tapLink(t, h.w.Canvas(), "Manage your security info")
	h.wantTitle("Security info")
	c := h.w.Canvas()
	useLanguageForTest(t, "de")
	h.u.manage.onRename(app)
	d := topDialog(h)
	if d == nil {
		t.Fatal("no rename dialog")
	}
	shown := d.first.(*keyEntry).Text
	UseLanguage("en")        // the words of "Confirm it's you" the helpers look for
	press(c, fyne.KeyReturn) // Save, the name as it was offered
	h.u.Wait()
	confirmWithCode(t, h, authapp.Code(appSeed, h.now))
	ms, err := h.dir.Methods(wizard.DemoAccount)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.ID == app.ID && m.Label != authapp.DefaultDeviceName {
			t.Errorf("saving the name offered (%q) without a change stored %q in place of %q", shown, m.Label, authapp.DefaultDeviceName)
		}
	}
	if a := strings.Join(h.audit, "|"); strings.Contains(a, info.ActionMethodChanged) {
		t.Errorf("an unchanged name was audited as a change: %s", a)
	}
}

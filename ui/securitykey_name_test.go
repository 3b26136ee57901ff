//go:build cgo && !nofido2 && fido2soft

package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/softkey"
)

// The name offered for a new security key is in the language of the page
// around it: on a German page "Sicherheitsschlüssel", not the wizard's
// English "Security key" (stored so unless the person retypes it).
func TestSecurityKey_SuggestedNameInGerman(t *testing.T) {
	key := softkey.New([16]byte{1, 2, 3})
	h, v := toSecurityKey(t, key)
	useLanguageForTest(t, "de")
	test.Tap(h.u.host.next) // found
	h.u.Wait()
	test.Tap(h.u.host.next) // touched
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenName {
		t.Fatalf("screen %s, message %q", h.keyScreen(), h.u.host.message.Text)
	}
	if v.name.Text != "Sicherheitsschlüssel" {
		t.Errorf("the name offered on the German page is %q, not Sicherheitsschlüssel", v.name.Text)
	}
}

// On a German page the default name, as offered, is saved as the English
// default: shown in every page's language (the done page's German too),
// and compared with the defaults other keys have as the wizard stores
// them.
func TestSecurityKey_GermanDefaultNameStoredInEnglish(t *testing.T) {
	key := softkey.New([16]byte{1, 2, 3})
	h, v := toSecurityKey(t, key)
	useLanguageForTest(t, "de")
	test.Tap(h.u.host.next) // found
	h.u.Wait()
	test.Tap(h.u.host.next) // touched
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenName || v.name.Text != "Sicherheitsschlüssel" {
		t.Fatalf("screen %s, name %q, message %q", h.keyScreen(), v.name.Text, h.u.host.message.Text)
	}
	test.Tap(h.u.host.next)
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenDone {
		t.Fatalf("screen %s, message %q", h.keyScreen(), h.u.host.message.Text)
	}
	ms, err := h.dir.Methods(wizard.DemoAccount)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Label != "Security key" {
		var labels []string
		for _, m := range ms {
			labels = append(labels, m.Label)
		}
		t.Errorf("stored labels %q, want one key labelled Security key", labels)
	}
	if !slices.ContainsFunc(objects(h.w.Canvas()), func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, "„Sicherheitsschlüssel“")
	}) {
		t.Error("the done page doesn't name the key Sicherheitsschlüssel")
	}
}

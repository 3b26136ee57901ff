//go:build cgo && !nofido2 && fido2soft

package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

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

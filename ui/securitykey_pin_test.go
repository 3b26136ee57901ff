//go:build cgo && !nofido2 && fido2soft

package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/softkey"
)

// toKeyPIN opens the security key method with a key that has a PIN and
// types the PIN on its screen, without sending it.
func toKeyPIN(t *testing.T) (*harness, *securityKeyView) {
	t.Helper()
	key := softkey.New([16]byte{1, 2, 3})
	key.SetPIN("482916")
	h, v := toSecurityKey(t, key)
	test.Tap(h.u.host.next)
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenPIN {
		t.Fatalf("screen %s", h.keyScreen())
	}
	test.Type(v.pin, "482916")
	return h, v
}

// A PIN typed and then left with Back (to the Insert screen) must not
// stay in the hidden PIN field, where the next showing of the PIN screen
// (this person after re-inserting the key, or anyone using the window
// meanwhile) would find it and Next would send it.
func TestSecurityKey_PINForgottenOnBack(t *testing.T) {
	h, v := toKeyPIN(t)
	test.Tap(h.u.host.back)
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenInsert {
		t.Fatalf("Back went to %s", h.keyScreen())
	}
	if v.pin.Text != "" {
		t.Errorf("after Back the PIN field still holds the %d-digit PIN typed", len(v.pin.Text))
	}
}

// Leaving the method from its PIN screen (for another method) takes the
// PIN with it, though the security key's page is no longer drawn.
func TestSecurityKey_PINForgottenOnLeavingMethod(t *testing.T) {
	h, v := toKeyPIN(t)
	h.u.host.onChooser()
	h.u.Wait()
	if h.u.flow.Page() == wizard.PageMethod {
		if _, still := h.u.flow.Setup().(*securitykey.Setup); still {
			t.Fatalf("still on the security key: %q", h.w.Title())
		}
	}
	if v.pin.Text != "" {
		t.Errorf("after leaving the method the PIN field still holds the %d-digit PIN typed", len(v.pin.Text))
	}
}

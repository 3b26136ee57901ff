//go:build cgo && !nofido2 && fido2soft

package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
	"github.com/securityinfo/securityinfo/wizard/securitykey/softkey"
)

// blinkingKey calls during before the key answers a registration: what a
// person sees and can do while the key blinks.
type blinkingKey struct {
	securitykey.Authenticator
	during func()
}

func (k blinkingKey) MakeCredential(req fido2.CredentialRequest) (*fido2.Credential, error) {
	k.during()
	return k.Authenticator.MakeCredential(req)
}

// While the key blinks the page shows only "Touch your security key now"
// and "Stop waiting". A keyboard user pressed Enter in the PIN field to
// get there; the keyboard must now be on "Stop waiting", the one thing
// to do, not in the PIN field, which is no longer on the page.
func TestSecurityKey_WaitingFocusesStopWaiting(t *testing.T) {
	key := softkey.New([16]byte{1, 2, 3})
	key.SetPIN("482916")
	var h *harness
	var focused, focusAsked fyne.Focusable
	var checked bool
	open := func() (securitykey.Authenticator, error) {
		d, err := fido2.OpenTransport(key.HID())
		if err != nil {
			return nil, err
		}
		return blinkingKey{d, func() {
			checked = true
			focused = h.w.Canvas().Focused()
			focusAsked = h.u.host.focus()
		}}, nil
	}
	cfg := securitykey.Config{Policy: securitykey.Policy{RPID: "contoso.example", RPName: "Contoso"}, Open: open, Station: "test"}
	h = newHarness(t, keyPolicy, map[info.Kind]wizard.SetupFactory{info.KindSecurityKey: securitykey.Factory(cfg)})
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	v := h.u.host.views[info.KindSecurityKey].(*securityKeyView)
	test.Tap(h.u.host.next)
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenPIN {
		t.Fatalf("screen %s", h.keyScreen())
	}
	c := h.w.Canvas()
	c.Focus(v.pin)
	typeKeys(c, "482916")
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if !checked {
		t.Fatalf("the key was never asked (screen %s, message %q)", h.keyScreen(), h.u.host.message.Text)
	}
	if focused != v.cancel {
		t.Errorf("while the key blinks the keyboard is on %T (the PIN field: %v), not on Stop waiting", focused, focused == v.pin)
	}
	if focusAsked != v.cancel {
		t.Errorf("while the key blinks the page's focus() names %T, not Stop waiting", focusAsked)
	}
}

//go:build cgo && !nofido2 && fido2soft

package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
	"github.com/securityinfo/securityinfo/wizard/securitykey/softkey"
)

const keyPolicy = `organisation = "Contoso"
demo = true
rp_id = "contoso.example"
required = ["security-key"]
`

// toSecurityKey signs in and opens the security key method, with key
// plugged in (or none).
func toSecurityKey(t *testing.T, key *softkey.Key) (*harness, *securityKeyView) {
	t.Helper()
	open := func() (securitykey.Authenticator, error) {
		if key == nil {
			return nil, fido2.ErrNoDevice
		}
		d, err := fido2.OpenTransport(key.HID())
		if err != nil {
			return nil, err
		}
		return d, nil
	}
	cfg := securitykey.Config{Policy: securitykey.Policy{RPID: "contoso.example", RPName: "Contoso"}, Open: open, Station: "test"}
	h := newHarness(t, keyPolicy, map[info.Kind]wizard.SetupFactory{info.KindSecurityKey: securitykey.Factory(cfg)})
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Security key")
	return h, h.u.host.views[info.KindSecurityKey].(*securityKeyView)
}

func (h *harness) keyScreen() string { return h.u.flow.Setup().(*securitykey.Setup).Screen() }

func TestSecurityKey_RegisterWithPIN(t *testing.T) {
	key := softkey.New([16]byte{1, 2, 3})
	key.SetPIN("482916")
	h, v := toSecurityKey(t, key)
	if h.u.host.card.Subtitle != "Insert your security key" {
		t.Fatalf("first screen %q", h.u.host.card.Subtitle)
	}
	test.Tap(h.u.host.next)
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenPIN || h.w.Canvas().Focused() != v.pin {
		t.Fatalf("screen %s; the PIN field should have the keyboard", h.keyScreen())
	}
	test.Type(v.pin, "000000")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if msg := h.u.host.message.Text; msg != "That PIN isn't right. 7 tries left before the key's PIN is blocked." {
		t.Errorf("wrong PIN says %q", msg)
	}
	if v.pin.Text != "" {
		t.Error("the PIN stays in its field after a try")
	}
	test.Type(v.pin, "482916")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenName || v.name.Text != "Security key" {
		t.Fatalf("screen %s, name %q, message %q", h.keyScreen(), v.name.Text, h.u.host.message.Text)
	}
	v.name.SetText("Blue key")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if h.u.host.card.Subtitle != "Security key registered" || h.u.host.next.Text != "Done" {
		t.Fatalf("after naming: %q, next %q, message %q", h.u.host.card.Subtitle, h.u.host.next.Text, h.u.host.message.Text)
	}
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	if len(ms) != 1 || ms[0].Kind != info.KindSecurityKey || ms[0].Label != "Blue key" || len(ms[0].CredentialID) == 0 {
		t.Fatalf("stored %+v", ms)
	}
	if !strings.Contains(strings.Join(h.audit, "\n"), "method-added "+wizard.DemoAccount) {
		t.Errorf("audit %v", h.audit)
	}
	test.Tap(h.u.host.next)
	h.wantTitle("Success")
}

func TestSecurityKey_ProblemPages(t *testing.T) {
	h, _ := toSecurityKey(t, nil)
	test.Tap(h.u.host.next)
	h.u.Wait()
	if h.u.host.card.Subtitle != "No security key found" || h.u.host.message.Text != "" {
		t.Fatalf("no key: %q, message %q", h.u.host.card.Subtitle, h.u.host.message.Text)
	}
	test.AssertObjectRendersToMarkup(t, "securitykey_nokey.xml", h.u.host.card)

	key := softkey.New([16]byte{1, 2, 3})
	key.SetTouch(softkey.TouchNever, 100*time.Millisecond)
	h2, _ := toSecurityKey(t, key)
	test.Tap(h2.u.host.next) // found
	h2.u.Wait()
	test.Tap(h2.u.host.next) // touch… never
	h2.u.Wait()
	if h2.u.host.card.Subtitle != "Your security key wasn't touched in time" {
		t.Fatalf("timeout page: %q", h2.u.host.card.Subtitle)
	}
	test.Tap(h2.u.host.next) // try again
	if h2.keyScreen() != securitykey.ScreenTouch {
		t.Errorf("Try again goes to %s", h2.keyScreen())
	}
}

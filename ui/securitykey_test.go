//go:build cgo && !nofido2 && fido2soft

package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
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
	if msg := h.u.host.message.Text; msg != "That PIN isn't right. Check it and try again (7 tries left before the key's PIN is blocked)." {
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

// addKey registers a fake key for the demo account under label.
func (h *harness) addKey(label string) {
	h.t.Helper()
	err := h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "key-" + label, Kind: info.KindSecurityKey, Label: label,
		Created: t0, CredentialID: []byte("credential " + label)}, nil)
	if err != nil {
		h.t.Fatal(err)
	}
}

// A name the key can't have says what to do about it under the name page,
// which stays; so does an eleventh key.
func TestSecurityKey_NameProblemsSayWhatToDo(t *testing.T) {
	key := softkey.New([16]byte{1, 2, 3})
	h, v := toSecurityKey(t, key)
	for i := 1; i < securitykey.MaxKeys-1; i++ {
		h.addKey(fmt.Sprintf("Key %d", i))
	}
	h.addKey("Blue key")
	test.Tap(h.u.host.next) // found
	h.u.Wait()
	test.Tap(h.u.host.next) // touched
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenName {
		t.Fatalf("screen %s, message %q", h.keyScreen(), h.u.host.message.Text)
	}
	for _, tc := range []struct{ name, want string }{
		{"  ", "Type a name for your security key, for example Blue key."},
		{strings.Repeat("k", securitykey.MaxNameLength+1), "Use at most 40 characters for the name of your security key."},
		{"Blue\tkey", "The name can't contain control characters such as tabs. Type it again without them."},
		{"blue KEY", "You already have a security key with this name. Choose another name."},
	} {
		v.name.SetText(tc.name)
		test.Tap(h.u.host.next)
		h.u.Wait()
		if got := h.u.host.message.Text; got != tc.want || h.keyScreen() != securitykey.ScreenName {
			t.Errorf("name %q: screen %s, message %q, want %q", tc.name, h.keyScreen(), got, tc.want)
		}
	}
	h.addKey("Key 10")
	v.name.SetText("Green key")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if got, want := h.u.host.message.Text, "You already have 10 security keys, the most allowed. Ask your helpdesk to remove one you no longer use."; got != want {
		t.Errorf("an eleventh key: message %q, want %q", got, want)
	}
}

// A PIN too short to be one, and a key that turns out to have a PIN, say
// what to do under the PIN page.
func TestSecurityKey_PINProblemsSayWhatToDo(t *testing.T) {
	key := softkey.New([16]byte{1, 2, 3})
	key.SetPIN("482916")
	h, v := toSecurityKey(t, key)
	test.Tap(h.u.host.next)
	h.u.Wait()
	test.Type(v.pin, "12")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if got, want := h.u.host.message.Text, "A security key's PIN has at least 4 characters. Check the PIN you entered and try again."; got != want || h.keyScreen() != securitykey.ScreenPIN {
		t.Errorf("a short PIN: screen %s, message %q, want %q", h.keyScreen(), got, want)
	}

	key2 := softkey.New([16]byte{4, 5, 6})
	h2, _ := toSecurityKey(t, key2)
	test.Tap(h2.u.host.next) // found, without a PIN
	h2.u.Wait()
	if h2.keyScreen() != securitykey.ScreenTouch {
		t.Fatalf("a key without a PIN goes to %s", h2.keyScreen())
	}
	key2.SetPIN("482916") // set meanwhile, with the key's manager app
	test.Tap(h2.u.host.next)
	h2.u.Wait()
	if got, want := h2.u.host.message.Text, "Your security key has a PIN. Enter it, then try again."; got != want || h2.keyScreen() != securitykey.ScreenPIN {
		t.Errorf("a PIN after all: screen %s, message %q, want %q", h2.keyScreen(), got, want)
	}
}

// In German a wrong PIN says so, with the tries left in the right plural,
// and a problem page reads German too.
func TestSecurityKey_WordsInGerman(t *testing.T) {
	key := softkey.New([16]byte{1, 2, 3})
	key.SetPIN("482916")
	h, v := toSecurityKey(t, key)
	last := softkey.New([16]byte{4, 5, 6})
	last.SetPIN("482916")
	last.SetPINRetries(2)
	h1, v1 := toSecurityKey(t, last)
	h0, _ := toSecurityKey(t, nil)
	useLanguageForTest(t, "de")
	for _, tc := range []struct {
		h    *harness
		v    *securityKeyView
		want string
	}{
		{h, v, "Diese PIN ist falsch. Prüfen Sie sie und versuchen Sie es erneut (noch 7 Versuche, bevor die PIN des Schlüssels gesperrt wird)."},
		{h1, v1, "Diese PIN ist falsch. Prüfen Sie sie und versuchen Sie es erneut (noch 1 Versuch, bevor die PIN des Schlüssels gesperrt wird)."},
	} {
		test.Tap(tc.h.u.host.next)
		tc.h.u.Wait()
		test.Type(tc.v.pin, "000000")
		test.Tap(tc.h.u.host.next)
		tc.h.u.Wait()
		if got := tc.h.u.host.message.Text; got != tc.want {
			t.Errorf("wrong PIN in German: %q, want %q", got, tc.want)
		}
	}

	test.Tap(h0.u.host.next)
	h0.u.Wait()
	var page []string
	for _, o := range objects(h0.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok {
			page = append(page, l.Text)
		}
	}
	if want := "Kein Sicherheitsschlüssel gefunden. Stecken Sie Ihren Sicherheitsschlüssel in einen USB-Anschluss dieses Computers (falls er schon steckt, ziehen Sie ihn heraus und stecken Sie ihn erneut ein), und versuchen Sie es dann erneut."; !slices.Contains(page, want) {
		t.Errorf("no key in German: the page reads %q", page)
	}
}

// A key that asks for its PIN every time (alwaysUv), though the policy
// doesn't: the first Verify adds the PIN field, and the PIN signs in.
func TestSecurityKey_SignInAsksForThePINWhenTheKeyWantsIt(t *testing.T) {
	key := softkey.New([16]byte{1, 2, 3})
	key.SetPIN("482916")
	open := func() (securitykey.Authenticator, error) { return fido2.OpenTransport(key.HID()) }
	cfg := securitykey.Config{Policy: securitykey.Policy{RPID: "contoso.example", RPName: "Contoso"}, Open: open, Station: "test"}
	h := newHarnessProving(t, keyPolicy, nil, nil, map[info.Kind]method.ProverFactory{info.KindSecurityKey: securitykey.ProverFactory(cfg)})
	s, err := securitykey.NewSetup(method.Context{Account: wizard.DemoAccount, Organisation: "Contoso", Dir: h.dir,
		Now: func() time.Time { return h.now }, Rand: testkit.Seeded(7)}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Detect(); err != nil {
		t.Fatal(err)
	}
	if err := s.Register("482916"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save("Blue key"); err != nil {
		t.Fatal(err)
	}
	key.SetAlwaysUV(true)

	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("Verify your identity")
	p := h.u.verify.panel
	if len(p.entries) != 0 {
		t.Fatalf("a PIN is asked before the key asked for it: %d fields", len(p.entries))
	}
	test.Tap(p.verify)
	h.u.Wait()
	h.wantTitle("Verify your identity")
	if len(p.entries) != 1 || p.entries[0].PlaceHolder != "Security key PIN" {
		t.Fatalf("after the key asked for its PIN: %d fields; message %q", len(p.entries), p.message.Text)
	}
	if p.message.Text != "Your security key has a PIN. Enter it, then try again." {
		t.Errorf("message %q", p.message.Text)
	}
	if h.w.Canvas().Focused() != p.entries[0] {
		t.Error("the PIN field should have the keyboard")
	}
	acct, _ := h.dir.Account(wizard.DemoAccount)
	if acct.Failures != 0 {
		t.Errorf("the key asking for its PIN counted as %d failures", acct.Failures)
	}
	test.Type(p.entries[0], "482916")
	p.entries[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.u.Wait()
	if strings.HasPrefix(h.w.Title(), "Security Info — Verify") {
		t.Fatalf("the PIN did not sign in: %q", p.message.Text)
	}
}

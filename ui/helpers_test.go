package ui

import (
	"errors"
	"math/rand"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

const testPolicy = `organisation = "Contoso"
demo = true
required = ["authenticator-app", "phone"]
allowed = ["authenticator-app", "phone", "email"]
app_passwords = true
`

// harness is the app on a headless test window with a real local store
// and an in-memory keyring.
type harness struct {
	t    *testing.T
	u    *UI
	w    fyne.Window
	dir  info.Store
	keys *storage.MemoryKeyring
	now  time.Time
	quit int
	// audit collects "actor action account" for each audited action.
	audit []string
}

func newHarness(t *testing.T, policy string, setups map[info.Kind]wizard.SetupFactory) *harness {
	t.Helper()
	return newHarnessWith(t, policy, setups, nil)
}

// newHarnessWith also gives the flow a sender for codes.
func newHarnessWith(t *testing.T, policy string, setups map[info.Kind]wizard.SetupFactory, send wizard.Sender) *harness {
	t.Helper()
	h := &harness{t: t, now: t0, keys: storage.NewMemoryKeyring()}
	var err error
	h.dir, err = storage.OpenLocal(t.TempDir(), h.keys)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.dir.Close() })
	if _, err := wizard.EnsureDemoAccount(h.dir, t0, rand.New(rand.NewSource(1))); err != nil {
		t.Fatal(err)
	}
	pol, err := wizard.ParsePolicy("test.toml", []byte(policy))
	if err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	h.w = test.NewTempWindow(t, nil)
	h.w.Resize(fyne.NewSize(760, 720))
	flow := wizard.New(wizard.Config{Policy: pol, Dir: h.dir, Now: func() time.Time { return h.now }, Rand: rand.New(rand.NewSource(2)), Setups: setups, Send: send,
		Audit: func(actor, action, account, _ string) { h.audit = append(h.audit, actor+" "+action+" "+account) }})
	h.u = New(a, h.w, flow, Options{DemoAccount: wizard.DemoAccount, DemoPassword: wizard.DemoPassword,
		Quit: func() { h.quit++ }, Now: func() time.Time { return h.now },
		CheckStationPassphrase: func(p string) error {
			if p != "open sesame" {
				return errors.New("that passphrase isn't right")
			}
			return nil
		}})
	return h
}

// signIn types the demo credentials and presses Enter, as a person would.
func (h *harness) signIn(account, password string) {
	h.t.Helper()
	p := h.u.signIn
	test.Type(p.account, account)
	h.w.Canvas().Focus(p.password)
	test.Type(p.password, password)
	p.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.u.Wait()
}

func (h *harness) wantTitle(want string) {
	h.t.Helper()
	if got := h.w.Title(); got != "Security Info — "+want {
		h.t.Fatalf("window title = %q, want %q", got, "Security Info — "+want)
	}
}

var fyneKeySpace = fyne.KeyEvent{Name: fyne.KeySpace}

func mustHash(t *testing.T, pw string) string {
	t.Helper()
	h, err := wizard.HashSecret(pw, rand.New(rand.NewSource(3)))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

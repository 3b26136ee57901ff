package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

const recoveryPolicy = `
organisation = "Contoso"
required = ["authenticator-app", "recovery-codes"]
allowed = ["authenticator-app", "recovery-codes"]
`

// toRecovery signs in with the app's code and reaches the recovery codes.
func toRecovery(t *testing.T) *harness {
	h := newHarnessProving(t, recoveryPolicy, map[info.Kind]wizard.SetupFactory{info.KindRecoveryCodes: recovery.NewSetup}, nil,
		map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver, info.KindRecoveryCodes: recovery.NewProver})
	h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0, HasSecret: true}, append([]byte(nil), appSeed...))
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("Verify your identity")
	test.Type(h.u.verify.panel.entries[0], authapp.Code(appSeed, h.now))
	h.u.Wait()
	test.Tap(h.u.moreInfo.next)
	h.u.Wait()
	h.wantTitle("Keep your account secure — Recovery codes")
	return h
}

func TestRecovery_ShownOnceAndSavedToAFileOnlyThePersonReads(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	h := toRecovery(t)
	test.Tap(h.u.host.next) // make them
	h.u.Wait()
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	if recovery.Left(ms) != recovery.Count {
		t.Fatalf("%d codes stored; message %q", recovery.Left(ms), h.u.host.message.Text)
	}
	shown := h.u.flow.Setup().(*recovery.Setup).Codes()
	h.w.Canvas().(fyne.Canvas).(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault})
	h.u.Wait()
	path := filepath.Join(home, "Contoso recovery codes.txt")
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("saved file: %v", err)
	}
	b, _ := os.ReadFile(path)
	for _, c := range shown {
		if !strings.Contains(string(b), c) {
			t.Fatalf("the file lacks %s", c)
		}
	}
	// Used once in place of the app's code.
	if err := recovery.Use(h.dir, wizard.DemoAccount, shown[0]); err != nil {
		t.Fatal(err)
	}
	if err := recovery.Use(h.dir, wizard.DemoAccount, shown[0]); err == nil {
		t.Fatal("a code worked twice")
	}
}

func TestVerify_WrongCodeSaysSoThenARecoveryCodeSignsIn(t *testing.T) {
	h := newHarnessProving(t, recoveryPolicy, nil, nil,
		map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver, info.KindRecoveryCodes: recovery.NewProver})
	h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0, HasSecret: true}, append([]byte(nil), appSeed...))
	codes, err := recovery.Regenerate(h.dir, wizard.DemoAccount, t0, testkit.Seeded(5))
	if err != nil {
		t.Fatal(err)
	}
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("Verify your identity")
	test.Type(h.u.verify.panel.entries[0], "000000")
	h.u.Wait()
	h.wantTitle("Verify your identity")
	if !strings.Contains(h.u.verify.panel.message.Text, "That code isn't right") {
		t.Fatalf("message %q", h.u.verify.panel.message.Text)
	}
	other := buttons(h.w.Canvas(), "Use a recovery code (10 left)")
	if len(other) != 1 {
		t.Fatal("no recovery code among the other ways")
	}
	test.Tap(other[0])
	h.u.Wait()
	e := h.u.verify.panel.entries[0]
	if e.PlaceHolder != "Recovery code" {
		t.Fatalf("asked for %q", e.PlaceHolder)
	}
	test.Type(e, recovery.Format(codes[0]))
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.u.Wait()
	h.wantTitle("You're all set")
}

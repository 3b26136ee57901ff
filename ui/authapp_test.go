package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
)

var withAuthApp = map[info.Kind]wizard.SetupFactory{info.KindAuthenticatorApp: authapp.NewSetup}

// toScan signs in and walks to the QR code page.
func toScan(t *testing.T, policy string) (*harness, *authapp.Setup) {
	h := newHarness(t, policy, withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Authenticator app")
	a := h.u.flow.Setup().(*authapp.Setup)
	if a.Screen() != authapp.ScreenGetApp {
		t.Fatalf("first screen = %s", a.Screen())
	}
	test.Tap(h.u.host.next)
	test.Tap(h.u.host.next)
	if a.Screen() != authapp.ScreenScan {
		t.Fatalf("after two Nexts: %s", a.Screen())
	}
	return h, a
}

// codeFor computes what the person's phone would show for the QR on screen.
func codeFor(t *testing.T, a *authapp.Setup, at time.Time) string {
	t.Helper()
	_, _, secret, err := authapp.ParseURI(a.URI())
	if err != nil {
		t.Fatal(err)
	}
	return authapp.Code(secret, at)
}

func TestAuthApp_RegisterWithTheCodeFromTheQR(t *testing.T) {
	h, a := toScan(t, testPolicy)
	h.assertCard("authapp_scan.xml")
	code := codeFor(t, a, h.now)
	test.Tap(h.u.host.next)
	if a.Screen() != authapp.ScreenTry || h.w.Canvas().Focused() != h.u.host.views[info.KindAuthenticatorApp].(*authAppView).code {
		t.Fatal("the try screen does not give the code field the keyboard")
	}
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	// Nothing is stored before the test succeeds.
	if ms, _ := h.dir.Methods(wizard.DemoAccount); len(ms) != 0 {
		t.Fatalf("stored before the code: %v", ms)
	}
	test.Type(v.code, code) // submits on the sixth digit
	h.u.Wait()
	if !a.Done() {
		t.Fatalf("not registered; message %q", h.u.host.message.Text)
	}
	h.assertCard("authapp_done.xml")
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	if len(ms) != 1 || ms[0].Kind != info.KindAuthenticatorApp || ms[0].Label != "Authenticator app" {
		t.Fatalf("stored = %+v", ms)
	}
	if h.dir.SecretCount() != 1 {
		t.Errorf("keyring holds %d items, want 1", h.dir.SecretCount())
	}
	test.Tap(h.u.host.next)
	h.wantTitle("Keep your account secure — Phone")
}

func TestAuthApp_WrongCodeSaysSoAndCountsDown(t *testing.T) {
	h, a := toScan(t, testPolicy)
	test.Tap(h.u.host.next)
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	right := codeFor(t, a, h.now)
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	test.Type(v.code, wrong)
	h.u.Wait()
	if !strings.Contains(h.u.host.message.Text, "That code isn't right") || !strings.Contains(h.u.host.message.Text, "4 tries left") {
		t.Errorf("message %q, attempts %q", h.u.host.message.Text, v.attempts.Text)
	}
	if v.code.Text != "" || a.Done() {
		t.Error("a wrong code was kept or accepted")
	}
	// Letters: a clear message, no attempt used.
	v.code.SetText("12a456")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if !strings.Contains(h.u.host.message.Text, "Enter the 6-digit code") || a.AttemptsLeft() != 4 {
		t.Errorf("letters: message %q, attempts left %d", h.u.host.message.Text, a.AttemptsLeft())
	}
}

func TestAuthApp_FiveWrongCodesShowANewQR(t *testing.T) {
	h, a := toScan(t, testPolicy)
	old := a.URI()
	test.Tap(h.u.host.next)
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	right := codeFor(t, a, h.now)
	for i := 0; i < authapp.MaxAttempts; i++ {
		wrong := "00000" + string(rune('0'+i))
		if wrong == right {
			wrong = "99999" + string(rune('0'+i))
		}
		test.Type(v.code, wrong)
		h.u.Wait()
	}
	if a.Screen() != authapp.ScreenScan || a.URI() == old {
		t.Fatalf("after 5 wrong codes: screen %s, new URI %v", a.Screen(), a.URI() != old)
	}
	if !strings.Contains(h.u.host.message.Text, "Too many wrong codes") {
		t.Errorf("message %q", h.u.host.message.Text)
	}
	// The old QR's code no longer works.
	test.Tap(h.u.host.next)
	test.Type(v.code, right)
	h.u.Wait()
	if a.Done() {
		t.Fatal("the discarded key's code registered the app")
	}
}

func TestAuthApp_CantScanShowsKeyAndCopyClearsItself(t *testing.T) {
	h, a := toScan(t, testPolicy)
	var pending []func()
	h.u.run.after = func(d time.Duration, f func()) {
		if d != ClipboardLifetime {
			t.Errorf("clipboard cleared after %v, want %v", d, ClipboardLifetime)
		}
		pending = append(pending, f)
	}
	tapLink(t, h.w.Canvas(), "Can't scan image?")
	h.assertCard("authapp_cantscan.xml")
	copies := buttons(h.w.Canvas(), "Copy")
	if len(copies) != 3 {
		t.Fatalf("%d Copy buttons, want 3", len(copies))
	}
	test.Tap(copies[1])
	cb := h.u.app.Clipboard()
	want := strings.ReplaceAll(a.ManualKey(), " ", "")
	if cb.Content() != want || len(want) != 32 {
		t.Fatalf("clipboard = %q, want the raw key %q", cb.Content(), want)
	}
	pending[0]()
	if cb.Content() != "" {
		t.Error("the key was still on the clipboard after 30 s")
	}
	// Something else copied meanwhile is left alone.
	test.Tap(copies[0])
	cb.SetContent("the person's own text")
	pending[1]()
	if cb.Content() != "the person's own text" {
		t.Error("the clipboard timer wiped what the person copied later")
	}
}

func TestAuthApp_KioskHasNoCopyButtons(t *testing.T) {
	h, _ := toScan(t, strings.Replace(testPolicy, "demo = true", "demo = true\nmode = \"kiosk\"", 1))
	tapLink(t, h.w.Canvas(), "Can't scan image?")
	if n := len(buttons(h.w.Canvas(), "Copy")); n != 0 {
		t.Errorf("%d Copy buttons in kiosk mode", n)
	}
}

func TestAuthApp_KeyringFailureShowsKeyringPageAndStoresNothing(t *testing.T) {
	h, a := toScan(t, testPolicy)
	test.Tap(h.u.host.next)
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	h.dir.FailSecrets(info.ErrKeyringLocked)
	test.Type(v.code, codeFor(t, a, h.now))
	h.u.Wait()
	h.wantTitle("Keyring not available")
	if ms, _ := h.dir.Methods(wizard.DemoAccount); len(ms) != 0 || a.Done() {
		t.Fatalf("stored with a locked keyring: %v", ms)
	}
	h.dir.FailSecrets(nil)
	test.Tap(h.u.keyring.retry)
	h.u.Wait()
	h.wantTitle("Keep your account secure — Authenticator app")
	if a.Screen() != authapp.ScreenTry {
		t.Errorf("back on %s, want the try screen", a.Screen())
	}
}

func TestAuthApp_BackToMoreInfoDiscardsThePendingKey(t *testing.T) {
	h, a := toScan(t, testPolicy)
	test.Tap(h.u.host.back)
	test.Tap(h.u.host.back)
	test.Tap(h.u.host.back)
	h.wantTitle("More information required")
	if a.URI() != "" {
		t.Error("the pending key survived leaving the method")
	}
}

// Cancel after the QR code was shown asks first: signing out would throw
// away the key the person may already have scanned.
func TestAuthApp_CancelAfterTheQRAsksFirst(t *testing.T) {
	h, a := toScan(t, testPolicy)
	tapLink(t, h.w.Canvas(), "Cancel")
	h.wantTitle("Keep your account secure — Authenticator app")
	if a.URI() == "" {
		t.Fatal("Cancel threw the scanned key away without asking")
	}
	stay := buttons(h.w.Canvas(), "Stay")
	if len(stay) != 1 {
		t.Fatal("no confirmation with Stay")
	}
	test.Tap(stay[0])
	h.wantTitle("Keep your account secure — Authenticator app")
	if a.URI() == "" {
		t.Fatal("Stay discarded the key")
	}
	tapLink(t, h.w.Canvas(), "Cancel")
	test.Tap(buttons(h.w.Canvas(), "Sign out")[0])
	h.wantTitle("Sign in")
	if a.URI() != "" {
		t.Error("the key survived signing out")
	}
}

// The manual entry is built once and kept for the next key: a wipe takes
// the last person's key and "Copied" note off it, and the next person's
// key shows in it, and is what Copy copies.
func TestAuthApp_ManualEntryKeptForTheNextKeyHoldsOnlyIt(t *testing.T) {
	h, a := toScan(t, testPolicy)
	h.u.run.after = func(time.Duration, func()) {}
	tapLink(t, h.w.Canvas(), "Can't scan image?")
	test.Tap(buttons(h.w.Canvas(), "Copy")[1])
	v := h.u.host.views[info.KindAuthenticatorApp].(*authAppView)
	first := v.manual
	if first == nil || !first.rows[1].note.Visible() {
		t.Fatal("no manual entry, or no note after Copy")
	}
	oldKey := strings.ReplaceAll(a.ManualKey(), " ", "")

	h.u.wipe()
	for _, r := range first.rows {
		if r.value.label.Text != "" || r.raw != "" || r.note.Visible() {
			t.Errorf("after the wipe a row holds %q (copies %q), note shown %v", r.value.label.Text, r.raw, r.note.Visible())
		}
	}

	first.rows[1].note.Show() // as if shown for a key since
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	b := h.u.flow.Setup().(*authapp.Setup)
	for b.Screen() != authapp.ScreenScan {
		test.Tap(h.u.host.next)
	}
	tapLink(t, h.w.Canvas(), "Can't scan image?")
	if v.manual != first {
		t.Error("the manual entry was built again")
	}
	if first.rows[1].note.Visible() {
		t.Error("a new key shows the last key's Copied note")
	}
	newKey := strings.ReplaceAll(b.ManualKey(), " ", "")
	if newKey == oldKey {
		t.Fatal("the next person got the same key")
	}
	for i, want := range []string{b.AccountLabel(), b.ManualKey(), b.URI()} {
		if got := strings.Join(textRows(first.rows[i].value.label), ""); got != want {
			t.Errorf("row %d shows %q, want %q", i, got, want)
		}
	}
	test.Tap(buttons(h.w.Canvas(), "Copy")[1])
	if got := h.u.app.Clipboard().Content(); got != newKey {
		t.Errorf("Copy copied %q, want the new key %q", got, newKey)
	}
}

package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

func helpdeskHarness(t *testing.T) *harness {
	h := newHarnessProving(t, strings.Replace(testPolicy, "demo = true", "demo = true\nmode = \"helpdesk\"", 1), nil, nil,
		map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver})
	h.dir.CreateAccount(info.Account{Name: "op@contoso.example", PasswordHash: mustHash(t, "operator-pw"), Helpdesk: true})
	// An operator proves a second factor at every sign-in.
	h.dir.AddMethod("op@contoso.example", info.Method{ID: "o1", Kind: info.KindAuthenticatorApp, Label: "Operator's phone", Created: t0, HasSecret: true}, append([]byte(nil), appSeed...))
	h.dir.CreateAccount(info.Account{Name: "alice@contoso.example", PasswordHash: mustHash(t, "alice-pw-1")})
	h.dir.AddMethod("alice@contoso.example", info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0}, []byte("seed"))
	h.dir.AddMethod("alice@contoso.example", info.Method{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: t0, Phone: "+12015550123"}, nil)
	return h
}

// operatorSignIn signs the operator in: password, then their app's code.
func (h *harness) operatorSignIn() {
	h.t.Helper()
	h.signIn("op@contoso.example", "operator-pw")
	h.wantTitle("Verify your identity")
	test.Type(h.u.verify.panel.entries[0], authapp.Code(appSeed, h.now))
	h.u.Wait()
}

func TestHelpdesk_OnlyOperatorsSignIn(t *testing.T) {
	h := helpdeskHarness(t)
	h.signIn("alice@contoso.example", "alice-pw-1")
	h.wantTitle("Sign in")
	if !strings.Contains(h.u.signIn.message.Text, "isn't a helpdesk account") {
		t.Errorf("message = %q", h.u.signIn.message.Text)
	}
}

func TestHelpdesk_FindResetAndIssueAPass(t *testing.T) {
	h := helpdeskHarness(t)
	h.operatorSignIn()
	h.wantTitle("Helpdesk")
	h.search("ali")
	test.Tap(buttons(h.w.Canvas(), "alice@contoso.example")[0])
	test.AssertRendersToMarkup(t, "helpdesk_account.xml", h.w.Canvas())
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && (strings.Contains(l.Text, "2015550123") || strings.Contains(l.Text, "seed")) {
			t.Fatalf("the operator sees %q", l.Text)
		}
	}
	// Remove the phone.
	test.Tap(buttons(h.w.Canvas(), "Remove")[1])
	test.Tap(buttons(h.w.Canvas(), "Yes")[0])
	h.u.Wait()
	ms, _ := h.dir.Methods("alice@contoso.example")
	if len(ms) != 1 || ms[0].Kind != info.KindAuthenticatorApp {
		t.Fatalf("after Remove: %v", ms)
	}
	// Issue a pass: shown once, and it signs her in.
	test.Tap(buttons(h.w.Canvas(), "Issue Temporary Access Pass")[0])
	h.u.Wait()
	var shown string
	for _, o := range objects(h.w.Canvas()) {
		if r, ok := o.(*widget.RichText); ok && strings.Count(r.String(), "-") == 2 && len(r.String()) == 14 {
			shown = r.String()
		}
	}
	if shown == "" {
		t.Fatal("no pass on screen")
	}
	if err := tap.Check(h.dir, "alice@contoso.example", shown, h.now.Add(time.Minute)); err != nil {
		t.Fatalf("the shown pass: %v", err)
	}
	got := strings.Join(h.audit, "|")
	for _, want := range []string{"op@contoso.example method-removed alice@contoso.example", "op@contoso.example tap-issued alice@contoso.example"} {
		if !strings.Contains(got, want) {
			t.Errorf("audit %s lacks %q", got, want)
		}
	}
}

func TestHelpdesk_SlipHasThePassOnlyWhenAsked(t *testing.T) {
	exp := time.Date(2026, 11, 24, 15, 4, 0, 0, time.UTC)
	without := registrationSlip("Contoso", "alice@contoso.example", exp, "")
	with := registrationSlip("Contoso", "alice@contoso.example", exp, "ABCD-EFGH-JKLM")
	if strings.Contains(without, "ABCD") || !strings.Contains(without, "given to you in person") || !strings.Contains(without, "2026-11-24 15:04 UTC") {
		t.Errorf("slip without pass:\n%s", without)
	}
	if !strings.Contains(with, "Pass:     ABCD-EFGH-JKLM") {
		t.Errorf("slip with pass:\n%s", with)
	}
}

func TestHelpdesk_IdleOperatorIsSignedOut(t *testing.T) {
	h := helpdeskHarness(t)
	h.operatorSignIn()
	h.search("ali")
	test.Tap(buttons(h.w.Canvas(), "alice@contoso.example")[0])
	h.tickFor(2 * time.Minute)
	h.wantTitle("Sign in")
	if h.u.helpdesk.selected != "" || h.u.helpdesk.search.Text != "" || len(h.u.helpdesk.detail.Objects) != 0 {
		t.Error("the last operator's search and selection survived")
	}
}

// search types query as an operator would and waits out the search's
// delay: one search runs, for the whole query.
func (h *harness) search(query string) {
	h.t.Helper()
	calls := 0
	test.Type(h.u.helpdesk.search, query)
	for _, tm := range h.timers {
		if tm.at.Sub(h.now) == SearchDelay {
			calls++
		}
	}
	if calls != len(query) {
		h.t.Fatalf("%d searches scheduled for %d keys", calls, len(query))
	}
	if len(h.u.helpdesk.results.Objects) != 0 {
		h.t.Fatal("searched before the delay was over")
	}
	h.elapse(SearchDelay)
}

// The search looks once the operator stops typing, not at every key.
func TestHelpdesk_SearchWaitsForTheLastKey(t *testing.T) {
	h := helpdeskHarness(t)
	h.operatorSignIn()
	test.Type(h.u.helpdesk.search, "al")
	h.elapse(100 * time.Millisecond)
	test.Type(h.u.helpdesk.search, "i")
	h.elapse(SearchDelay - 50*time.Millisecond)
	if n := len(h.u.helpdesk.results.Objects); n != 0 {
		t.Fatalf("%d results while still typing", n)
	}
	h.elapse(50 * time.Millisecond)
	if len(buttons(h.w.Canvas(), "alice@contoso.example")) != 1 {
		t.Fatal("no result once typing stopped")
	}
}

// The operator's list names each method once: its kind, and its label
// only when that says more.
func TestHelpdesk_MethodRowsDontRepeatTheName(t *testing.T) {
	h := helpdeskHarness(t)
	h.dir.AddMethod("alice@contoso.example", info.Method{ID: "a2", Kind: info.KindAuthenticatorApp, Label: "Authenticator app", Created: t0}, []byte("seed2"))
	h.operatorSignIn()
	h.search("ali")
	test.Tap(buttons(h.w.Canvas(), "alice@contoso.example")[0])
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Authenticator app: Authenticator app") {
			t.Errorf("row %q", l.Text)
		}
	}
}

// label finds a label on the canvas whose text contains part.
func labelWith(h *harness, part string) *widget.Label {
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, part) {
			return l
		}
	}
	return nil
}

func openAlice(t *testing.T) *harness {
	h := helpdeskHarness(t)
	h.operatorSignIn()
	h.search("ali")
	test.Tap(buttons(h.w.Canvas(), "alice@contoso.example")[0])
	return h
}

// The operator sees the account's pass (active, until when, one-time) and
// can revoke it, after confirming.
func TestHelpdesk_PassIsShownAndCanBeRevoked(t *testing.T) {
	h := openAlice(t)
	if l := labelWith(h, "No Temporary Access Pass"); l == nil {
		t.Error("no word about the pass when there is none")
	}
	test.Tap(buttons(h.w.Canvas(), "Issue Temporary Access Pass")[0])
	h.u.Wait()
	for _, o := range h.w.Canvas().Overlays().List() {
		h.w.Canvas().Overlays().Remove(o)
	}
	l := labelWith(h, "Temporary Access Pass: active")
	if l == nil || !strings.Contains(l.Text, "until") || !strings.Contains(l.Text, "one-time") {
		t.Fatalf("pass status not shown: %v", l)
	}
	test.Tap(buttons(h.w.Canvas(), "Revoke pass")[0])
	if _, err := h.dir.GetPass("alice@contoso.example"); err != nil {
		t.Fatal("revoked without confirming")
	}
	test.Tap(buttons(h.w.Canvas(), "Revoke")[0])
	h.u.Wait()
	if _, err := h.dir.GetPass("alice@contoso.example"); err == nil {
		t.Fatal("the pass was not revoked")
	}
	if labelWith(h, "No Temporary Access Pass") == nil {
		t.Error("the page still shows a pass")
	}
}

// Reset all stands apart from the pass controls, marked as dangerous, and
// only goes ahead once the operator has typed the account's name.
func TestHelpdesk_ResetAllNeedsTheAccountName(t *testing.T) {
	h := openAlice(t)
	reset := buttons(h.w.Canvas(), "Reset all security info…")
	if len(reset) != 1 || reset[0].Importance != widget.DangerImportance {
		t.Fatalf("reset buttons %v", reset)
	}
	test.Tap(reset[0])
	confirm := buttons(h.w.Canvas(), "Remove all")
	if len(confirm) != 1 || !confirm[0].Disabled() {
		t.Fatal("Remove all is not disabled before the name is typed")
	}
	name := objectsEntry(h, "alice@contoso.example")
	test.Type(name, "alice@contoso.exampl")
	if !confirm[0].Disabled() {
		t.Fatal("Remove all enabled for a wrong name")
	}
	test.Type(name, "e")
	if confirm[0].Disabled() {
		t.Fatal("Remove all still disabled for the right name")
	}
	test.Tap(confirm[0])
	h.u.Wait()
	if ms, _ := h.dir.Methods("alice@contoso.example"); len(ms) != 0 {
		t.Errorf("after Remove all: %v", ms)
	}
}

// The name typed to confirm Reset all is compared as accounts compare
// names (info.AccountKey): spaces and case aside it is the account, and a
// look-alike that names another account ("ſ", a long s, which
// strings.EqualFold takes for s) doesn't confirm.
func TestHelpdesk_ResetAllNameComparedAsAccountsAre(t *testing.T) {
	h := openAlice(t)
	test.Tap(buttons(h.w.Canvas(), "Reset all security info…")[0])
	confirm := buttons(h.w.Canvas(), "Remove all")
	name := objectsEntry(h, "alice@contoso.example")
	for _, c := range []struct {
		typed    string
		disabled bool
	}{
		{"alice@contoſo.example", true},
		{"  Alice@Contoso.Example ", false},
		{"alice@contoso.example", false},
	} {
		name.SetText(c.typed)
		if confirm[0].Disabled() != c.disabled {
			t.Errorf("typed %q: Remove all disabled = %v, want %v", c.typed, confirm[0].Disabled(), c.disabled)
		}
	}
}

// Results listed while the operator types don't move the search field.
func TestHelpdesk_SearchFieldStaysPutWhileTyping(t *testing.T) {
	h := helpdeskHarness(t)
	h.operatorSignIn()
	d := fyne.CurrentApp().Driver()
	before := d.AbsolutePositionForObject(h.u.helpdesk.search)
	h.search("ali")
	h.u.relayout()
	if after := d.AbsolutePositionForObject(h.u.helpdesk.search); after != before {
		t.Errorf("the search field moved from %v to %v", before, after)
	}
}

// A slip holding the pass is saved readable by its owner only; one
// without it as any file.
func TestHelpdesk_SlipWithThePassIsPrivate(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		withPass bool
		mode     os.FileMode
	}{{true, 0o600}, {false, 0o644}} {
		path := filepath.Join(dir, fmt.Sprintf("slip-%v.txt", tc.withPass))
		os.WriteFile(path, nil, 0o644) // as the save dialog leaves it
		if err := writeSlip(path, "the slip", tc.withPass); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(path)
		if fi.Mode().Perm()&^tc.mode != 0 {
			t.Errorf("with pass %v: mode %v, want at most %v", tc.withPass, fi.Mode().Perm(), tc.mode)
		}
		if b, _ := os.ReadFile(path); string(b) != "the slip" {
			t.Errorf("slip = %q", b)
		}
	}
}

// Print sends the slip to the printing command, and says when there is
// no printer.
func TestHelpdesk_PrintTheSlip(t *testing.T) {
	dir := t.TempDir()
	got := filepath.Join(dir, "printed")
	defer func(old []string) { printCommand = old }(printCommand)
	printCommand = []string{"sh", "-c", "cat > " + got}
	if err := printSlip("the slip"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(got); string(b) != "the slip" {
		t.Errorf("printed %q", b)
	}
	printCommand = []string{filepath.Join(dir, "no-lp")}
	if err := printSlip("the slip"); err == nil || !strings.Contains(wizard.Words(err), "printer") {
		t.Errorf("no printer: %v (%q)", err, wizard.Words(err))
	}
}

// The helpdesk's sign-in page says it is one, and hints no demo account,
// which a helpdesk station would refuse.
func TestHelpdesk_SignInSaysItIsAHelpdeskStation(t *testing.T) {
	h := helpdeskHarness(t)
	if labelWith(h, "Helpdesk station") == nil {
		t.Error("the sign-in page doesn't say it is a helpdesk station")
	}
	if l := labelWith(h, "demo@contoso.example"); l != nil {
		t.Errorf("the demo account is hinted: %q", l.Text)
	}
}

// An account an administrator disabled in the directory, locked by its
// counts too, is shown as disabled by them, with no Unlock: lifting it is
// not the helpdesk's (wizard.ErrDisabledByAdministrator). One locked by
// its counts alone keeps its Unlock.
func TestHelpdesk_DisabledAccountHasNoUnlock(t *testing.T) {
	h := helpdeskHarness(t)
	h.dir.UpdateAccount("alice@contoso.example", func(a *info.Account) error {
		a.Locked, a.Disabled, a.Failures = true, true, 100
		return nil
	})
	h.operatorSignIn()
	h.search("ali")
	test.Tap(buttons(h.w.Canvas(), "alice@contoso.example")[0])
	h.u.Wait()
	if labelWith(h, "Disabled in the directory by an administrator. Unlocking it is for them, not the helpdesk.") == nil {
		t.Error("no word that an administrator disabled the account")
	}
	if labelWith(h, "Locked after too many failed sign-ins.") != nil {
		t.Error("the disabled account is shown as locked by its failures")
	}
	if b := buttons(h.w.Canvas(), "Unlock"); len(b) != 0 {
		t.Errorf("%d Unlock buttons for a disabled account", len(b))
	}

	h.dir.UpdateAccount("alice@contoso.example", func(a *info.Account) error { a.Locked, a.Disabled = false, false; return nil })
	test.Tap(buttons(h.w.Canvas(), "alice@contoso.example")[0])
	h.u.Wait()
	if len(buttons(h.w.Canvas(), "Unlock")) != 1 || labelWith(h, "Locked after too many failed sign-ins.") == nil {
		t.Error("an account locked by its failures alone has no Unlock")
	}
	if labelWith(h, "Disabled in the directory") != nil {
		t.Error("an account locked by its failures is shown as disabled")
	}
}

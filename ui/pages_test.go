package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

func TestSignIn_DemoHintAndMarkup(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.wantTitle("Sign in")
	test.AssertRendersToMarkup(t, "signin.xml", h.w.Canvas())
	if h.w.Canvas().Focused() != h.u.signIn.account {
		t.Error("the account field does not have the keyboard at start")
	}
}

func TestSignIn_WrongPasswordSaysSoAndKeepsTheAccount(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.signIn(wizard.DemoAccount, "not-the-password")
	h.wantTitle("Sign in")
	p := h.u.signIn
	if !strings.Contains(p.message.Text, "account name or password isn't right") {
		t.Errorf("message = %q", p.message.Text)
	}
	if p.account.Text != wizard.DemoAccount || p.password.Text != "" {
		t.Errorf("after a failure: account %q password %q", p.account.Text, p.password.Text)
	}
	// An unknown account gets exactly the same message.
	msg := p.message.Text
	p.account.SetText("nobody@contoso.example")
	h.signIn("", "whatever-1")
	if p.message.Text != msg {
		t.Errorf("unknown account message %q differs from %q", p.message.Text, msg)
	}
	a, _ := h.dir.Account(wizard.DemoAccount)
	if a.Failures != 1 {
		t.Errorf("stored failures = %d, want 1", a.Failures)
	}
}

func TestSignIn_EmptyFieldsAsk(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	test.Tap(h.u.signIn.submit)
	h.u.Wait()
	if got := h.u.signIn.message.Text; got != "Enter your account name and password." {
		t.Errorf("message = %q", got)
	}
}

func TestMoreInfo_ShownAndLearnMore(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("More information required")
	test.AssertRendersToMarkup(t, "moreinfo.xml", h.w.Canvas())
	if h.u.signIn.password.Text != "" || h.u.signIn.account.Text != "" {
		t.Error("the sign-in fields still hold the last person's input")
	}
	h.u.moreInfo.onLearnMore()
	if len(h.w.Canvas().Overlays().List()) != 1 {
		t.Error("Learn more showed no dialog")
	}
}

func TestMoreInfo_UseADifferentAccount(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.u.moreInfo.onDifferentAccount()
	h.wantTitle("Sign in")
	if h.u.flow.Account() != "" {
		t.Error("still signed in")
	}
}

func TestHost_NotBuiltMethodIsExplainedNotSkipped(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Authenticator app")
	p := h.u.host
	if p.progress.Text != "Method 1 of 2: App" { // no App password section without its setup

		t.Errorf("progress = %q", p.progress.Text)
	}
	if !p.next.Disabled() {
		t.Error("Next is enabled on a method that can't be set up")
	}
	test.AssertRendersToMarkup(t, "host_unavailable.xml", h.w.Canvas())
	test.Tap(p.next)
	h.wantTitle("Keep your account secure — Authenticator app")
}

func TestHost_ChooserListsAllowedMethodsWithTheirUse(t *testing.T) {
	h := newHarnessWith(t, testPolicy, map[info.Kind]wizard.SetupFactory{
		info.KindAuthenticatorApp: authapp.NewSetup, info.KindPhone: phone.NewSetup, info.KindEmail: email.Factory(email.Config{}),
	}, &testkit.Phone{})
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.u.host.onChooser()
	h.wantTitle("Choose a different method")
	test.AssertRendersToMarkup(t, "chooser.xml", h.w.Canvas())
	h.u.chooser.onChoose(wizard.Describe(info.KindEmail))
	h.wantTitle("Keep your account secure — Email")
	if h.u.host.progress.Text != "Method 1 of 3: Email" {
		t.Errorf("progress = %q", h.u.host.progress.Text)
	}
}

// A method whose setup can't start is refused at the chooser, which says
// why and offers it no more: nobody is led onto a page with no way on.
func TestHost_ChoosingAMethodThatCantStartStaysOnTheChooser(t *testing.T) {
	h := newHarness(t, testPolicy, map[info.Kind]wizard.SetupFactory{
		info.KindAuthenticatorApp: authapp.NewSetup, info.KindEmail: email.Factory(email.Config{}), // no sender for email
	})
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.u.host.onChooser()
	if len(buttons(h.w.Canvas(), "Phone")) != 0 {
		t.Error("the chooser offers the phone, which has no setup here")
	}
	test.Tap(buttons(h.w.Canvas(), "Email")[0])
	h.u.Wait()
	h.wantTitle("Choose a different method")
	if !strings.Contains(h.u.chooser.message.Text, "can't be set up on this station") {
		t.Errorf("message = %q", h.u.chooser.message.Text)
	}
	if len(buttons(h.w.Canvas(), "Email")) != 0 {
		t.Error("the chooser still offers email after it failed to start")
	}
}

func TestHost_CancelReturnsToSignInWithNothingStored(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.u.host.onCancel()
	h.wantTitle("Sign in")
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	if len(ms) != 0 {
		t.Errorf("stored after Cancel: %v", ms)
	}
}

func TestSuccess_UpToDateListsMethodsAndDefault(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	for _, m := range []info.Method{
		{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel 9", Created: t0},
		{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: t0},
	} {
		if err := h.dir.AddMethod(wizard.DemoAccount, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("You're all set")
	test.AssertRendersToMarkup(t, "uptodate.xml", h.w.Canvas())
	if !strings.Contains(h.u.success.def.Text, "Authenticator app (Pixel 9)") {
		t.Errorf("default = %q", h.u.success.def.Text)
	}
	test.Tap(h.u.success.done)
	if h.quit != 1 {
		t.Error("Done on a desktop station did not quit")
	}
}

func TestKeyring_PageAndRetry(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.u.flow.KeyringProblem(info.ErrKeyringLocked)
	h.u.show()
	h.wantTitle("Keyring not available")
	if !strings.Contains(h.u.keyring.detail.Text, "locked") {
		t.Errorf("detail = %q", h.u.keyring.detail.Text)
	}
	test.Tap(h.u.keyring.retry)
	h.u.Wait()
	h.wantTitle("Sign in")
}

// A person who registered the app and closed the window comes back to
// method 2 of 3, with the app marked done.
func TestHost_ProgressCountsWhatIsRegistered(t *testing.T) {
	h := newHarnessProving(t, testPolicy, map[info.Kind]wizard.SetupFactory{
		info.KindAuthenticatorApp: authapp.NewSetup, info.KindPhone: phone.NewSetup, info.KindAppPassword: apppassword.NewSetup,
	}, nil, map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver})
	h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0, HasSecret: true}, append([]byte(nil), appSeed...))
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("Verify your identity")
	test.Type(h.u.verify.panel.entries[0], authapp.Code(appSeed, h.now))
	h.u.Wait()
	h.wantTitle("More information required")
	test.Tap(h.u.moreInfo.next)
	if got := h.u.host.progress.Text; got != "Method 2 of 3: Phone" {
		t.Errorf("progress = %q", got)
	}
	if got := h.u.host.steps.Text; got != "✓ App   ● Phone   ○ App password" {
		t.Errorf("steps = %q", got)
	}
}

// Labels don't say the same thing twice: a method still named after its
// kind is listed by its kind alone.
func TestSuccess_LabelsDontRepeatTheMethodsName(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	for _, m := range []info.Method{
		{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Authenticator app", Created: t0},
		{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: t0},
	} {
		if err := h.dir.AddMethod(wizard.DemoAccount, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	var lines []string
	for _, o := range h.u.success.methods.Objects {
		lines = append(lines, o.(*widget.Label).Text)
	}
	if got := strings.Join(lines, "|"); got != "✓ Authenticator app|✓ Phone: +1 ••• ••• 1234" {
		t.Errorf("methods = %q", got)
	}
	if got := h.u.success.def.Text; got != "Default sign-in method: Authenticator app." {
		t.Errorf("default = %q", got)
	}
}

// A letter typed while no field has the keyboard (the window just
// appeared, or focus was lost) goes to the page's first field instead of
// being lost.
func TestSignIn_KeysWithNoFieldFocusedAreKept(t *testing.T) {
	h := newHarness(t, testPolicy, nil)
	h.w.Canvas().Unfocus()
	c := h.w.Canvas()
	for _, r := range "demo" { // as the driver does: to the focused widget, else the canvas
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if c.OnTypedRune() != nil {
			c.OnTypedRune()(r)
		}
	}
	if got := h.u.signIn.account.Text; got != "demo" {
		t.Errorf("account field = %q, want the letters typed", got)
	}
}

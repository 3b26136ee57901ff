//go:build e2e

package e2e

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
)

// usePolicy asks for the authenticator app, a phone and recovery codes,
// with codes in the demo outbox.
const usePolicy = `organisation = "Contoso"
demo = true
required = ["authenticator-app", "phone", "recovery-codes"]
allowed = ["authenticator-app", "phone", "recovery-codes"]
min_methods = 3
delivery = "outbox"
`

// nextStep waits until the authenticator app shows a new code: a code is
// accepted once only, so the next sign-in needs the next one.
func nextStep() {
	now := time.Now()
	time.Sleep(now.Truncate(30 * time.Second).Add(30*time.Second + time.Second).Sub(now))
}

// signInWith types the demo account and password.
func (s *session) signInWith(password string) {
	s.t.Helper()
	s.waitTitle("Sign in")
	s.typeText("demo@contoso.example")
	s.key("Return")
	s.typeText(password)
	s.key("Return")
}

// savedCodes reads the recovery codes from the file the app saved.
func (s *session) savedCodes() []string {
	matches, _ := filepath.Glob(filepath.Join(s.root, "home", "Documents", "*recovery codes*.txt"))
	if len(matches) == 0 {
		return nil
	}
	st, err := os.Stat(matches[0])
	if err != nil || st.Mode().Perm() != 0o600 {
		s.t.Fatalf("the saved codes: %v, mode %v", err, st.Mode())
	}
	b, _ := os.ReadFile(matches[0])
	return regexp.MustCompile(`(?m)^  ([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})$`).FindAllString(string(b), -1)
}

// TestRealWindow_UseWhatWasRegistered registers the authenticator app, a
// phone and recovery codes, then signs in again with password and the
// app's code (oathtool), sees the same code refused, signs in with a
// recovery code read from the file the app saved (refused the second
// time), and resets the password with a phone code from the demo outbox.
func TestRealWindow_UseWhatWasRegistered(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	policy := filepath.Join(s.root, "policy.toml")
	if err := os.WriteFile(policy, []byte(usePolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(s.root, "home", "Documents"), 0o755)

	// Register: the app, the phone, the recovery codes.
	s.start("--policy", policy)
	s.signInWith(demoPassword)
	s.waitTitle("More information required")
	s.key("Return")
	s.waitTitle("Keep your account secure — Authenticator app")
	secret := s.registerAuthenticatorApp("demo@contoso.example")
	s.key("Return")
	s.waitTitle("Keep your account secure — Phone")
	s.typeText("(201) 555-0123")
	s.key("Return")
	s.eventually("a code in the outbox", func() bool { c, _ := s.outboxCodes(); return len(c) == 1 })
	s.waitPaint()
	codes, _ := s.outboxCodes()
	s.typeText(codes[0])
	s.eventually("the phone registered", func() bool {
		out, _, _ := s.run("", "--policy", policy, "user", "show", "demo@contoso.example")
		return strings.Contains(out, "phone")
	})
	s.waitPaint()
	s.key("Return")
	s.waitTitle("Keep your account secure — Recovery codes")
	s.key("Return") // Next: make the codes
	s.eventually("the recovery codes stored", func() bool {
		out, _, _ := s.run("", "--policy", policy, "user", "show", "demo@contoso.example")
		return strings.Contains(out, "recovery-codes")
	})
	s.waitPaint()
	s.shot("recovery-codes")
	for try := 0; try < 3 && len(s.savedCodes()) == 0; try++ {
		s.key("ctrl+s") // Save to a file
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) && len(s.savedCodes()) == 0 {
			time.Sleep(200 * time.Millisecond)
		}
	}
	if len(s.savedCodes()) != 10 {
		s.shot("not-saved")
		t.Fatalf("the codes were not saved to a file\nstderr: %s", s.errOut.String())
	}
	recovery := s.savedCodes()
	s.shot("recovery-codes-saved")
	s.key("Return")
	s.waitTitle("Success")
	s.stop()

	// Sign in again: the password, then the app's code.
	nextStep()
	s.start("--policy", policy)
	s.signInWith(demoPassword)
	s.waitTitle("Verify your identity")
	s.shot("verify-your-identity")
	code := totp(t, secret)
	s.typeText(code)
	s.waitTitle("You're all set")
	s.stop()

	// The same code a second time is refused.
	s.start("--policy", policy)
	s.signInWith(demoPassword)
	s.waitTitle("Verify your identity")
	s.typeText(code)
	s.waitPaint()
	s.shot("replayed-code")
	if got := s.title(); got != "Security Info — Verify your identity" {
		t.Fatalf("a replayed code signed in: %s", got)
	}

	// Sign in another way: a recovery code from the saved file.
	s.key("Tab", "Tab", "Tab", "Tab", "space") // past Verify, the app and the phone, to "Use a recovery code"
	s.waitPaint()
	s.shot("recovery-code-asked")
	s.typeText(recovery[0])
	s.key("Return")
	s.waitTitle("You're all set")
	s.stop()

	// The same recovery code a second time is refused.
	s.start("--policy", policy)
	s.signInWith(demoPassword)
	s.waitTitle("Verify your identity")
	s.key("Tab", "Tab", "Tab", "Tab", "space")
	s.waitPaint()
	s.typeText(recovery[0])
	s.key("Return")
	s.waitPaint()
	s.shot("recovery-code-used")
	if got := s.title(); got != "Security Info — Verify your identity" {
		t.Fatalf("a used recovery code signed in: %s", got)
	}
	s.stop()

	// Forgot my password: a code texted to the phone, a new password.
	s.start("--policy", policy)
	s.waitTitle("Sign in")
	s.key("Tab", "Tab", "Tab", "space") // past account, password and Sign in
	s.waitTitle("Reset your password")
	s.typeText("demo@contoso.example")
	s.key("Return")
	s.waitPaint()
	s.shot("reset-choose")
	s.key("Tab", "Tab", "space") // "Send a code to my phone"
	s.eventually("a reset code in the outbox", func() bool { c, _ := s.outboxCodes(); return len(c) == 2 })
	s.waitPaint()
	codes, _ = s.outboxCodes()
	s.typeText(codes[1])
	s.waitPaint()
	s.shot("reset-new-password")
	const newPassword = "purple otters juggle quietly"
	s.typeText(newPassword)
	s.key("Return")
	s.typeText(newPassword)
	s.key("Return")
	s.waitPaint()
	s.shot("reset-done")
	s.key("Return") // Sign in
	s.signInWith(newPassword)
	s.waitTitle("Verify your identity")
	s.stop()

	log, _, _ := s.run("", "--policy", policy, "audit", "list", "--account", "demo@contoso.example")
	for _, want := range []string{"second-factor ", "second-factor-failed", "password-reset"} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log lacks %s:\n%s", want, log)
		}
	}
	s.assertNoCanary(secret)
	s.assertNoCanary(newPassword)
	for _, c := range recovery[1:3] {
		s.assertNoCanaryOutside(c, "Documents")
	}
}

// assertNoCanaryOutside is assertNoCanary, except in the person's folder
// dir under home (where they saved it themselves).
func (s *session) assertNoCanaryOutside(secret, dir string) {
	s.t.Helper()
	filepath.Walk(s.root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.Contains(path, filepath.Join("home", dir)) {
			return nil
		}
		if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), secret) {
			s.t.Errorf("the secret is on disk in %s", path)
		}
		return nil
	})
}

// waitStep waits until the authenticator step after the one at t.
func waitStep(t time.Time) time.Time {
	for time.Now().Unix()/30 <= t.Unix()/30 {
		time.Sleep(200 * time.Millisecond)
	}
	return time.Now()
}

// TestRealWindow_DirectoryReset: dana enrolls the authenticator app at a
// kiosk on the organisation's directory, forgets her password, and resets
// it with a code from the app; from outside, ldapwhoami then accepts the
// new password with a code, and not the old one.
func TestRealWindow_DirectoryReset(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"zbarimg", "oathtool", "ldapwhoami"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make test`, which installs it", tool)
		}
	}
	srv := slapdtest.Start(t, slapdtest.Options{})
	dana := srv.AddPerson("dana", "dana-password-1", false)
	s := newSession(t)
	policy := s.directoryPolicy(srv)

	s.start("--policy", policy)
	s.waitTitle("Sign in")
	s.typeText("dana")
	s.key("Return")
	s.typeText("dana-password-1")
	s.key("Return")
	s.waitTitle("More information required")
	s.key("Return")
	s.waitTitle("Keep your account secure — Authenticator app")
	s.key("Return", "Return")
	s.waitPaint()
	out, err := exec.Command("zbarimg", "--raw", "-q", s.qrShot("directory-qr")).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	u, _ := url.Parse(strings.TrimSpace(string(out)))
	secret := u.Query().Get("secret")
	s.key("Return")
	s.waitPaint()
	s.waitQRGone()
	registered := time.Now()
	s.typeText(totpAt(t, secret, registered))
	s.eventually("the app registered", func() bool {
		return ldapwhoami(t, srv, dana, "dana-password-1") == 49 // the code is now required
	})
	s.waitPaint()
	s.key("Return") // Next
	s.waitTitle("Success")
	s.key("Return") // Done
	s.waitTitle("Sign in")

	// Forgot my password: a code from the app, then a new password.
	s.key("Tab", "Tab", "Tab", "space")
	s.waitTitle("Reset your password")
	s.typeText("dana")
	s.key("Return")
	s.waitPaint()
	s.key("Tab", "space") // "Enter a code from my authenticator app"
	s.waitPaint()
	at := waitStep(registered)
	s.typeText(totpAt(t, secret, at))
	s.waitPaint()
	s.shot("directory-reset-new-password")
	const newPassword = "purple otters juggle at dusk"
	s.typeText(newPassword)
	s.key("Return")
	s.typeText(newPassword)
	s.key("Return")
	s.waitPaint()
	s.shot("directory-reset-done")
	s.key("Return")
	s.waitTitle("Sign in")
	s.stop()

	// (slapo-otp takes a code's step at any bind that carries it, so each
	// check below uses a code of its own.)
	when := waitStep(at)
	if got := ldapwhoami(t, srv, dana, newPassword+totpAt(t, secret, when)); got != 0 {
		t.Fatalf("ldapwhoami with the new password and a code: exit %d, want 0", got)
	}
	if got := ldapwhoami(t, srv, dana, newPassword); got != 49 {
		t.Errorf("ldapwhoami with the new password alone: exit %d, want 49", got)
	}
	if got := ldapwhoami(t, srv, dana, "dana-password-1"+totpAt(t, secret, waitStep(when))); got != 49 {
		t.Errorf("ldapwhoami with the old password and a code: exit %d, want 49", got)
	}
	s.assertNoCanary(newPassword)
}

//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const alicePassword = "alice-canary-7c1e-pw"

func TestRealWindow_SignInReachesMoreInformationRequired(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	if _, errOut, code := s.run(alicePassword+"\n", "user", "add", "alice@contoso.example"); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errOut)
	}
	s.start()
	s.waitTitle("Sign in")
	s.shot("sign-in")
	if !strings.Contains(s.out.String(), "demo@contoso.example") {
		t.Errorf("demo mode did not print the demo account: %q", s.out.String())
	}

	// A wrong password: the page stays, and the failure is recorded.
	s.typeText("alice@contoso.example")
	s.key("Return")
	s.typeText("not-her-password")
	s.key("Return")
	s.eventually("a failed attempt recorded", func() bool {
		out, _, _ := s.run("", "user", "show", "alice@contoso.example")
		return strings.Contains(out, "1 failed attempts")
	})
	// The page has taken the failure in (it logs it once it has emptied
	// the password field): keys typed before then would be wiped with it.
	s.eventually("the failure shown", func() bool { return strings.Contains(s.errOut.String(), "password isn't right") })
	s.shot("wrong-password")
	if got := s.title(); got != "Security Info — Sign in" {
		t.Fatalf("after a wrong password the window shows %q", got)
	}

	// The account stays filled in and the password field has the keyboard.
	s.typeText(alicePassword)
	s.key("Return")
	s.waitTitle("More information required")
	s.shot("more-information-required")
	out, _, _ := s.run("", "user", "show", "alice@contoso.example")
	if !strings.Contains(out, "methods:   none registered") || strings.Contains(out, "failed") {
		t.Errorf("user show after sign-in:\n%s", out)
	}

	// Enter takes the default action: Next, into the wizard.
	s.key("Return")
	s.waitTitle("Keep your account secure — Authenticator app")
	s.shot("keep-your-account-secure")
	s.stop()

	out, _, _ = s.run("", "user", "show", "alice@contoso.example")
	if !strings.Contains(out, "none registered") {
		t.Errorf("closing the window mid-wizard left something registered:\n%s", out)
	}
	s.assertNoCanary(alicePassword)
}

func TestRealWindow_NoDisplayIsOneLine(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	for _, display := range []string{"", ":87"} {
		cmd := s.command("--demo", "--data-dir", s.data)
		cmd.Env = append(cmd.Env, "DISPLAY="+display, "WAYLAND_DISPLAY=")
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("DISPLAY=%q: the app started", display)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "securityinfo: no display: ") {
			t.Errorf("DISPLAY=%q: output %q, want one 'no display' line", display, out)
		}
	}
}

func TestRealWindow_InvalidPolicyNamesFileAndLine(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	policy := filepath.Join(s.root, "policy.toml")
	os.WriteFile(policy, []byte("organisation = \"Contoso\"\nrequired = [\"fax\"]\n"), 0o644)
	out, err := s.command("--policy", policy).CombinedOutput()
	if err == nil {
		t.Fatal("the app started with an invalid policy")
	}
	want := "securityinfo: " + policy + ":2: required: unknown method \"fax\""
	if !strings.HasPrefix(strings.TrimSpace(string(out)), want) {
		t.Errorf("output %q, want it to start with %q", out, want)
	}
}

func TestRealWindow_NoKeyringShowsWhatToDo(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	s.env = append(s.env, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus")
	s.start()
	s.waitTitle("Keyring not available")
	s.shot("keyring-not-available")
	if !strings.Contains(s.errOut.String(), "keyring") {
		t.Errorf("stderr does not say what is wrong: %q", s.errOut.String())
	}
	// Nothing was written anywhere instead of the keyring.
	s.stop()
	out, _, _ := s.run("", "user", "show", "demo@contoso.example")
	if !strings.Contains(out, "none registered") {
		t.Errorf("user show = %q", out)
	}
}

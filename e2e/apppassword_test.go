//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const appPasswordPolicy = `organisation = "Contoso"
demo = true
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone"]
min_methods = 1
app_passwords = true
`

// waitAppPassword waits until the app password name is stored: the page
// then shows it (making one takes a while on a loaded machine).
func (s *session) waitAppPassword(name string) {
	s.t.Helper()
	s.eventually("app password "+name+" created", func() bool {
		out, _, _ := s.run("", "app-password", "list", "demo@contoso.example")
		return strings.Contains(out, name)
	})
}

// TestRealWindow_AppPasswordCopiedOnceAndCleared creates an app password
// in the wizard, takes it only from the clipboard (as a person pasting it
// into their mail app would), verifies it with the admin command, and
// checks the clipboard is cleared 30 s later and no plain copy is kept.
func TestRealWindow_AppPasswordCopiedOnceAndCleared(t *testing.T) {
	if _, err := exec.LookPath("xclip"); err != nil {
		t.Fatal("xclip is missing: run `make test`, which installs it")
	}
	t.Parallel() // it waits out a 30 s timer
	s := newSession(t)
	policy := filepath.Join(s.root, "policy.toml")
	os.WriteFile(policy, []byte(appPasswordPolicy), 0o644)
	s.start("--policy", policy)
	s.signInWith(demoPassword)
	s.waitTitle("More information required")
	s.key("Return")
	s.registerAuthenticatorApp("demo@contoso.example")
	s.key("Return")
	s.waitTitle("Keep your account secure — App password")
	s.typeText("Laptop")
	s.key("Return")
	s.waitAppPassword("Laptop")
	s.waitPaint()
	s.shot("app-password-shown")

	s.key("ctrl+c")
	copiedAt := time.Now()
	pw := s.copied(isAppPassword)
	if !isAppPassword(pw) {
		t.Fatalf("the clipboard holds %q, not a 16-letter app password", pw)
	}
	if _, errOut, code := s.run(pw+"\n", "app-password", "verify", "demo@contoso.example"); code != 0 {
		t.Fatalf("app-password verify of the copied password: exit %d %s", code, errOut)
	}
	if _, _, code := s.run("abcdefghijklmnop\n", "app-password", "verify", "demo@contoso.example"); code != 1 {
		t.Fatalf("a wrong app password verified (exit %d)", code)
	}
	s.key("Return") // Done
	s.waitPaint()
	s.key("Return")
	s.waitTitle("Success")
	s.shot("success")

	time.Sleep(time.Until(copiedAt.Add(31 * time.Second)))
	if got := s.clipboard(); got != "" {
		t.Errorf("30 s after Copy the clipboard still holds %q", got)
	}
	out, _, _ := s.run("", "app-password", "list", "demo@contoso.example")
	if !strings.Contains(out, "Laptop") {
		t.Errorf("app-password list = %q", out)
	}
	s.stop()
	s.assertNoCanary(pw)
}

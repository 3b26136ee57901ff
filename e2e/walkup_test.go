//go:build e2e

package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// TestRealWindow_WalkUpWithATemporaryAccessPass is the helpdesk walk-up:
// the operator issues a pass, the person signs in with it instead of the
// password and registers the authenticator app, and the audit log shows
// each step.
func TestRealWindow_WalkUpWithATemporaryAccessPass(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	if _, errOut, code := s.run("forgotten-password-1\n", "user", "add", "walkup@contoso.example"); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	out, errOut, code := s.run("", "tap", "issue", "walkup@contoso.example", "--one-time")
	if code != 0 {
		t.Fatalf("tap issue: exit %d %s", code, errOut)
	}
	pass := regexp.MustCompile(`: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})`).FindStringSubmatch(out)
	if pass == nil {
		t.Fatalf("no pass in %q", out)
	}
	s.start()
	s.waitTitle("Sign in")
	s.typeText("walkup@contoso.example")
	s.key("Return")
	s.typeText(pass[1])
	s.key("Return")
	s.waitTitle("More information required")
	s.key("Return")
	s.registerAuthenticatorApp("walkup@contoso.example")
	s.stop()

	// The pass was for one use only.
	s.start()
	s.waitTitle("Sign in")
	s.typeText("walkup@contoso.example")
	s.key("Return")
	refused := s.refusedSignIns()
	s.typeText(pass[1])
	s.key("Return")
	s.eventually("the used pass refused", func() bool { return s.refusedSignIns() > refused })
	s.shot("pass-used")
	if got := s.title(); got != "Security Info — Sign in" {
		t.Fatalf("a used one-time pass signed in: %s", got)
	}
	s.stop()

	log, _, _ := s.run("", "audit", "list", "--account", "walkup@contoso.example")
	steps := []string{"tap-issued", "tap-used", "sign-in", "method-added", "sign-in-failed"}
	last := -1
	for _, step := range steps {
		i := strings.Index(log, " "+step+" ")
		if i < 0 {
			t.Fatalf("audit list lacks %s:\n%s", step, log)
		}
		if i < last {
			t.Errorf("%s is out of order:\n%s", step, log)
		}
		last = i
	}
	s.assertNoCanary(pass[1])
	s.assertNoCanary(strings.ReplaceAll(pass[1], "-", ""))
}

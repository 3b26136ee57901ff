//go:build e2e

package e2e

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// outboxCodes reads the demo outbox file the way the demo outbox view
// does, oldest first, and returns the 6-digit codes with their numbers.
func (s *session) outboxCodes() (codes, to []string) {
	f, err := os.Open(filepath.Join(s.data, "outbox.jsonl"))
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m struct{ To, Channel, Text string }
		// Notices of changes go to the outbox too; they never hold a code.
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			if code := regexp.MustCompile(`\d{6}`).FindString(m.Text); code != "" {
				codes = append(codes, code)
				to = append(to, m.To)
			}
		}
	}
	return codes, to
}

// TestRealWindow_PhoneWithTheDemoOutbox registers the authenticator app and
// then a phone on the embedded default, reading the texted code from the
// demo outbox: a wrong code and the code a resend replaced are refused.
func TestRealWindow_PhoneWithTheDemoOutbox(t *testing.T) {
	t.Parallel() // it waits out a 30 s timer
	s := newSession(t)
	s.start()
	s.signInWith(demoPassword)
	s.waitTitle("More information required")
	s.key("Return")
	s.registerAuthenticatorApp("demo@contoso.example")
	s.key("Return")
	s.waitTitle("Keep your account secure — Phone")
	s.typeText("(201) 555-0123")
	s.key("Return")
	s.eventually("a code in the outbox", func() bool { c, _ := s.outboxCodes(); return len(c) == 1 })
	s.waitPaint()
	s.shot("enter-code")
	codes, to := s.outboxCodes()
	if to[0] != "+12015550123" {
		t.Fatalf("the code went to %q", to[0])
	}
	sentAt := time.Now()

	// A wrong code is refused and nothing is registered.
	wrong := "000000"
	if codes[0] == wrong {
		wrong = "111111"
	}
	s.typeText(wrong)
	s.waitPaint()
	if out, _, _ := s.run("", "user", "show", "demo@contoso.example"); strings.Contains(out, "phone") {
		t.Fatalf("a wrong code registered the phone:\n%s", out)
	}

	// Resend after the 30 s cooldown: Tab from the code to Resend code, Space.
	time.Sleep(time.Until(sentAt.Add(31 * time.Second)))
	s.key("Tab", "space")
	s.eventually("a second code in the outbox", func() bool { c, _ := s.outboxCodes(); return len(c) == 2 })
	codes, _ = s.outboxCodes()
	if codes[0] != codes[1] {
		s.typeText(codes[0]) // the replaced code
		s.waitPaint()
		if out, _, _ := s.run("", "user", "show", "demo@contoso.example"); strings.Contains(out, "phone") {
			t.Fatalf("the code a resend replaced registered the phone:\n%s", out)
		}
	}
	s.typeText(codes[1])
	s.eventually("the phone registered", func() bool {
		out, _, _ := s.run("", "user", "show", "demo@contoso.example")
		return strings.Contains(out, "+1 ••• ••• 0123")
	})
	s.waitPaint()
	s.shot("phone-registered")
	out, _, _ := s.run("", "user", "show", "demo@contoso.example")
	if strings.Contains(out, "2015550123") {
		t.Errorf("user show prints the whole number:\n%s", out)
	}
	audit, _, _ := s.run("", "audit", "list", "--account", "demo@contoso.example")
	for _, want := range []string{"sign-in", "method-added"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit list lacks %s:\n%s", want, audit)
		}
	}
}

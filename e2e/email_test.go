//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/internal/smtptest"
)

// TestRealWindow_EmailCodeBySMTP registers an email address with the code
// the app sent through a real SMTP server on loopback (STARTTLS with a
// throwaway certificate the policy trusts, AUTH with the credentials set
// by `provider set smtp` into the real keyring), read from the server and
// typed into the window. The notice of the new method follows by email,
// with no code in it; neither the code nor the SMTP password is on disk
// or in the output.
func TestRealWindow_EmailCodeBySMTP(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.Options{})
	s := newSession(t)
	policy := filepath.Join(s.root, "policy.toml")
	if err := os.WriteFile(policy, []byte(fmt.Sprintf(`organisation = "Contoso"
demo = true
required = ["email"]
allowed = ["authenticator-app", "email"]
delivery = "outbox"
email_refuse_domains = ["contoso.example"]
smtp_host = "localhost"
smtp_port = %d
smtp_from = "security-info@contoso.example"
smtp_ca_file = %q
`, srv.Port, srv.CAFile)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := s.run(srv.Username+"\n"+srv.Password+"\n", "--policy", policy, "provider", "set", "smtp"); code != 0 {
		t.Fatalf("provider set smtp: %d %q %q", code, out, errOut)
	}
	s.start("--policy", policy)
	s.signInWith(demoPassword)
	s.waitTitle("More information required")
	s.key("Return")
	s.waitTitle("Keep your account secure — Email")
	s.typeText("Dana.Demo@Fabrikam.example")
	s.key("Return")
	msgs := srv.Wait(t, 1)
	s.waitPaint()
	s.shot("enter-emailed-code")
	m := msgs[0]
	if !m.TLS || m.User != srv.Username || len(m.To) != 1 || m.To[0] != "Dana.Demo@fabrikam.example" {
		t.Fatalf("the code went to %v (TLS %v, signed in as %q)", m.To, m.TLS, m.User)
	}
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(m.Body)
	if code == "" || strings.Contains(m.DecodedSubject(), code) || m.Header.Get("From") != `"Contoso" <security-info@contoso.example>` {
		t.Fatalf("the email: subject %q, from %q, body %q", m.DecodedSubject(), m.Header.Get("From"), m.Body)
	}
	s.typeText(code) // submitted on the sixth digit
	s.eventually("the email registered", func() bool {
		out, _, _ := s.run("", "--policy", policy, "user", "show", "demo@contoso.example")
		return strings.Contains(out, "D•••@fabrikam.example")
	})
	s.waitPaint()
	s.shot("email-registered")

	// The notice of the new method comes by email too, without a code.
	msgs = srv.Wait(t, 2)
	n := msgs[1]
	if n.To[0] != "Dana.Demo@fabrikam.example" || !strings.Contains(n.Body, "a method was added (Email)") ||
		!strings.Contains(n.Body, "If this wasn't you, contact your helpdesk") || regexp.MustCompile(`\b\d{6}\b`).MatchString(n.Body) {
		t.Errorf("the notice: %q", n.Body)
	}
	audit, _, _ := s.run("", "--policy", policy, "audit", "list", "--account", "demo@contoso.example")
	for _, want := range []string{"method-added", "notice-sent"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit list lacks %s:\n%s", want, audit)
		}
	}
	s.stop()
	s.assertNoCanary(code)
	s.assertNoCanary(srv.Password)
}

//go:build e2e

package e2e

import (
	"encoding/base32"
	"encoding/base64"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRealWindow_RegisterAuthenticatorApp does what a person with a phone
// does: reads the QR code off the screen (zbarimg), computes the code
// (oathtool) and types it. The key must then be in the keyring, checked
// from outside with secret-tool, and nowhere else.
func TestRealWindow_RegisterAuthenticatorApp(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"zbarimg", "oathtool", "secret-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make test`, which installs it", tool)
		}
	}
	s := newSession(t)
	s.start()
	s.signInWith(demoPassword)
	s.waitTitle("More information required")
	s.key("Return")
	s.waitTitle("Keep your account secure — Authenticator app")
	secret := s.registerAuthenticatorApp("demo@contoso.example")

	s.key("Return") // Authenticator app registered: Next
	s.waitTitle("Keep your account secure — Phone")
	s.stop()
	s.assertNoCanary(secret)
	s.assertNoCanary(strings.ToLower(secret))
}

// totp is what the person's phone shows for secret now.
func totp(t *testing.T, secret string) string {
	t.Helper()
	out, err := exec.Command("oathtool", "--totp", "-b", secret).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// wrongCode is a 6-digit code that is none of the codes near now.
func wrongCode(t *testing.T, secret string) string {
	out, err := exec.Command("oathtool", "--totp", "-b", "-w", "2", secret).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	near := string(out)
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !strings.Contains(near, c) {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// qrShot saves the screen as the artifact name once it shows an otpauth
// QR code, waiting up to 20 s: the page a Next has just asked for, which
// on a loaded machine can come later than the repaint time. It returns
// the last screenshot's path, QR code or not (the caller checks it).
func (s *session) qrShot(name string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		path := s.shot(name)
		if uri, err := zbar(path); err == nil && strings.HasPrefix(uri, "otpauth://") || time.Now().After(deadline) {
			return path
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// waitQRGone waits until the screen shows no QR code: the QR code's Next
// has led on to the page that asks for the code, which then takes what
// is typed.
func (s *session) waitQRGone() {
	s.t.Helper()
	dir := s.t.TempDir() // not under s.root, which assertNoCanary reads
	s.eventually("the page after the QR code", func() bool {
		path := filepath.Join(dir, "screen.png")
		cmd := exec.Command("import", "-window", "root", path)
		cmd.Env = s.env
		if out, err := cmd.CombinedOutput(); err != nil {
			s.t.Fatalf("screenshot: %v: %s", err, out)
		}
		_, err := zbar(path)
		return err != nil
	})
}

// registerAuthenticatorApp goes from the app's first screen to
// "registered" as a person with a phone would, checking the QR code, the
// refusal of a wrong code, and the keyring item; it returns the key.
func (s *session) registerAuthenticatorApp(account string) string {
	t := s.t
	t.Helper()
	// Each Next may run in the background: let it land before the next key.
	s.key("Return") // Start by getting the app: Next
	s.waitPaint()
	s.key("Return") // Set up your account: Next
	s.waitPaint()
	shot := s.qrShot("scan-the-qr-code")

	out, err := exec.Command("zbarimg", "--raw", "-q", shot).Output()
	if err != nil {
		t.Fatalf("zbarimg could not read a QR code on the screen: %v", err)
	}
	uri := strings.TrimSpace(string(out))
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("the QR code holds %q, not an otpauth://totp URI", uri)
	}
	q := u.Query()
	if u.Path != "/Contoso:"+account || q.Get("issuer") != "Contoso" || q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("URI %q: wrong label or parameters", uri)
	}
	secret := q.Get("secret")
	if len(secret) != 32 || strings.Contains(secret, "=") {
		t.Fatalf("secret %q is not 32 base32 characters without padding", secret)
	}

	s.key("Return") // Scan the QR code: Next
	s.waitPaint()
	s.waitQRGone()
	// A wrong code first: refused, nothing stored.
	s.typeText(wrongCode(t, secret))
	s.waitPaint()
	s.shot("wrong-code")
	if out, _, _ := s.run("", "user", "show", account); !strings.Contains(out, "none registered") {
		t.Fatalf("a wrong code registered something:\n%s", out)
	}
	s.typeText(totp(t, secret))
	s.eventually("the authenticator app registered", func() bool {
		out, _, _ := s.run("", "user", "show", account)
		return strings.Contains(out, "authenticator-app")
	})
	s.waitPaint()
	s.shot("registered")

	// The keyring holds exactly the key from the QR code.
	show, _, _ := s.run("", "user", "show", account)
	service := regexp.MustCompile(`keyring:\s+service (\S+)`).FindStringSubmatch(show)
	id := regexp.MustCompile(`authenticator-app .* id (\S+)`).FindStringSubmatch(show)
	if service == nil || id == nil {
		t.Fatalf("user show lacks the keyring service or method id:\n%s", show)
	}
	got, err := exec.Command("secret-tool", "lookup", "service", service[1], "username", account+"/"+id[1]).Output()
	if err != nil {
		t.Fatalf("secret-tool found no keyring item: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(got)))
	want, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil || string(raw) != string(want) {
		t.Errorf("the keyring item is not the key from the QR code")
	}

	return secret
}

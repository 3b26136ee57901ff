//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
)

// directoryPolicy writes a kiosk policy whose [directory] table points at
// srv, and stores the station's bind password with the admin command.
func (s *session) directoryPolicy(srv *slapdtest.Server) string {
	s.t.Helper()
	policy := filepath.Join(s.root, "policy.toml")
	text := fmt.Sprintf(`organisation = "Contoso"
mode = "kiosk"
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone"]

[directory]
url = %q
base_dn = %q
account_filter = "(|(uid=%%s)(mail=%%s))"
bind_dn = %q
helpdesk_group = %q
`, srv.URL, srv.BaseDN, srv.StationDN, dirassets.HelpdeskGroupDN)
	if err := os.WriteFile(policy, []byte(text), 0o600); err != nil {
		s.t.Fatal(err)
	}
	if _, errOut, code := s.run(srv.StationPassword+"\n", "--policy", policy, "directory", "credential"); code != 0 {
		s.t.Fatalf("directory credential: exit %d: %s", code, errOut)
	}
	return policy
}

// ldapwhoami binds as dn with password from outside the app; it returns
// ldapwhoami's exit code (49 is invalid credentials).
func ldapwhoami(t *testing.T, srv *slapdtest.Server, dn, password string) int {
	t.Helper()
	err := exec.Command("ldapwhoami", "-x", "-H", srv.URL, "-D", dn, "-w", password).Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("ldapwhoami: %v", err)
	}
	return 0
}

// totpAt is the code for secret at when.
func totpAt(t *testing.T, secret string, when time.Time) string {
	t.Helper()
	out, err := exec.Command("oathtool", "--totp", "-b", secret, "-N", "@"+strconv.FormatInt(when.Unix(), 10)).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// TestRealWindow_DirectoryKiosk: a walk-up enrolls the authenticator app at
// a kiosk whose policy points at the organisation's directory. From
// outside, the directory then requires password+code at every bind
// (ldapwhoami), each code once, whether used at the kiosk or by LDAP; only
// the station sees the token; and the kiosk keeps nothing of the person.
func TestRealWindow_DirectoryKiosk(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"zbarimg", "oathtool", "ldapwhoami", "secret-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make test`, which installs it", tool)
		}
	}
	srv := slapdtest.Start(t, slapdtest.Options{})
	dana := srv.AddPerson("dana", "dana-password-1", false)
	eve := srv.AddPerson("eve", "eve-password-1", false)
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
	s.key("Return") // Start by getting the app: Next
	s.waitPaint()
	s.key("Return") // Set up your account: Next
	s.waitPaint()
	out, err := exec.Command("zbarimg", "--raw", "-q", s.qrShot("directory-qr")).Output()
	if err != nil {
		t.Fatalf("zbarimg could not read a QR code on the screen: %v", err)
	}
	u, err := url.Parse(strings.TrimSpace(string(out)))
	if err != nil || u.Path != "/Contoso:dana@contoso.example" {
		t.Fatalf("the QR code holds %q", out)
	}
	secret := u.Query().Get("secret")
	s.key("Return") // Scan the QR code: Next
	s.waitPaint()
	s.waitQRGone()
	registered := time.Now()
	s.typeText(totpAt(t, secret, registered))

	// The station sees the token entry; the person's entry is linked to it.
	tokenDN := ""
	s.eventually("the token in the directory", func() bool {
		res, err := srv.Station().Search(ldap.NewSearchRequest(dana, ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 0, 0, false,
			"(objectClass=oathTOTPToken)", []string{"oathSecret", "oathTOTPLastTimeStep"}, nil))
		if err != nil || len(res.Entries) != 1 {
			return false
		}
		tokenDN = res.Entries[0].DN
		return len(res.Entries[0].GetRawAttributeValue("oathSecret")) == 20
	})
	s.waitPaint()
	s.shot("directory-registered")

	// From outside: the password alone fails; the code typed at the kiosk
	// fails (used); the next code works, once.
	if got := ldapwhoami(t, srv, dana, "dana-password-1"); got != 49 {
		t.Errorf("ldapwhoami with the password alone: exit %d, want 49", got)
	}
	if got := ldapwhoami(t, srv, dana, "dana-password-1"+totpAt(t, secret, registered)); got != 49 {
		t.Errorf("ldapwhoami with the code used at the kiosk: exit %d, want 49", got)
	}
	next := totpAt(t, secret, registered.Add(30*time.Second))
	if got := ldapwhoami(t, srv, dana, "dana-password-1"+next); got != 0 {
		t.Fatalf("ldapwhoami with password and a new code: exit %d, want 0", got)
	}
	if got := ldapwhoami(t, srv, dana, "dana-password-1"+next); got != 49 {
		t.Errorf("ldapwhoami with the same code again: exit %d, want 49", got)
	}

	// Another person sees nothing of dana's token.
	conn, err := srv.Dial(eve, "eve-password-1")
	if err != nil {
		t.Fatal(err)
	}
	res, err := conn.Search(ldap.NewSearchRequest(tokenDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", []string{"oathSecret"}, nil))
	if err == nil && len(res.Entries) > 0 {
		t.Errorf("eve can read dana's token: %+v", res.Entries[0].Attributes)
	}
	conn.Close()

	// Done: back to sign-in. The code used by LDAP is refused at the kiosk.
	s.key("Return") // registered: Next
	s.waitTitle("Success")
	s.key("Return") // Done
	s.waitTitle("Sign in")
	s.typeText("dana")
	s.key("Return")
	s.typeText("dana-password-1")
	s.key("Return")
	s.waitPaint()
	s.shot("directory-code-asked")
	refused := s.refusedSignIns()
	s.typeText(next)
	s.key("Return")
	s.eventually("the used code refused", func() bool { return s.refusedSignIns() > refused })
	if got := s.title(); got != "Security Info — Sign in" {
		t.Fatalf("a code already used by ldapwhoami signed in at the kiosk: %s", got)
	}
	// A fresh code (a step after the one ldapwhoami used) signs in.
	for time.Now().Unix()/30 < registered.Unix()/30+1 {
		time.Sleep(200 * time.Millisecond)
	}
	s.typeText("dana-password-1") // a refused sign-in clears password and code
	s.key("Return")               // to the code field
	s.typeText(totpAt(t, secret, time.Now().Add(30*time.Second)))
	s.key("Return")
	s.waitTitle("You're all set")
	s.shot("directory-signed-in")
	s.stop()

	// The kiosk kept nothing of dana: no file mentions her or holds the
	// key, and the keyring has no item of hers.
	filepath.Walk(s.root, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || strings.HasSuffix(path, "policy.toml") {
			return nil
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(bytes.ToLower(b), []byte("dana")) {
			t.Errorf("the kiosk keeps %s, which mentions dana", path)
		}
		return nil
	})
	s.assertNoCanary(secret)
	if out, _ := exec.Command("secret-tool", "search", "--all", "username", "dana@contoso.example/"+strings.TrimPrefix(strings.SplitN(tokenDN, ",", 2)[0], "siMethodId=")).CombinedOutput(); len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("the keyring holds an item of dana's:\n%s", out)
	}
}

package slapdtest

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
	"golang.org/x/crypto/argon2"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
)

// ldapwhoami runs `ldapwhoami -x -H URL -D dn -w password` and returns its
// exit status: 0 for a successful bind, 49 for invalid credentials.
func ldapwhoami(t *testing.T, s *Server, dn, password string) int {
	t.Helper()
	out, err := exec.Command("ldapwhoami", "-x", "-H", s.URL, "-D", dn, "-w", password).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	default:
		t.Fatalf("ldapwhoami: %v\n%s", err, out)
		return -1
	}
}

// ldapsearch runs ldapsearch bound as dn and returns its exit status and
// output (LDIF).
func ldapsearch(t *testing.T, s *Server, dn, password, base, scope, filter string, attrs ...string) (int, string) {
	t.Helper()
	args := append([]string{"-LLL", "-o", "ldif-wrap=no", "-x", "-H", s.URL, "-D", dn, "-w", password,
		"-b", base, "-s", scope, filter}, attrs...)
	out, err := exec.Command("ldapsearch", args...).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	default:
		t.Fatalf("ldapsearch: %v\n%s", err, out)
		return -1, ""
	}
}

// newKey returns a 20-byte TOTP secret and its base32 form (as the app
// shows it).
func newKey(t *testing.T) ([]byte, string) {
	t.Helper()
	secret := make([]byte, 20)
	if _, err := rand.Read(secret); err != nil {
		t.Fatal(err)
	}
	return secret, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret)
}

// totp asks oathtool for the current code of a base32 key.
func totp(t *testing.T, key string) string {
	t.Helper()
	if _, err := exec.LookPath("oathtool"); err != nil {
		if os.Getenv(RequireEnv) != "" {
			t.Fatal("oathtool missing (Debian package oathtool); install with scripts/deps.sh test")
		}
		t.Skip("oathtool missing (Debian package oathtool); install with scripts/deps.sh test")
	}
	out, err := exec.Command("oathtool", "--totp", "-b", key).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// freshStep waits, if needed, until at least margin is left in the current
// 30-second step, so that a code and its uses fall in the same step.
func freshStep(margin time.Duration) {
	left := 30*time.Second - time.Duration(time.Now().UnixNano()%int64(30*time.Second))
	if left < margin {
		time.Sleep(left + 50*time.Millisecond)
	}
}

// phc hashes password the way the app does: argon2id, m=19456 KiB, t=2,
// p=1, 16-byte salt, 32-byte key, PHC string with unpadded base64.
func phc(t *testing.T, password string) string {
	t.Helper()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		t.Fatal(err)
	}
	key := argon2.IDKey([]byte(password), salt, 2, 19456, 1, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=19456,t=2,p=1$%s$%s", b64.EncodeToString(salt), b64.EncodeToString(key))
}

func attr(t *testing.T, conn *ldap.Conn, dn, name string) []string {
	t.Helper()
	res, err := conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
		0, 5, false, "(objectClass=*)", []string{name}, nil))
	if err != nil {
		t.Fatalf("read %s of %s: %v", name, dn, err)
	}
	return res.Entries[0].GetAttributeValues(name)
}

func TestStartLoadsTreeAndPeople(t *testing.T) {
	began := time.Now()
	s := Start(t, Options{People: true})
	t.Logf("slapd started and loaded in %v", time.Since(began).Round(time.Millisecond))

	for dn, pw := range map[string]string{
		dirassets.PersonDN("alice"): "alice-demo-2026",
		dirassets.PersonDN("bob"):   "bob-demo-2026",
		dirassets.PersonDN("carol"): "carol-demo-2026",
		s.StationDN:                 s.StationPassword,
	} {
		if got := ldapwhoami(t, s, dn, pw); got != 0 {
			t.Errorf("bind as %s with its password: exit %d, want 0", dn, got)
		}
	}
	if got := ldapwhoami(t, s, dirassets.PersonDN("alice"), "wrong"); got != 49 {
		t.Errorf("bind as alice with a wrong password: exit %d, want 49", got)
	}
	// Cleartext passwords are stored hashed with argon2.
	if pw := attr(t, s.Root(), dirassets.PersonDN("alice"), "userPassword"); len(pw) != 1 || !strings.HasPrefix(pw[0], "{ARGON2}$argon2") {
		t.Errorf("alice's userPassword = %q, want an {ARGON2} hash", pw)
	}
	// The station finds people by uid or mail and sees carol in the helpdesk group.
	res, err := s.Station().Search(ldap.NewSearchRequest(dirassets.PeopleDN, ldap.ScopeWholeSubtree,
		ldap.NeverDerefAliases, 0, 5, false, "(|(uid=bob@contoso.example)(mail=bob@contoso.example))", []string{"uid"}, nil))
	if err != nil || len(res.Entries) != 1 || res.Entries[0].GetAttributeValue("uid") != "bob" {
		t.Errorf("station search for bob by mail: %v, %v", res, err)
	}
	members := attr(t, s.Station(), s.HelpdeskGroupDN, "member")
	if !contains(members, dirassets.PersonDN("carol")) || contains(members, dirassets.PersonDN("alice")) {
		t.Errorf("helpdesk members = %q, want carol and not alice", members)
	}

	dn := s.AddPerson("dave", "dave-pw-1", true)
	if got := ldapwhoami(t, s, dn, "dave-pw-1"); got != 0 {
		t.Errorf("bind as the added person: exit %d", got)
	}
	if members := attr(t, s.Root(), s.HelpdeskGroupDN, "member"); !contains(members, dn) {
		t.Errorf("AddPerson(helpdesk): members = %q", members)
	}
}

func TestStopStartPauseKill(t *testing.T) {
	s := Start(t, Options{})
	dn := s.AddPerson("erin", "erin-pw-1", false)

	s.Stop()
	if _, err := s.Dial(dn, "erin-pw-1"); err == nil {
		t.Fatal("bind succeeded while slapd was stopped")
	}
	began := time.Now()
	s.Start()
	t.Logf("restart on the same data: %v", time.Since(began).Round(time.Millisecond))
	if got := ldapwhoami(t, s, dn, "erin-pw-1"); got != 0 {
		t.Fatalf("bind after restart: exit %d", got)
	}

	s.Pause()
	// The TCP connection is accepted by the kernel's backlog; the bind is
	// never answered.
	conn, err := ldap.DialURL(s.URL)
	if err != nil {
		t.Fatalf("dial while paused: %v", err)
	}
	conn.SetTimeout(300 * time.Millisecond)
	if err := conn.Bind(s.StationDN, s.StationPassword); err == nil {
		t.Fatal("bind answered while slapd was paused")
	}
	conn.Close()
	s.Resume()
	if got := ldapwhoami(t, s, dn, "erin-pw-1"); got != 0 {
		t.Fatalf("bind after resume: exit %d", got)
	}

	s.Kill()
	if s.Running() {
		t.Fatal("Running after Kill")
	}
	s.Start()
	if got := ldapwhoami(t, s, dn, "erin-pw-1"); got != 0 {
		t.Fatalf("bind after a crash and restart: exit %d", got)
	}
}

func TestTOTPBind(t *testing.T) {
	s := Start(t, Options{})
	dn := s.AddPerson("frank", "frank-pw-1", false)
	secret, key := newKey(t)
	s.AddAuthenticator("frank", "m1", secret)

	freshStep(5 * time.Second)
	code := totp(t, key)
	if got := ldapwhoami(t, s, dn, "frank-pw-1"); got != 49 {
		t.Errorf("password alone: exit %d, want 49", got)
	}
	if got := ldapwhoami(t, s, dn, "frank-pw-1"+code); got != 0 {
		t.Fatalf("password+code: exit %d, want 0", got)
	}
	if got := ldapwhoami(t, s, dn, "frank-pw-1"+code); got != 49 {
		t.Errorf("password+the same code again: exit %d, want 49", got)
	}
	if got := ldapwhoami(t, s, dn, "wrong-pw"+code); got != 49 {
		t.Errorf("wrong password+code: exit %d, want 49", got)
	}
	step := strconv.FormatInt(time.Now().Unix()/30, 10)
	if got := attr(t, s.Station(), MethodDN("frank", "m1"), "oathTOTPLastTimeStep"); len(got) != 1 || got[0] != step {
		t.Errorf("oathTOTPLastTimeStep = %q, want [%s]", got, step)
	}
}

func TestAppPasswordArgon2(t *testing.T) {
	s := Start(t, Options{})
	s.AddPerson("gina", "gina-pw-1", false)
	secret, _ := newKey(t)
	s.AddAuthenticator("gina", "m1", secret) // app passwords bypass the code
	const app = "qwertzuiopasdfgh"
	dn := s.AddAppPassword("gina", "ap1", "Mail on phone", phc(t, app))

	if got := ldapwhoami(t, s, dn, app); got != 0 {
		t.Fatalf("bind with the app password (argon2id PHC from Go): exit %d, want 0", got)
	}
	if got := ldapwhoami(t, s, dn, "qwertzuiopasdfgx"); got != 49 {
		t.Errorf("bind with a wrong app password: exit %d, want 49", got)
	}
	// The station can replace the app password (a new PHC hash) but not read it.
	st := s.Station()
	mod := ldap.NewModifyRequest(dn, nil)
	mod.Replace("userPassword", []string{"{ARGON2}" + phc(t, "zxcvbnmlkjhgfdsa")})
	if err := st.Modify(mod); err != nil {
		t.Fatalf("station replaces an app password: %v", err)
	}
	if got := attr(t, st, dn, "userPassword"); len(got) != 0 {
		t.Errorf("station reads the app password hash: %q", got)
	}
	if got := ldapwhoami(t, s, dn, "zxcvbnmlkjhgfdsa"); got != 0 {
		t.Errorf("bind with the replaced app password: exit %d", got)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

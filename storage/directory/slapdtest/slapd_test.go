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

// totp asks oathtool for the current code of a base32 key and returns it
// with its time step (the value slapo-otp then records as
// oathTOTPLastTimeStep). slapd accepts the code for the step either side,
// so a test has at least 30 s to use it.
func totp(t *testing.T, key string) (code, step string) {
	t.Helper()
	if _, err := exec.LookPath("oathtool"); err != nil {
		if os.Getenv(RequireEnv) != "" {
			t.Fatal("oathtool missing (Debian package oathtool); install with scripts/deps.sh test")
		}
		t.Skip("oathtool missing (Debian package oathtool); install with scripts/deps.sh test")
	}
	for {
		before := time.Now().Unix() / 30
		out, err := exec.Command("oathtool", "--totp", "-b", key).Output()
		if err != nil {
			t.Fatalf("oathtool: %v", err)
		}
		if after := time.Now().Unix() / 30; after == before {
			return strings.TrimSpace(string(out)), strconv.FormatInt(before, 10)
		}
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
	s := Start(t, Options{})
	dn := s.AddPerson("frank", "frank-pw-1", false)
	secret, key := newKey(t)
	s.AddAuthenticator("frank", "m1", secret)

	code, step := totp(t, key)
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

func TestACL(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{People: true})
	alice, bob := dirassets.PersonDN("alice"), dirassets.PersonDN("bob")
	secret, _ := newKey(t)
	token := s.AddAuthenticator("alice", "m1", secret)
	app := s.AddAppPassword("alice", "ap1", "Mail", phc(t, "asdfghjklqwertzu"))

	// Another person sees neither alice's token entry nor its secret.
	rc, out := ldapsearch(t, s, bob, "bob-demo-2026", token, "base", "(objectClass=*)", "oathSecret", "siKind")
	if rc == 0 || strings.Contains(out, "oathSecret") || strings.Contains(out, "siKind") {
		t.Errorf("bob reads alice's token entry: exit %d\n%s", rc, out)
	}
	rc, out = ldapsearch(t, s, bob, "bob-demo-2026", alice, "sub", "(objectClass=siMethod)")
	if strings.Contains(out, "dn:") {
		t.Errorf("bob lists alice's methods: exit %d\n%s", rc, out)
	}
	rc, out = ldapsearch(t, s, bob, "bob-demo-2026", dirassets.PeopleDN, "sub", "(siKind=*)")
	if strings.Contains(out, "dn:") {
		t.Errorf("bob finds methods under ou=people: exit %d\n%s", rc, out)
	}
	// Alice sees her own methods, but not the secret or the app password hash.
	rc, out = ldapsearch(t, s, alice, "alice-demo-2026"+totpNow(t, secret), alice, "sub", "(objectClass=siMethod)", "*")
	if rc != 0 || !strings.Contains(out, "dn: "+token) || !strings.Contains(out, "dn: "+app) ||
		strings.Contains(out, "oathSecret") || strings.Contains(out, "userPassword") {
		t.Errorf("alice lists her own methods: exit %d\n%s", rc, out)
	}
	// The station reads and writes everything the app needs.
	rc, out = ldapsearch(t, s, s.StationDN, s.StationPassword, token, "base", "(objectClass=*)", "oathSecret")
	if rc != 0 || !strings.Contains(out, "oathSecret:: ") {
		t.Errorf("station reads the token's oathSecret: exit %d\n%s", rc, out)
	}
	st := s.Station()
	if got := attr(t, st, token, "oathSecret"); len(got) != 1 || got[0] != string(secret) {
		t.Errorf("station reads oathSecret %x, want %x", got, secret)
	}
	if got := attr(t, st, alice, "userPassword"); len(got) != 0 {
		t.Errorf("station reads a person's password hash: %q", got)
	}
	// A station may set (never read) a person's password: a self-service
	// password reset does, after the person proved who they are.
	mod := ldap.NewModifyRequest(alice, nil)
	mod.Replace("userPassword", []string{"set-by-station"})
	if err := st.Modify(mod); err != nil {
		t.Errorf("station sets a person's password: %v", err)
	}
	tap := "cn=tap," + alice
	add := ldap.NewAddRequest(tap, nil)
	add.Attribute("objectClass", []string{"siPass"})
	add.Attribute("cn", []string{"tap"})
	add.Attribute("siHash", []string{phc(t, "ABCDEFGHJKLM")})
	add.Attribute("siIssued", []string{"20260101000000Z"})
	add.Attribute("siExpires", []string{"20260101010000Z"})
	add.Attribute("siOneTime", []string{"TRUE"})
	if err := st.Add(add); err != nil {
		t.Fatalf("station issues a Temporary Access Pass: %v", err)
	}
	rc, out = ldapsearch(t, s, bob, "bob-demo-2026", tap, "base", "(objectClass=*)")
	if strings.Contains(out, "siHash") {
		t.Errorf("bob reads alice's pass: exit %d\n%s", rc, out)
	}
	if err := st.Del(ldap.NewDelRequest(tap, nil)); err != nil {
		t.Errorf("station deletes the pass: %v", err)
	}
	if _, err := st.Search(ldap.NewSearchRequest(s.HelpdeskGroupDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
		0, 5, false, "(member="+dirassets.PersonDN("carol")+")", []string{"1.1"}, nil)); err != nil {
		t.Errorf("station checks helpdesk membership: %v", err)
	}
	mod = ldap.NewModifyRequest(s.HelpdeskGroupDN, nil)
	mod.Add("member", []string{bob})
	if err := st.Modify(mod); err == nil {
		t.Errorf("station changes the helpdesk group")
	}
	// A person reads nobody else's entry.
	rc, out = ldapsearch(t, s, bob, "bob-demo-2026", alice, "base", "(objectClass=*)")
	if strings.Contains(out, "dn:") {
		t.Errorf("bob reads alice's entry: exit %d\n%s", rc, out)
	}
}

func TestAuditAppendOnly(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{People: true})
	st := s.Station()
	dn := "siAuditId=a1," + dirassets.AuditDN
	add := ldap.NewAddRequest(dn, nil)
	add.Attribute("objectClass", []string{"siAuditEntry"})
	add.Attribute("siAuditId", []string{"a1"})
	add.Attribute("siTime", []string{"20260102030405Z"})
	add.Attribute("siAction", []string{"method-added"})
	add.Attribute("siActor", []string{"alice"})
	add.Attribute("siAccount", []string{"alice@contoso.example"})
	add.Attribute("siStation", []string{"station1"})
	add.Attribute("siDetail", []string{"authenticator-app"})
	if err := st.Add(add); err != nil {
		t.Fatalf("station appends to the audit log: %v", err)
	}
	res, err := st.Search(ldap.NewSearchRequest(dirassets.AuditDN, ldap.ScopeSingleLevel, ldap.NeverDerefAliases,
		0, 5, false, "(&(siTime>=20260101000000Z)(siAccount=ALICE@contoso.example))", []string{"siAction"}, nil))
	if err != nil || len(res.Entries) != 1 || res.Entries[0].GetAttributeValue("siAction") != "method-added" {
		t.Errorf("station searches the audit log by time and account: %v, %v", res, err)
	}
	mod := ldap.NewModifyRequest(dn, nil)
	mod.Replace("siAction", []string{"nothing-happened"})
	if err := st.Modify(mod); !ldap.IsErrorWithCode(err, ldap.LDAPResultInsufficientAccessRights) {
		t.Errorf("station modifies an audit record: %v, want insufficient access", err)
	}
	if err := st.Del(ldap.NewDelRequest(dn, nil)); !ldap.IsErrorWithCode(err, ldap.LDAPResultInsufficientAccessRights) {
		t.Errorf("station deletes an audit record: %v, want insufficient access", err)
	}
	if err := st.ModifyDN(ldap.NewModifyDNRequest(dn, "siAuditId=a2", true, "")); err == nil {
		t.Errorf("station renames an audit record")
	}
	rc, out := ldapsearch(t, s, dirassets.PersonDN("alice"), "alice-demo-2026", dirassets.AuditDN, "sub", "(objectClass=*)")
	if strings.Contains(out, "siAction") {
		t.Errorf("a person reads the audit log: exit %d\n%s", rc, out)
	}
}

// totpNow is the current TOTP code of a raw secret.
func totpNow(t *testing.T, secret []byte) string {
	t.Helper()
	code, _ := totp(t, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret))
	return code
}

// relax is the Relax Rules control (draft-zeilenga-ldap-relax), which
// lets a client with manage access change NO-USER-MODIFICATION attributes
// such as ppolicy's pwdFailureTime.
var relax = ldap.NewControlString("1.3.6.1.4.1.4203.666.5.12", true, "")

func TestPPolicyLockoutAndUnlock(t *testing.T) {
	t.Parallel()
	// Locked at 5 failed binds, not the shipped 100 (TestShippedPolicyLocksAtTheHundredth).
	s := Start(t, Options{MaxFailure: 5})
	dn := s.AddPerson("hank", "hank-pw-1", false)
	st := s.Station()

	for i := 0; i < 5; i++ {
		if got := ldapwhoami(t, s, dn, "wrong"); got != 49 {
			t.Fatalf("wrong password %d: exit %d", i+1, got)
		}
	}
	if got := ldapwhoami(t, s, dn, "hank-pw-1"); got != 49 {
		t.Fatalf("right password after 5 failures: exit %d, want 49 (locked)", got)
	}
	locked := attr(t, st, dn, "pwdAccountLockedTime")
	if len(locked) != 1 {
		t.Fatalf("station sees pwdAccountLockedTime %q, want one value", locked)
	}
	if got := attr(t, st, dn, "pwdFailureTime"); len(got) != 5 {
		t.Errorf("pwdFailureTime has %d values, want 5", len(got))
	}

	// Unlock: delete the lock time; ppolicy also drops the failure times.
	mod := ldap.NewModifyRequest(dn, nil)
	mod.Delete("pwdAccountLockedTime", nil)
	if err := st.Modify(mod); err != nil {
		t.Fatalf("station deletes pwdAccountLockedTime: %v", err)
	}
	if got := attr(t, st, dn, "pwdFailureTime"); len(got) != 0 {
		t.Errorf("after deleting pwdAccountLockedTime pwdFailureTime = %q, want none (ppolicy drops them)", got)
	}
	if got := ldapwhoami(t, s, dn, "hank-pw-1"); got != 0 {
		t.Fatalf("right password after unlock: exit %d, want 0", got)
	}
	// One failure after an unlock does not lock again at once.
	if got := ldapwhoami(t, s, dn, "wrong"); got != 49 {
		t.Fatalf("wrong password: exit %d", got)
	}
	if got := ldapwhoami(t, s, dn, "wrong"); got != 49 {
		t.Fatalf("wrong password: exit %d", got)
	}
	// Failures short of a lock: the station clears them, which needs the
	// Relax control (pwdFailureTime is NO-USER-MODIFICATION) and manage.
	mod = ldap.NewModifyRequest(dn, nil)
	mod.Delete("pwdFailureTime", nil)
	if err := st.Modify(mod); err == nil {
		t.Errorf("station deletes pwdFailureTime without the Relax control: no error")
	}
	mod = ldap.NewModifyRequest(dn, []ldap.Control{relax})
	mod.Delete("pwdFailureTime", nil)
	if err := st.Modify(mod); err != nil {
		t.Fatalf("station deletes pwdFailureTime with the Relax control: %v", err)
	}
	if got := attr(t, st, dn, "pwdFailureTime"); len(got) != 0 {
		t.Errorf("pwdFailureTime = %q after the station cleared it", got)
	}
	if got := ldapwhoami(t, s, dn, "hank-pw-1"); got != 0 {
		t.Errorf("right password after unlock and two failures: exit %d, want 0", got)
	}
}

func TestPPolicyCountsWrongCodes(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	dn := s.AddPerson("ivan", "ivan-pw-1", false)
	secret, _ := newKey(t)
	s.AddAuthenticator("ivan", "m1", secret)
	code := totpNow(t, secret)
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, code)+1)%1000000)
	for i := 0; i < 2; i++ {
		if got := ldapwhoami(t, s, dn, "ivan-pw-1"+wrong); got != 49 {
			t.Fatalf("right password, wrong code: exit %d", got)
		}
	}
	if got := attr(t, s.Station(), dn, "pwdFailureTime"); len(got) != 2 {
		t.Errorf("after 2 wrong codes pwdFailureTime has %d values, want 2 (a wrong code is a failed bind)", len(got))
	}
	if got := ldapwhoami(t, s, dn, "ivan-pw-1"+code); got != 0 {
		t.Fatalf("right password and code: exit %d", got)
	}
	if got := attr(t, s.Station(), dn, "pwdFailureTime"); len(got) != 0 {
		t.Errorf("after a good bind pwdFailureTime = %q, want none", got)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// poll calls f every 20 ms until it reports true or timeout passes, and
// returns how long it took (or -1 if it never did).
func poll(timeout time.Duration, f func() bool) time.Duration {
	began := time.Now()
	for time.Since(began) < timeout {
		if f() {
			return time.Since(began)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return -1
}

func lastStep(t *testing.T, s *Server, uid string) string {
	t.Helper()
	v := attr(t, s.Root(), MethodDN(uid, "m1"), "oathTOTPLastTimeStep")
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func TestReplication(t *testing.T) {
	t.Parallel()
	s1, s2 := StartPair(t, Options{People: true})

	// An entry added on either provider appears on the other.
	dn := s1.AddPerson("rep1", "rep1-pw", false)
	took := poll(5*time.Second, func() bool { return s2.exists(dn) == nil })
	t.Logf("MEASURE add on 1 seen on 2 after %v", took)
	if took < 0 {
		t.Fatal("an entry added on server 1 did not reach server 2 within 5 s")
	}
	dn = s2.AddPerson("rep2", "rep2-pw", false)
	took = poll(5*time.Second, func() bool { return s1.exists(dn) == nil })
	t.Logf("MEASURE add on 2 seen on 1 after %v", took)
	if took < 0 {
		t.Fatal("an entry added on server 2 did not reach server 1 within 5 s")
	}
	// A change the app makes (a person's settings, siAccount).
	mod := ldap.NewModifyRequest(dn, nil)
	mod.Add("objectClass", []string{"siAccount"})
	mod.Replace("siSnoozes", []string{"2"})
	if err := s2.Station().Modify(mod); err != nil {
		t.Fatalf("station modifies a person on server 2: %v", err)
	}
	took = poll(5*time.Second, func() bool {
		v := attr(t, s1.Root(), dn, "siSnoozes")
		return len(v) == 1 && v[0] == "2"
	})
	t.Logf("MEASURE modify on 2 seen on 1 after %v", took)
	if took < 0 {
		t.Fatal("a modify on server 2 did not reach server 1 within 5 s")
	}
	if got := ldapwhoami(t, s2, dirassets.PersonDN("rep1"), "rep1-pw"); got != 0 {
		t.Errorf("bind on server 2 as a person added on server 1: exit %d", got)
	}
	if got := ldapwhoami(t, s1, s1.StationDN, s1.StationPassword); got != 0 {
		t.Errorf("station bind on server 1: exit %d", got)
	}
	if got := ldapwhoami(t, s2, s2.StationDN, s2.StationPassword); got != 0 {
		t.Errorf("station bind on server 2: exit %d", got)
	}
}

// TestSingleUseAcrossServers: a TOTP code used on one provider can't be
// replayed on the other. slapo-otp's own record of the step reaches the
// other provider through delta-syncrepl (replication.conf), the app's
// write of it as the station (after each of its own binds) replicates too,
// and an unrelated change to the token entry on the other provider no
// longer takes the step back. README.md records the figures.
func TestSingleUseAcrossServers(t *testing.T) {
	t.Parallel()
	s1, s2 := StartPair(t, Options{})
	keys := map[string][]byte{}
	for _, uid := range []string{"otp1", "otp2", "otp3"} {
		s1.AddPerson(uid, uid+"-pw", false)
		keys[uid], _ = newKey(t)
		s1.AddAuthenticator(uid, "m1", keys[uid])
	}
	for _, uid := range []string{"otp1", "otp2", "otp3"} {
		if err := s2.WaitFor(MethodDN(uid, "m1"), 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if poll(5*time.Second, func() bool {
		return len(attr(t, s2.Root(), dirassets.PersonDN("otp3"), "oathTOTPToken")) == 1
	}) < 0 {
		t.Fatal("the oathTOTPUser link did not reach server 2")
	}
	code, steps := map[string]string{}, map[string]string{}
	for uid, k := range keys {
		code[uid], steps[uid] = totp(t, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(k))
	}

	// 1. slapo-otp's own record of the used step (an internal modify
	// without an entryCSN, which reaches server 2 only through the change
	// log: delta-syncrepl).
	if got := ldapwhoami(t, s1, dirassets.PersonDN("otp1"), "otp1-pw"+code["otp1"]); got != 0 {
		t.Fatalf("otp1: password+code on server 1: exit %d", got)
	}
	if got := lastStep(t, s1, "otp1"); got != steps["otp1"] {
		t.Fatalf("otp1: server 1 recorded oathTOTPLastTimeStep %q, want %s", got, steps["otp1"])
	}
	took := poll(5*time.Second, func() bool { return lastStep(t, s2, "otp1") == steps["otp1"] })
	t.Logf("MEASURE otp's own oathTOTPLastTimeStep reached server 2: %v (-1: not within 5 s); server 2 has %q",
		took, lastStep(t, s2, "otp1"))
	if took < 0 {
		t.Errorf("slapo-otp's oathTOTPLastTimeStep did not reach server 2 within 5 s")
	}
	replay := ldapwhoami(t, s2, dirassets.PersonDN("otp1"), "otp1-pw"+code["otp1"])
	t.Logf("MEASURE replay of the code on server 2 after a bind on server 1 (no station write): exit %d", replay)
	if replay != 49 {
		t.Errorf("the code used on server 1 replayed on server 2 (no station write): exit %d, want 49", replay)
	}

	// 2. The app's fix: the station writes the step with a normal modify on
	// the server it used; replication carries it; the replay is refused.
	if got := ldapwhoami(t, s1, dirassets.PersonDN("otp2"), "otp2-pw"+code["otp2"]); got != 0 {
		t.Fatalf("otp2: password+code on server 1: exit %d", got)
	}
	mod := ldap.NewModifyRequest(MethodDN("otp2", "m1"), nil)
	mod.Replace("oathTOTPLastTimeStep", []string{steps["otp2"]})
	wrote := time.Now()
	if err := s1.Station().Modify(mod); err != nil {
		t.Fatalf("station writes oathTOTPLastTimeStep on server 1: %v", err)
	}
	took = poll(5*time.Second, func() bool { return lastStep(t, s2, "otp2") == steps["otp2"] })
	t.Logf("MEASURE station-written oathTOTPLastTimeStep reached server 2 after %v", took)
	if took < 0 {
		t.Fatalf("the station's oathTOTPLastTimeStep did not reach server 2 within 5 s (%v since the write)", time.Since(wrote))
	}
	if got := ldapwhoami(t, s2, dirassets.PersonDN("otp2"), "otp2-pw"+code["otp2"]); got != 49 {
		t.Errorf("replay on server 2 after the station's write: exit %d, want 49", got)
	}
	if got := ldapwhoami(t, s1, dirassets.PersonDN("otp2"), "otp2-pw"+code["otp2"]); got != 49 {
		t.Errorf("replay on server 1: exit %d, want 49", got)
	}

	// 3. Can replication roll otp's unreplicated step back? A bind on
	// server 1, then an unrelated change to the token entry on server 2.
	if got := ldapwhoami(t, s1, dirassets.PersonDN("otp3"), "otp3-pw"+code["otp3"]); got != 0 {
		t.Fatalf("otp3: password+code on server 1: exit %d", got)
	}
	mod = ldap.NewModifyRequest(MethodDN("otp3", "m1"), nil)
	mod.Replace("siLabel", []string{"Renamed on server 2"})
	if err := s2.Station().Modify(mod); err != nil {
		t.Fatalf("station renames the method on server 2: %v", err)
	}
	if poll(5*time.Second, func() bool {
		v := attr(t, s1.Root(), MethodDN("otp3", "m1"), "siLabel")
		return len(v) == 1 && v[0] == "Renamed on server 2"
	}) < 0 {
		t.Fatal("the rename on server 2 did not reach server 1")
	}
	t.Logf("MEASURE after an unrelated change on server 2, server 1's oathTOTPLastTimeStep is %q (was %s)",
		lastStep(t, s1, "otp3"), steps["otp3"])
	replay = ldapwhoami(t, s1, dirassets.PersonDN("otp3"), "otp3-pw"+code["otp3"])
	t.Logf("MEASURE replay on server 1 after that: exit %d", replay)
	if replay != 49 {
		t.Errorf("an unrelated change on server 2 re-enabled the used code on server 1: exit %d, want 49", replay)
	}
}

func TestLockoutAcrossServers(t *testing.T) {
	t.Parallel()
	// Locked at 5 failed binds, not the shipped 100 (TestShippedPolicyLocksAtTheHundredth).
	s1, s2 := StartPair(t, Options{MaxFailure: 5})
	dn := s1.AddPerson("lock1", "lock1-pw", false)
	if err := s2.WaitFor(dn, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		ldapwhoami(t, s1, dn, "wrong")
	}
	if got := attr(t, s1.Station(), dn, "pwdAccountLockedTime"); len(got) != 1 {
		t.Fatalf("server 1 did not lock after 5 failures: %q", got)
	}
	took := poll(5*time.Second, func() bool { return len(attr(t, s2.Root(), dn, "pwdAccountLockedTime")) == 1 })
	t.Logf("MEASURE ppolicy lock on server 1 reached server 2 after %v", took)
	if took < 0 {
		t.Fatal("a lock on server 1 did not reach server 2 within 5 s")
	}
	if got := ldapwhoami(t, s2, dn, "lock1-pw"); got != 49 {
		t.Errorf("right password on server 2 after a lock on server 1: exit %d, want 49", got)
	}
	// The helpdesk unlocks on server 2; server 1 lets the person in again.
	mod := ldap.NewModifyRequest(dn, nil)
	mod.Delete("pwdAccountLockedTime", nil)
	if err := s2.Station().Modify(mod); err != nil {
		t.Fatalf("station unlocks on server 2: %v", err)
	}
	took = poll(5*time.Second, func() bool {
		return len(attr(t, s1.Root(), dn, "pwdAccountLockedTime")) == 0 &&
			len(attr(t, s1.Root(), dn, "pwdFailureTime")) == 0
	})
	t.Logf("MEASURE unlock on server 2 reached server 1 after %v", took)
	if took < 0 {
		t.Fatal("an unlock on server 2 did not reach server 1 within 5 s")
	}
	if got := ldapwhoami(t, s1, dn, "lock1-pw"); got != 0 {
		t.Errorf("right password on server 1 after an unlock on server 2: exit %d, want 0", got)
	}
}

// TestStationRegistersAuthenticator does as the station account what the
// directory backend does: add the token entry, link the person to it,
// then remove it again (unlink first: a dangling link locks the person out).
func TestStationRegistersAuthenticator(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{People: true})
	st := s.Station()
	bob := dirassets.PersonDN("bob")
	secret, key := newKey(t)
	token := MethodDN("bob", "m7")

	add := ldap.NewAddRequest(token, nil)
	add.Attribute("objectClass", []string{"siMethod", "oathTOTPToken"})
	add.Attribute("siMethodId", []string{"m7"})
	add.Attribute("siKind", []string{"authenticator-app"})
	add.Attribute("siCreated", []string{"20260102030405Z"})
	add.Attribute("oathSecret", []string{string(secret)})
	add.Attribute("oathTOTPParams", []string{dirassets.TOTPParamsDN})
	if err := st.Add(add); err != nil {
		t.Fatalf("station adds the token entry: %v", err)
	}
	link := ldap.NewModifyRequest(bob, nil)
	link.Add("objectClass", []string{"oathTOTPUser"})
	link.Add("oathTOTPToken", []string{token})
	if err := st.Modify(link); err != nil {
		t.Fatalf("station links bob to the token: %v", err)
	}
	code, _ := totp(t, key)
	if got := ldapwhoami(t, s, bob, "bob-demo-2026"); got != 49 {
		t.Errorf("bob's password alone after registration: exit %d, want 49", got)
	}
	if got := ldapwhoami(t, s, bob, "bob-demo-2026"+code); got != 0 {
		t.Errorf("bob's password+code: exit %d, want 0", got)
	}
	// The app's own bind check on a connection bound as the station, then
	// back to the station: a rebind on one connection works.
	conn := s.Station()
	if err := conn.Bind(dirassets.PersonDN("alice"), "alice-demo-2026"); err != nil {
		t.Errorf("rebind as alice on a station connection: %v", err)
	}
	if err := conn.Bind(s.StationDN, s.StationPassword); err != nil {
		t.Errorf("rebind as the station: %v", err)
	}

	// Removed in the wrong order, the dangling link fails every bind.
	if err := st.Del(ldap.NewDelRequest(token, nil)); err != nil {
		t.Fatalf("station deletes the token entry: %v", err)
	}
	if got := ldapwhoami(t, s, bob, "bob-demo-2026"); got != 49 {
		t.Errorf("bob's password with a dangling oathTOTPToken link: exit %d, want 49 (measured)", got)
	}
	unlink := ldap.NewModifyRequest(bob, nil)
	unlink.Delete("oathTOTPToken", nil)
	unlink.Delete("objectClass", []string{"oathTOTPUser"})
	if err := st.Modify(unlink); err != nil {
		t.Fatalf("station unlinks bob: %v", err)
	}
	if got := ldapwhoami(t, s, bob, "bob-demo-2026"); got != 0 {
		t.Errorf("bob's password alone after removal: exit %d, want 0", got)
	}
}

// TestStationSearchesPastSizeLimit: searches are limited to 500 entries
// (sizelimit) except for stations, which page or search through all.
func TestStationSearchesPastSizeLimit(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	var b strings.Builder
	for i := 0; i < 520; i++ {
		fmt.Fprintf(&b, "dn: uid=p%03d,%s\nobjectClass: inetOrgPerson\nuid: p%03d\ncn: p%03d\nsn: p\n\n",
			i, dirassets.PeopleDN, i, i)
	}
	s.Load([]byte(b.String()))
	st := s.Station()
	req := func() *ldap.SearchRequest {
		return ldap.NewSearchRequest(dirassets.PeopleDN, ldap.ScopeSingleLevel, ldap.NeverDerefAliases,
			0, 0, false, "(objectClass=inetOrgPerson)", []string{"uid"}, nil)
	}
	res, err := st.SearchWithPaging(req(), 100)
	if err != nil || len(res.Entries) != 520 {
		t.Fatalf("station pages through 520 people: %d entries, %v", len(res.Entries), err)
	}
	res, err = st.Search(req())
	if err != nil || len(res.Entries) != 520 {
		t.Errorf("station searches 520 people without paging: %d entries, %v", len(res.Entries), err)
	}
}

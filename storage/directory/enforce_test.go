package directory_test

import (
	"encoding/base32"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// seed is a 20-byte authenticator key.
var seed = []byte("0123456789abcdefghij")

// oathtool computes the current code for seed, as a person's phone would.
func oathtool(t *testing.T) string { return oathtoolAt(t, time.Now()) }

// oathtoolAt computes the code for seed at when: the next step's code is
// accepted too (the window is ±1 step), so a test needs no 30 s wait.
func oathtoolAt(t *testing.T, when time.Time) string {
	t.Helper()
	key := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(seed)
	out, err := exec.Command("oathtool", "--totp", "-b", key, "-N", "@"+strconv.FormatInt(when.Unix(), 10)).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// whoami runs ldapwhoami as dn with password and returns its exit code.
func whoami(t *testing.T, s *slapdtest.Server, dn, password string) int {
	t.Helper()
	cmd := exec.Command("ldapwhoami", "-x", "-H", s.URL, "-D", dn, "-w", password)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("ldapwhoami: %v\n%s", err, out)
	}
	return 0
}

func TestDirectory_AuthenticatorIsEnforcedAtEveryBind(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	const name = "alice@contoso.example"

	if whoami(t, s, dn, "alice-password-1") != 0 {
		t.Fatal("before registration, the password alone should bind")
	}
	if a, _ := d.Account("alice"); a.CodeAtBind {
		t.Fatal("CodeAtBind before any authenticator")
	}
	m := info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: time.Now()}
	if err := d.AddMethod(name, m, seed); err != nil {
		t.Fatal(err)
	}
	if a, _ := d.Account("alice"); !a.CodeAtBind {
		t.Error("CodeAtBind not set after registering an authenticator")
	}
	if code := whoami(t, s, dn, "alice-password-1"); code != 49 {
		t.Errorf("password alone after registration: ldapwhoami exit %d, want 49", code)
	}
	code := oathtool(t)
	if got := whoami(t, s, dn, "alice-password-1"+code); got != 0 {
		t.Fatalf("password+code: ldapwhoami exit %d, want 0", got)
	}
	if got := whoami(t, s, dn, "alice-password-1"+code); got != 49 {
		t.Errorf("the same code again: ldapwhoami exit %d, want 49", got)
	}
	// The step slapo-otp recorded is the one the app reads.
	ms, _ := d.Methods(name)
	if len(ms) != 1 || ms[0].LastStep != time.Now().Unix()/30 && ms[0].LastStep != time.Now().Unix()/30-1 {
		t.Errorf("LastStep after a bind = %+v, want the current step", ms)
	}

	// The app's own sign-in binds with password+code too.
	if _, err := d.Bind("alice", "alice-password-1"); !errors.Is(err, info.ErrWrongPassword) {
		t.Errorf("Bind with the password alone = %v, want ErrWrongPassword", err)
	}
	if a, err := d.Bind("alice", "alice-password-1"+oathtoolAt(t, time.Now().Add(30*time.Second))); err != nil || a.Name != name {
		t.Errorf("Bind with password+code = %+v, %v", a, err)
	}

	// Removing the app removes the enforcement: never a link to nothing.
	if err := d.RemoveMethod(name, "app1"); err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 0 {
		t.Errorf("after removing the app, the password alone: exit %d, want 0", got)
	}
}

func TestDirectory_SecondAuthenticatorKeepsTheFirstEnforced(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	const name = "alice@contoso.example"
	other := []byte("ABCDEFGHIJ0123456789")
	if err := d.AddMethod(name, info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	if err := d.AddMethod(name, info.Method{ID: "app2", Kind: info.KindAuthenticatorApp, Created: time.Now().Add(time.Second)}, other); err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "alice-password-1"+oathtool(t)); got != 0 {
		t.Fatalf("the first app's code: exit %d, want 0", got)
	}
	// Removing the enforced one moves enforcement to the other app.
	if err := d.RemoveMethod(name, "app1"); err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 49 {
		t.Errorf("password alone with app2 left: exit %d, want 49", got)
	}
	if a, _ := d.Account(name); !a.CodeAtBind {
		t.Error("CodeAtBind lost while an app is left")
	}
}

func TestDirectory_AppPasswordBinds(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	hash, err := secret.Hash("abcdefghijklmnop", strings.NewReader(strings.Repeat("s", 64)))
	if err != nil {
		t.Fatal(err)
	}
	m := info.Method{ID: "w1", Kind: info.KindAppPassword, Label: "Outlook", Created: time.Now(), Hash: hash}
	if err := d.AddMethod("alice", m, nil); err != nil {
		t.Fatal(err)
	}
	dn := slapdtest.MethodDN("alice", "w1")
	if got := whoami(t, s, dn, "abcdefghijklmnop"); got != 0 {
		t.Errorf("ldapwhoami with the app password: exit %d, want 0", got)
	}
	if got := whoami(t, s, dn, "abcdefghijklmnoq"); got != 49 {
		t.Errorf("ldapwhoami with a wrong app password: exit %d, want 49", got)
	}
}

func TestDirectory_LockoutAndUnlock(t *testing.T) {
	d, s := open(t, slapdtest.Options{MaxFailure: 5}) // base.ldif's 100: slapdtest.TestShippedPolicyLocksAtTheHundredth
	s.AddPerson("bob", "bob-password-1", false)
	for i := 0; i < 5; i++ { // pwdMaxFailure of this test's directory
		if _, err := d.Bind("bob", "wrong-password"); !errors.Is(err, info.ErrWrongPassword) && !errors.Is(err, info.ErrLocked) {
			t.Fatalf("wrong bind %d: %v", i, err)
		}
	}
	if _, err := d.Bind("bob", "bob-password-1"); !errors.Is(err, info.ErrLocked) {
		t.Fatalf("right password on a locked account = %v, want ErrLocked", err)
	}
	if a, _ := d.Account("bob"); !a.Locked || a.Failures < 5 {
		t.Errorf("Account after lock-out = %+v", a)
	}
	if err := d.Unlock("bob"); err != nil {
		t.Fatal(err)
	}
	if a, err := d.Bind("bob", "bob-password-1"); err != nil || a.Locked || a.Failures != 0 {
		t.Errorf("after Unlock: %+v, %v", a, err)
	}
}

func TestDirectory_AccountsComeFromTheDirectory(t *testing.T) {
	d, s := open(t)
	s.AddPerson("carol", "carol-password-1", true)
	if err := d.CreateAccount(info.Account{Name: "eve"}); !errors.Is(err, info.ErrNotSupported) {
		t.Errorf("CreateAccount = %v, want ErrNotSupported", err)
	}
	if a, err := d.Account("carol@contoso.example"); err != nil || !a.Helpdesk {
		t.Errorf("helpdesk member: %+v, %v", a, err)
	}
}

// TestDirectory_Fleet: a person enrolls at a station on server 1 and signs
// in at a station on server 2 with password+code; a code used on one
// server is refused on the other, because the station writes the step
// slapo-otp accepted as an ordinary, replicated change.
func TestDirectory_Fleet(t *testing.T) {
	s1, s2 := slapdtest.StartPair(t, slapdtest.Options{})
	a, err := directory.Open(configFor(s1), []byte(s1.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := directory.Open(configFor(s2), []byte(s2.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	dn := s1.AddPerson("erin", "erin-password-1", false)
	if err := a.AddMethod("erin", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	if err := s2.WaitFor(slapdtest.MethodDN("erin", "app1"), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// The link reaches server 2 too: the password alone fails there.
	deadline := time.Now().Add(5 * time.Second)
	for whoami(t, s2, dn, "erin-password-1") != 49 {
		if time.Now().After(deadline) {
			t.Fatal("server 2 still accepts the password alone")
		}
		time.Sleep(50 * time.Millisecond)
	}

	code := oathtool(t)
	acct, err := b.Bind("erin", "erin-password-1"+code)
	if err != nil || !acct.CodeAtBind {
		t.Fatalf("sign-in at station B (server 2) = %+v, %v", acct, err)
	}
	// Give replication a moment (measured: milliseconds), then replay once:
	// a loop of binds would itself use the code up on server 1.
	time.Sleep(time.Second)
	if got := whoami(t, s1, dn, "erin-password-1"+code); got != 49 {
		t.Fatalf("the code used at station B on server 1: ldapwhoami exit %d, want 49", got)
	}
	if _, err := a.Bind("erin", "erin-password-1"+code); !errors.Is(err, info.ErrWrongPassword) {
		t.Errorf("replay at station A = %v, want ErrWrongPassword", err)
	}
	next := oathtoolAt(t, time.Now().Add(30*time.Second))
	if got := whoami(t, s1, dn, "erin-password-1"+next); got != 0 {
		t.Errorf("a new code on server 1: ldapwhoami exit %d, want 0", got)
	}
}

// A password reset sets the new password with a Password Modify: the old
// one stops working, the new one binds, and the directory's password
// policy refuses what it must, with the reason.
func TestDirectory_SetPassword(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	if err := d.SetPassword("alice", "a whole new passphrase"); err != nil {
		t.Fatal(err)
	}
	if whoami(t, s, dn, "alice-password-1") != 49 || whoami(t, s, dn, "a whole new passphrase") != 0 {
		t.Error("after SetPassword the old password still binds or the new one doesn't")
	}
	var pr *info.PasswordRejectedError
	if err := d.SetPassword("alice", "short"); !errors.As(err, &pr) || pr.Reason != "quality" {
		t.Errorf("a 5-character password = %v, want rejected by the quality check", err)
	}
	if err := d.SetPassword("alice", "a whole new passphrase"); !errors.As(err, &pr) || pr.Reason != "in-history" {
		t.Errorf("the same password again = %v, want rejected as in-history", err)
	}
	if err := d.SetPassword("alice", "a third passphrase"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetPassword("alice", "a whole new passphrase"); !errors.As(err, &pr) || pr.Reason != "in-history" {
		t.Errorf("an earlier password = %v, want rejected as in-history", err)
	}
}

// Checks the app makes itself (a step-up code, an app password) count in
// the directory's own failure count, and a success clears it.
func TestDirectory_AppChecksCountWithTheDirectory(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	now := time.Now()
	for i := 0; i < 2; i++ {
		if err := regulation.RecordAttempt(d, "alice", false, now.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if a, _ := d.Account("alice"); a.Failures != 2 {
		t.Errorf("after two failed checks the directory counts %d failures", a.Failures)
	}
	if _, err := d.Bind("alice", "wrong"); !errors.Is(err, info.ErrWrongPassword) {
		t.Fatal(err)
	}
	if a, _ := d.Account("alice"); a.Failures != 3 {
		t.Errorf("a failed bind after them: %d failures, want 3 (one count)", a.Failures)
	}
	if err := regulation.RecordAttempt(d, "alice", true, now); err != nil {
		t.Fatal(err)
	}
	if a, _ := d.Account("alice"); a.Failures != 0 {
		t.Errorf("after a success: %d failures, want 0", a.Failures)
	}
	if err := d.UpdateAccount("alice", func(a *info.Account) error { a.PasswordHash = "x"; return nil }); !errors.Is(err, info.ErrNotSupported) {
		t.Errorf("changing a password hash = %v, want ErrNotSupported", err)
	}
}

func TestDirectory_EnforcedTokenFollowsTheDefaultApp(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	const name = "alice@contoso.example"
	second := []byte("abcdefghij0123456789")
	for _, m := range []struct {
		id  string
		key []byte
	}{{"0123456789abcdef0123456789abcdef", seed}, {"fedcba9876543210fedcba9876543210", second}} {
		if err := d.AddMethod(name, info.Method{ID: m.id, Kind: info.KindAuthenticatorApp, Label: m.id[:4], Created: time.Now()}, m.key); err != nil {
			t.Fatal(err)
		}
	}
	linked := func() string {
		res, err := s.Station().Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", []string{"oathTOTPToken"}, nil))
		if err != nil || len(res.Entries) != 1 {
			t.Fatalf("read the person: %v", err)
		}
		return res.Entries[0].GetAttributeValue("oathTOTPToken")
	}
	if !strings.HasPrefix(linked(), "siMethodId=0123") {
		t.Fatalf("the first app is not the enforced one: %q", linked())
	}
	err := d.UpdateAccount(name, func(a *info.Account) error { a.DefaultMethod = "fedcba9876543210fedcba9876543210"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(linked(), "siMethodId=fedc") {
		t.Fatalf("the default app is not the enforced one: %q", linked())
	}
	if a, _ := d.Account(name); a.DefaultMethod != "fedcba9876543210fedcba9876543210" {
		t.Fatalf("default read back as %q", a.DefaultMethod)
	}
}

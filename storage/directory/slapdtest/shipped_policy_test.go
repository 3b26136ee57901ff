package slapdtest

import (
	"errors"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestShippedPolicyLocksAtTheHundredth: the password policy base.ldif
// ships (the one every test gets without Options.MaxFailure) keeps
// DESIGN's "at most 100 consecutive failures per account": 99 failed binds
// in a row leave the person able to bind, the 100th locks them until a
// station unlocks them, and the count is of consecutive failures (none
// forgotten by age), as the app's own count is. It sets no pwdMinDelay:
// ppolicy's delay is a lock of every bind, the right password's too
// (TestPPolicyMinDelayIsNoBackOff), which would let anyone keep a
// person locked out with one wrong try per delay.
func TestShippedPolicyLocksAtTheHundredth(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	policy := map[string][]string{}
	for _, a := range []string{"pwdMaxFailure", "pwdLockout", "pwdLockoutDuration", "pwdFailureCountInterval", "pwdMinDelay", "pwdMaxDelay"} {
		policy[a] = attr(t, s.Root(), dirassets.DefaultPolicyDN, a)
	}
	want := map[string][]string{
		// The app's own lock-out of the three counts together (wizard/info).
		"pwdMaxFailure": {strconv.Itoa(info.MaxFailures)}, "pwdLockout": {"TRUE"}, "pwdLockoutDuration": {"0"},
		"pwdFailureCountInterval": {"0"}, "pwdMinDelay": nil, "pwdMaxDelay": nil,
	}
	for a, w := range want {
		if got := policy[a]; len(got) != len(w) || (len(w) == 1 && got[0] != w[0]) {
			t.Errorf("the shipped default policy has %s %q, want %q", a, got, w)
		}
	}

	dn := s.AddPerson("ivy", "ivy-pw-1", false)
	wrong := func() {
		t.Helper()
		c, err := s.Dial(dn, "wrong")
		if err == nil {
			c.Close()
			t.Fatal("a wrong password bound")
		}
		var le *ldap.Error
		if !errors.As(err, &le) || le.ResultCode != ldap.LDAPResultInvalidCredentials {
			t.Fatalf("a wrong password: %v", err)
		}
	}
	if info.MaxFailures != 100 {
		t.Fatalf("info.MaxFailures is %d; DESIGN's number, and this test's, is 100", info.MaxFailures)
	}
	for range 99 {
		wrong()
	}
	if got := attr(t, s.Station(), dn, "pwdAccountLockedTime"); len(got) != 0 {
		t.Fatalf("locked after 99 failures: pwdAccountLockedTime %q", got)
	}
	if got := attr(t, s.Station(), dn, "pwdFailureTime"); len(got) != 99 {
		t.Errorf("pwdFailureTime has %d values after 99 failures, want 99 (consecutive, none forgotten)", len(got))
	}
	wrong()
	if got := attr(t, s.Station(), dn, "pwdAccountLockedTime"); len(got) != 1 {
		t.Fatalf("not locked after the 100th failure: pwdAccountLockedTime %q", got)
	}
	if got := ldapwhoami(t, s, dn, "ivy-pw-1"); got != 49 {
		t.Errorf("the right password after 100 failures: exit %d, want 49 (locked)", got)
	}
}

// TestPPolicyMinDelayIsNoBackOff measures why base.ldif sets no
// pwdMinDelay. In Debian 12's slapd 2.5.13 the first failed bind under a
// policy with pwdMinDelay aborts slapd (an assertion in
// entry_schema_check: ITS#10028, fixed in 2.5.15). From 2.5.15 on,
// ppolicy "uses a variable lockout instead of delaying the bind response"
// (slapo-ppolicy(5)): after a failed bind it writes
// pwdAccountTmpLockoutEnd (pwdMinDelay, doubling per failure to
// pwdMaxDelay) and until then refuses every bind, the right password's
// too, without counting the refused ones: a wrong try per delay keeps the
// person out of every LDAP service. The test asserts whichever of the two
// the installed slapd should do.
func TestPPolicyMinDelayIsNoBackOff(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	crashes := slapdBefore(t, 2, 5, 15)
	// A minute, so that the bind right after the failure is well within it.
	mod := ldap.NewModifyRequest(dirassets.DefaultPolicyDN, nil)
	mod.Add("pwdMinDelay", []string{"60"})
	mod.Add("pwdMaxDelay", []string{"60"})
	if err := s.Root().Modify(mod); err != nil {
		t.Fatalf("set pwdMinDelay: %v", err)
	}
	dn := s.AddPerson("jon", "jon-pw-1", false)
	got := ldapwhoami(t, s, dn, "wrong")
	if crashes {
		select {
		case <-s.exited:
			t.Logf("MEASURE slapd before 2.5.15: the first failed bind under pwdMinDelay ended slapd (ldapwhoami exit %d)", got)
		case <-time.After(5 * time.Second):
			t.Errorf("slapd before 2.5.15 survived a failed bind under pwdMinDelay (exit %d): ITS#10028 is fixed here, see what the delay does", got)
		}
		return
	}
	if got != 49 {
		t.Fatalf("a wrong password: exit %d", got)
	}
	if got := attr(t, s.Root(), dn, "pwdAccountTmpLockoutEnd"); len(got) != 1 {
		t.Fatalf("after a failure with pwdMinDelay, pwdAccountTmpLockoutEnd = %q, want one value", got)
	}
	if got := ldapwhoami(t, s, dn, "jon-pw-1"); got != 49 {
		t.Errorf("the right password during pwdMinDelay: exit %d, want 49 (ppolicy's delay is a lock)", got)
	}
	if got := attr(t, s.Root(), dn, "pwdFailureTime"); len(got) != 1 {
		t.Errorf("pwdFailureTime has %d values, want 1 (binds refused during the delay aren't counted)", len(got))
	}
}

// slapdBefore reports whether the installed slapd is older than
// major.minor.patch (from `slapd -VV`: "slapd 2.5.13+dfsg-5").
func slapdBefore(t *testing.T, major, minor, patch int) bool {
	t.Helper()
	out, _ := exec.Command(slapdPath(), "-VV").CombinedOutput()
	m := regexp.MustCompile(`slapd ([0-9]+)\.([0-9]+)\.([0-9]+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("slapd -VV names no version: %s", out)
	}
	v := [3]int{}
	for i := range v {
		v[i], _ = strconv.Atoi(m[i+1])
	}
	want := [3]int{major, minor, patch}
	for i := range v {
		if v[i] != want[i] {
			return v[i] < want[i]
		}
	}
	return false
}

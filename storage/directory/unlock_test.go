package directory_test

import (
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
)

// `user unlock` that can't write its audit entry says the account "stays
// as it was": in the directory that means locked again by ppolicy's
// pwdAccountLockedTime, with the failures it had.
func TestAdmin_UnlockWithoutAuditStaysLocked(t *testing.T) {
	d, s := open(t, slapdtest.Options{MaxFailure: 5}) // ppolicy locks at 5 here, at 100 as shipped
	dn := s.AddPerson("hank", "hank-password-1", false)
	for i := 0; i < 5; i++ {
		whoami(t, s, dn, "wrong")
	}
	before, _ := d.Account("hank")
	if !before.Locked {
		t.Fatal("not locked after 5 wrong binds")
	}
	// The audit log can't be written.
	if err := s.Root().Del(ldap.NewDelRequest(dirassets.AuditDN, nil)); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := admin(t, s, "user", "unlock", "hank")
	if code != 1 || !strings.Contains(errOut, "stays as it was") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	after, _ := d.Account("hank")
	if !after.Locked || after.Failures != before.Failures {
		t.Errorf("the command said %q, but the account is locked %v with %d failures (was locked with %d)",
			strings.TrimSpace(errOut), after.Locked, after.Failures, before.Failures)
	}
	if got := whoami(t, s, dn, "hank-password-1"); got != 49 {
		t.Errorf("hank's right password binds (exit %d): the lock is gone", got)
	}
}

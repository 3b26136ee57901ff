package directory_test

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// TestSignIn_PassDoesNotSignInADisabledAccount: a Temporary Access Pass
// issued before an administrator disabled the account
// (pwdAccountLockedTime 000001010000Z) no longer signs it in: SignIn.bind
// refuses an account the directory reports disabled with ErrLocked before
// the pass is checked or used, as the directory refuses its every bind.
// The pass would otherwise be the one door left open, and a session
// signed in with it counts as a fresh second factor.
func TestSignIn_PassDoesNotSignInADisabledAccount(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	pass, err := tap.Issue(d, "alice", 8*time.Hour, false, time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	lock := ldap.NewModifyRequest(dn, nil)
	lock.Add("pwdAccountLockedTime", []string{"000001010000Z"})
	if err := s.Root().Modify(lock); err != nil {
		t.Fatal(err)
	}
	v := &tap.Verifier{Passes: d}
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: v.SignIn}
	if _, err := in.Check("alice", "alice-password-1"); !errors.Is(err, wizard.ErrLocked) {
		t.Fatalf("the right password of the disabled account = %v, want ErrLocked (the directory's own refusal)", err)
	}
	if a, err := in.Check("alice", pass); !errors.Is(err, wizard.ErrLocked) {
		t.Errorf("the disabled account's Temporary Access Pass = %+v, %v; want ErrLocked", a, err)
	}
}

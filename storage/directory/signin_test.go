package directory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// The wizard's sign-in against a real directory: the password alone is
// never sent for a person whose app the directory enforces (it would count
// as a failed bind); the code goes with it, single use, and ppolicy's
// answers become their own messages.
func TestSignIn_WithTheDirectory(t *testing.T) {
	d, s := open(t, slapdtest.Options{MaxFailure: 5}) // ppolicy locks at 5 here, at 100 as shipped
	s.AddPerson("alice", "alice-password-1", false)
	s.AddPerson("bob", "bob-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	in := &wizard.SignIn{Dir: d, Now: time.Now}

	if a, err := in.Check("bob", "bob-password-1"); err != nil || a.Name != "bob@contoso.example" {
		t.Errorf("bob (no app) with his password = %+v, %v", a, err)
	}
	if _, err := in.Check("bob", "wrong"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Errorf("bob with a wrong password = %v, want ErrBadCredentials", err)
	}
	if _, err := in.Check("nobody", "x"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Errorf("an unknown account = %v, want ErrBadCredentials", err)
	}

	if _, err := in.Check("alice", "alice-password-1"); !errors.Is(err, wizard.ErrCodeRequired) {
		t.Fatalf("alice without a code = %v, want ErrCodeRequired", err)
	}
	if a, _ := d.Account("alice"); a.Failures != 0 {
		t.Errorf("asking for the code counted %d failed binds", a.Failures)
	}
	code := oathtool(t)
	if a, err := in.CheckWithCode("alice", "alice-password-1", code); err != nil || a.Name != "alice@contoso.example" {
		t.Fatalf("alice with password and code = %+v, %v", a, err)
	}
	if _, err := in.CheckWithCode("alice", "alice-password-1", code); !errors.Is(err, wizard.ErrBadCredentialsOrCode) {
		t.Errorf("the same code again = %v, want ErrBadCredentialsOrCode", err)
	}
	in.Now = afterTheWait // each try after the last one's back-off
	for i := 0; i < 5; i++ {
		in.CheckWithCode("alice", "wrong-password", "000000")
	}
	if _, err := in.CheckWithCode("alice", "alice-password-1", oathtoolAt(t, time.Now().Add(30*time.Second))); !errors.Is(err, wizard.ErrLocked) {
		t.Errorf("after 5 failures = %v, want ErrLocked (the directory's lock-out)", err)
	}
}

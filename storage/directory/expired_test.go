package directory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// ppolicy answers a right but expired password with 49 and the password
// policy control's passwordExpired: the person is told their password
// expired, never that it is wrong (README: "an expired password ... gets
// its own message"), and a wrong password still reads as one.
func TestDirectory_ExpiredPasswordIsNotWrongPassword(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("erin", "erin-password-1", false)
	root := s.Root()
	pol := ldap.NewModifyRequest(dirassets.DefaultPolicyDN, nil)
	pol.Add("pwdMaxAge", []string{"3600"})
	if err := root.Modify(pol); err != nil {
		t.Fatal(err)
	}
	relax := ldap.NewControlString("1.3.6.1.4.1.4203.666.5.12", true, "")
	old := ldap.NewModifyRequest(dn, []ldap.Control{relax})
	old.Replace("pwdChangedTime", []string{"20200101000000Z"})
	if err := root.Modify(old); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Bind("erin", "erin-password-1"); !errors.Is(err, info.ErrPasswordExpired) {
		t.Errorf("Bind with the right, expired password = %v, want ErrPasswordExpired", err)
	}
	in := &wizard.SignIn{Dir: d, Now: time.Now}
	if _, err := in.Check("erin", "erin-password-1"); !errors.Is(err, wizard.ErrPasswordExpired) {
		t.Errorf("sign-in with the right, expired password = %v, want ErrPasswordExpired", err)
	}
	if _, err := d.Bind("erin", "not-erins-password"); !errors.Is(err, info.ErrWrongPassword) {
		t.Errorf("Bind with a wrong password (expired or not) = %v, want ErrWrongPassword", err)
	}
}

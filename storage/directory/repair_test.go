package directory_test

import (
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// A registration stopped after the token was written and before the
// person was linked to it (the app killed, the connection dropped): the
// next read of the person's methods finishes it, so the code that already
// verified is enforced.
func TestDirectory_RepairTokenWithoutLink(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	tok := slapdtest.MethodDN("alice", "app1")
	add := ldap.NewAddRequest(tok, nil)
	add.Attribute("objectClass", []string{"siMethod", "oathTOTPToken"})
	add.Attribute("siMethodId", []string{"app1"})
	add.Attribute("siKind", []string{string(info.KindAuthenticatorApp)})
	add.Attribute("siCreated", []string{time.Now().UTC().Format("20060102150405Z")})
	add.Attribute("oathSecret", []string{string(seed)})
	add.Attribute("oathTOTPParams", []string{"cn=totp-sha1-6-30,ou=oath," + s.BaseDN})
	if err := s.Root().Add(add); err != nil {
		t.Fatal(err)
	}
	if whoami(t, s, dn, "alice-password-1") != 0 {
		t.Fatal("half-written state: the password alone should still bind (nobody is locked out)")
	}
	if ms, err := d.Methods("alice"); err != nil || len(ms) != 1 {
		t.Fatalf("Methods = %+v, %v", ms, err)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 49 {
		t.Errorf("after repair the password alone: exit %d, want 49 (the app is enforced)", got)
	}
	if got := whoami(t, s, dn, "alice-password-1"+oathtool(t)); got != 0 {
		t.Errorf("after repair password+code: exit %d, want 0", got)
	}
}

// A link to a token that is gone would refuse every bind of the person;
// reading their methods removes it.
func TestDirectory_RepairDanglingLink(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("bob", "bob-password-1", false)
	mod := ldap.NewModifyRequest(dn, nil)
	mod.Add("objectClass", []string{"oathTOTPUser"})
	mod.Add("oathTOTPToken", []string{slapdtest.MethodDN("bob", "gone")})
	if err := s.Root().Modify(mod); err != nil {
		t.Fatal(err)
	}
	if whoami(t, s, dn, "bob-password-1") != 49 {
		t.Fatal("a dangling link should lock bob out (that is what repair prevents)")
	}
	if _, err := d.Methods("bob"); err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "bob-password-1"); got != 0 {
		t.Errorf("after repair the password: exit %d, want 0", got)
	}
}

package directory_test

import (
	"testing"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
)

// A station reads people and writes only what the app keeps on them (the
// enforced app, their settings, ppolicy's count and lock, their child
// entries): it can't delete or create people, change what names them or
// which policy they fall under, or take over another station. The rest of
// the directory suite, against the same rules, is the check that every
// operation the app makes still works.
func TestDirectory_StationCannotAddOrDeletePeopleOrOtherStations(t *testing.T) {
	_, s := open(t)
	dn := s.AddPerson("zed", "zed-password-1", false)
	st := s.Station()

	pm := ldap.NewModifyRequest(dn, nil)
	pm.Replace("pwdPolicySubentry", []string{dirassets.StationPolicyDN})
	if err := st.Modify(pm); err == nil {
		t.Errorf("a station moved a person to the no-lock-out policy")
	}
	mm := ldap.NewModifyRequest(dn, nil)
	mm.Replace("mail", []string{"someone-else@contoso.example"})
	if err := st.Modify(mm); err == nil {
		t.Errorf("a station changed a person's mail")
	}
	oc := ldap.NewModifyRequest(dn, nil)
	oc.Add("objectClass", []string{"pwdPolicy"})
	oc.Add("pwdAttribute", []string{"userPassword"})
	if err := st.Modify(oc); err == nil {
		t.Errorf("a station made a person's entry a password policy")
	}
	aux := ldap.NewModifyRequest(dn, nil)
	aux.Add("objectClass", []string{"uidObject"})
	if err := st.Modify(aux); err == nil {
		t.Errorf("a station added an object class the app never writes")
	}
	if err := st.Del(ldap.NewDelRequest(dn, nil)); err == nil {
		t.Errorf("a station deleted a person's entry (%s): the app never deletes people", dn)
	}
	if err := st.ModifyDN(ldap.NewModifyDNRequest(dn, "uid=zed2", true, "")); err == nil {
		t.Errorf("a station renamed a person")
	}
	person := func(dn string) *ldap.AddRequest {
		add := ldap.NewAddRequest(dn, nil)
		add.Attribute("objectClass", []string{"inetOrgPerson"})
		add.Attribute("uid", []string{"mallory"})
		add.Attribute("cn", []string{"mallory"})
		add.Attribute("sn", []string{"mallory"})
		add.Attribute("userPassword", []string{"chosen-by-the-station"})
		return add
	}
	if err := st.Add(person(dirassets.PersonDN("mallory"))); err == nil {
		t.Errorf("a station created a person with a password of its choosing: accounts come from the directory")
	}
	// Under a person the account filter's subtree search would find it too.
	if err := st.Add(person("uid=mallory," + dn)); err == nil {
		t.Errorf("a station created a person under a person")
	}

	// A second station; station1 must not be able to take it over.
	other := "cn=station2," + dirassets.StationsDN
	sa := ldap.NewAddRequest(other, nil)
	sa.Attribute("objectClass", []string{"organizationalRole", "simpleSecurityObject"})
	sa.Attribute("cn", []string{"station2"})
	sa.Attribute("userPassword", []string{"station2-secret"})
	if err := s.Root().Add(sa); err != nil {
		t.Fatal(err)
	}
	mod := ldap.NewModifyRequest(other, nil)
	mod.Replace("userPassword", []string{"taken-over"})
	if err := st.Modify(mod); err == nil {
		t.Errorf("station1 set station2's password")
	}
	if _, err := st.PasswordModify(ldap.NewPasswordModifyRequest(other, "", "taken-over-too")); err == nil {
		t.Errorf("station1 set station2's password with a Password Modify")
	}

	// What stations do write on a person still works.
	ok := ldap.NewModifyRequest(dn, nil)
	ok.Add("objectClass", []string{"siAccount"})
	ok.Add("siSnoozes", []string{"1"})
	if err := st.Modify(ok); err != nil {
		t.Errorf("a station saves a person's settings: %v", err)
	}
	if _, err := st.PasswordModify(ldap.NewPasswordModifyRequest(dn, "", "zed-new-password-2")); err != nil {
		t.Errorf("a station sets a person's password (self-service reset): %v", err)
	}
}

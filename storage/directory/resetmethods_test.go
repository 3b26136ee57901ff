package directory_test

import (
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// readAttrs reads attrs of the entry dn as whoever conn is bound as; an
// attribute the reader may not see is missing from the answer.
func readAttrs(t *testing.T, conn *ldap.Conn, dn string, attrs ...string) map[string]string {
	t.Helper()
	res, err := conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=*)", attrs, nil))
	if err != nil {
		t.Fatalf("read %s: %v", dn, err)
	}
	out := map[string]string{}
	for _, e := range res.Entries {
		for _, a := range attrs {
			if v := e.GetAttributeValue(a); v != "" {
				out[a] = v
			}
		}
	}
	return out
}

// Security questions' answer hashes are kept from everyone but stations,
// the person included; the email address is the person's to read.
func TestDirectory_QuestionHashesOnlyForStations(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
	for _, m := range []info.Method{
		{ID: "e1", Kind: info.KindEmail, Label: "a•••@fabrikam.example", Created: time.Now(), Email: "alice@fabrikam.example"},
		{ID: "q1", Kind: info.KindSecurityQuestions, Label: "3 questions", Created: time.Now(),
			Questions: []info.Question{{ID: "first-pet", Hash: hash}, {ID: "birth-city", Hash: hash}, {Text: "Mine?", Hash: hash}}},
	} {
		if err := d.AddMethod("alice", m, nil); err != nil {
			t.Fatalf("AddMethod(%s): %v", m.Kind, err)
		}
	}
	person, err := s.Dial(dn, "alice-password-1")
	if err != nil {
		t.Fatal(err)
	}
	defer person.Close()
	if got := readAttrs(t, person, slapdtest.MethodDN("alice", "q1"), "siKind", "siQuestions"); got["siKind"] != "security-questions" || got["siQuestions"] != "" {
		t.Errorf("the person reads %v of their security questions; want the kind and no hashes", got)
	}
	if got := readAttrs(t, person, slapdtest.MethodDN("alice", "e1"), "siEmail"); got["siEmail"] != "alice@fabrikam.example" {
		t.Errorf("the person reads %v of their email method", got)
	}
	if got := readAttrs(t, s.Station(), slapdtest.MethodDN("alice", "q1"), "siQuestions"); got["siQuestions"] == "" {
		t.Error("the station can't read the questions it must check answers against")
	}
	ms, err := d.Methods("alice")
	if err != nil || len(ms) != 2 || len(ms[1].Questions) != 3 || ms[1].Questions[2].Text != "Mine?" {
		t.Fatalf("Methods = %+v, %v", ms, err)
	}
}

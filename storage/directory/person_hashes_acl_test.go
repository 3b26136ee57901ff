package directory_test

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// TestPersonCannotReadTheHashesOfTheirPassAndCodes: a person bound with
// their password reads their methods' kinds but not siHash (of their
// Temporary Access Pass, recovery codes, app passwords) nor the app
// passwords' siLookup digest (slapd.conf's rule for siHash and siLookup:
// stations only). Otherwise anyone holding the password of a person
// without an enforced app could copy every verifier of their pass and
// codes for an offline attack, uncounted by any lock-out (review 7,
// finding 3; as siQuestions, README.md "Access control").
func TestPersonCannotReadTheHashesOfTheirPassAndCodes(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	if _, err := tap.Issue(d, "alice", 8*time.Hour, false, time.Now(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	if _, err := recovery.Regenerate(d, "alice", time.Now(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	const phc = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
	if err := d.AddMethod("alice", info.Method{ID: "ap1", Kind: info.KindAppPassword, Label: "Outlook", Created: time.Now(), Hash: phc, Lookup: "abcd"}, nil); err != nil {
		t.Fatal(err)
	}
	c, err := s.Dial(dn, "alice-password-1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err := c.Search(ldap.NewSearchRequest(dn, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"siKind", "siHash", "siLookup"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	kinds := 0
	for _, e := range res.Entries {
		if e.GetAttributeValue("siKind") != "" {
			kinds++
		}
		for _, attr := range []string{"siHash", "siLookup"} {
			if v := e.GetAttributeValue(attr); v != "" {
				t.Errorf("alice, bound with her password alone, reads %s of %s: %.24s…", attr, e.DN, v)
			}
		}
	}
	if kinds == 0 {
		t.Fatal("alice reads none of her methods (the test must still see what she may read)")
	}
}

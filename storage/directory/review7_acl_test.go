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

// REVIEW7 FINDING (access control, documentation says otherwise): a
// person reads the salted hashes of their own Temporary Access Pass,
// recovery codes and app passwords (siHash, and the app passwords'
// siLookup digest) with a bind as themselves.
//
// What's wrong: assets/directory/README.md's access table says a person
// reads their method entries and pass "(not the secret or the hash)", but
// slapd.conf has rules only for oathSecret, siQuestions and userPassword;
// siHash and siLookup fall to "by dn.exact,expand=uid=$1 read". Anyone
// holding the password of a person without an enforced app (phished,
// reused: no code is needed to bind) can bind at any LDAP service and
// copy every hash of the person's pass, recovery codes and app passwords
// for an offline attack, at leisure and uncounted by any lock-out. The
// entropy (60 bits, 75 for app passwords) makes that slow, not
// impossible, and the siLookup digest (16 bits of SHA-256 of the app
// password) is a fast pre-filter on top.
//
// Why it matters: DESIGN.md "Numbers to build to" keeps recovery codes
// and app passwords as salted hashes precisely so that reading the store
// doesn't give them away, and OWASP ASVS V2.4/V6 (stored authenticators)
// keeps verifiers away from everyone but the verifier; siQuestions is
// already so protected "Answers are few and guessable, so not even the
// person reads their hashes"; the same rule is claimed for the rest.
//
// What a fix should do: in assets/directory/slapd.conf, before the
// method/pass rules, add
//
//	access to attrs=siHash,siLookup
//		by dn.children="ou=stations,dc=contoso,dc=example" write
//		by * none
//
// (and the same in securityinfo.ldif's olcAccess example if any), so the
// person reads their methods' kinds and labels but no verifier.
func TestReview7_PersonReadsTheHashesOfTheirPassAndCodes(t *testing.T) {
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

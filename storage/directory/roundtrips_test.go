package directory_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// searches counts the searches slapd (run at Debug "stats") has logged.
func searches(t *testing.T, s *slapdtest.Server) int {
	t.Helper()
	b, err := os.ReadFile(s.LogFile)
	if err != nil {
		t.Fatalf("slapd's log: %v", err)
	}
	return strings.Count(string(b), " SRCH base=")
}

// The wizard lists the person's methods right after registering one:
// registering found the person, so the list is one search of the person's
// subtree, not a search for the person and another for their methods.
func TestDirectory_MethodsAfterRegistrationIsOneSearch(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{Debug: "stats"})
	d, err := directory.Open(configFor(s), []byte(s.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	dn := s.AddPerson("alice", "alice-password-1", false)
	const name = "alice@contoso.example"
	if err := d.AddMethod(name, info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now(), HasSecret: true}, seed); err != nil {
		t.Fatal(err)
	}
	before := searches(t, s)
	ms, err := d.Methods(name)
	if err != nil || len(ms) != 1 || ms[0].ID != "app1" || !ms[0].HasSecret {
		t.Fatalf("Methods = %+v, %v", ms, err)
	}
	if n := searches(t, s) - before; n != 1 {
		t.Errorf("Methods after AddMethod made %d searches, want 1", n)
	}
	// The one search still sees the enforcement and repairs it: a link
	// removed behind the station's back is made again.
	mod := ldap.NewModifyRequest(dn, nil)
	mod.Delete("oathTOTPToken", nil)
	mod.Delete("objectClass", []string{"oathTOTPUser"})
	if err := s.Root().Modify(mod); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Methods(name); err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 49 {
		t.Errorf("after Methods repaired the link, the password alone: exit %d, want 49", got)
	}
}

// The DN remembered for a typed name is found again by every spelling of
// it that names the same account (info.AccountKey): registering with
// "  Alice@Contoso.Example " and listing with "alice@contoso.example", or
// the other way, is still the one search of the person's subtree.
func TestDirectory_TheRememberedDNIsKeyedAsAccountsCompare(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{Debug: "stats"})
	d, err := directory.Open(configFor(s), []byte(s.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	s.AddPerson("alice", "alice-password-1", false)
	if err := d.AddMethod("  Alice@Contoso.Example ", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now(), HasSecret: true}, seed); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"alice@contoso.example", " ALICE@contoso.example\t"} {
		before := searches(t, s)
		if ms, err := d.Methods(name); err != nil || len(ms) != 1 || ms[0].ID != "app1" {
			t.Fatalf("Methods(%q) = %+v, %v", name, ms, err)
		}
		if n := searches(t, s) - before; n != 1 {
			t.Errorf("Methods(%q) after AddMethod made %d searches, want 1: the DN remembered was not found", name, n)
		}
	}
}

// A DN remembered for a name that no longer holds the person (renamed
// meanwhile) is looked up again: the methods are the person's at their
// new DN.
func TestDirectory_MethodsAfterThePersonWasRenamed(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	const name = "alice@contoso.example"
	if err := d.AddMethod(name, info.Method{ID: "mail1", Kind: info.KindEmail, Email: "alice@example.org", Created: time.Now()}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Root().ModifyDN(ldap.NewModifyDNRequest(dn, "uid=alice2", true, "")); err != nil {
		t.Fatal(err)
	}
	ms, err := d.Methods(name)
	if err != nil || len(ms) != 1 || ms[0].Email != "alice@example.org" {
		t.Fatalf("Methods after the rename = %+v, %v", ms, err)
	}
	// And the DN it now remembers is the new one.
	if err := d.AddMethod(name, info.Method{ID: "mail2", Kind: info.KindEmail, Email: "alice@example.net", Created: time.Now()}, nil); err != nil {
		t.Fatal(err)
	}
	if ms, err := d.Methods(name); err != nil || len(ms) != 2 {
		t.Fatalf("Methods = %+v, %v", ms, err)
	}
}

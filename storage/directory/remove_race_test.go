package directory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// secondStation opens another station on s, as a second kiosk would.
func secondStation(t *testing.T, s *slapdtest.Server) *directory.Directory {
	t.Helper()
	other, err := directory.Open(configFor(s), []byte(s.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// once returns a hook that runs f the first time step is reached.
func once(step string, f func() error) func(string) error {
	done := false
	return func(s string) error {
		if s != step || done {
			return nil
		}
		done = true
		return f()
	}
}

// Removing the only app: another station reads the person's methods
// after the enforcement was moved off the token and before the token is
// deleted. Its repair must not link the token that is about to go: a
// link to a deleted token refuses every bind (mail, VPN, this app) until
// some station reads the methods again.
func TestDirectory_RemoveRacesARepair(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	other := secondStation(t, s)
	defer directory.SetTestHook(once("retire: settled", func() error {
		_, err := other.Methods("alice")
		return err
	}))()
	if err := d.RemoveMethod("alice", "app1"); err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 0 {
		t.Errorf("alice, with no app left, binds with her password: exit %d, want 0 (linked to a deleted token)", got)
	}
}

// A repair that read the person (a token, no link: a registration cut
// off) before another station removed the token, and links it after:
// the link it wrote is taken off again when it reads the person back.
func TestDirectory_RepairLinksATokenRemovedMeanwhile(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	tok := s.AddAuthenticator("alice", "app1", seed)
	// Unlinked, as a registration stopped before its link leaves it.
	un := ldap.NewModifyRequest(dn, nil)
	un.Delete("oathTOTPToken", nil)
	un.Delete("objectClass", []string{"oathTOTPUser"})
	if err := s.Root().Modify(un); err != nil {
		t.Fatal(err)
	}
	other := secondStation(t, s)
	defer directory.SetTestHook(once("repair: read", func() error {
		return other.RemoveMethod("alice", "app1")
	}))()
	if _, err := d.Methods("alice"); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Root().Search(ldap.NewSearchRequest(tok, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(objectClass=*)", []string{"1.1"}, nil)); err == nil && len(res.Entries) > 0 {
		t.Fatal("the token was not removed")
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 0 {
		t.Errorf("alice, with no app left, binds with her password: exit %d, want 0 (linked to a deleted token)", got)
	}
}

// AddMethod's link applied by the server, its answer lost (a time-out):
// AddMethod removes the token again, and the link with it.
func TestDirectory_AddMethodLinkAnswerLost(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	lost := errors.New("timed out waiting for the answer")
	defer directory.SetTestHook(once("add: linked", func() error { return lost }))()
	err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed)
	if !errors.Is(err, lost) {
		t.Fatalf("AddMethod = %v, want the link's error", err)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 0 {
		t.Errorf("after the failed registration, alice's password: exit %d, want 0 (linked to a deleted token)", got)
	}
	if ms, err := d.Methods("alice"); err != nil || len(ms) != 0 {
		t.Errorf("Methods = %+v, %v, want none", ms, err)
	}
}

// A link left on a deleted token (a station of an older version removed
// it) is moved to the person's other app when their bind fails, and the
// bind tried once more: the right password and code sign in.
func TestDirectory_BindMovesALinkOffADeletedToken(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	s.AddAuthenticator("alice", "app1", seed) // linked
	add := ldap.NewAddRequest(slapdtest.MethodDN("alice", "app2"), nil)
	add.Attribute("objectClass", []string{"siMethod", "oathTOTPToken"})
	add.Attribute("siMethodId", []string{"app2"})
	add.Attribute("siKind", []string{string(info.KindAuthenticatorApp)})
	add.Attribute("siCreated", []string{time.Now().UTC().Format("20060102150405Z")})
	add.Attribute("oathSecret", []string{string(seed)})
	add.Attribute("oathTOTPParams", []string{dirassets.TOTPParamsDN})
	if err := s.Root().Add(add); err != nil {
		t.Fatal(err)
	}
	if err := s.Root().Del(ldap.NewDelRequest(slapdtest.MethodDN("alice", "app1"), nil)); err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "alice-password-1"+oathtool(t)); got != 49 {
		t.Fatalf("the dangling link should refuse alice (that is what is fixed): exit %d", got)
	}
	if _, err := d.Bind("alice", "alice-password-1"+oathtool(t)); err != nil {
		t.Errorf("Bind with the right password and app2's code = %v", err)
	}
}

// markForRemoval marks alice's token as a removal does first, and unlinks
// it, as a removal cut off before its delete leaves them.
func markForRemoval(t *testing.T, s *slapdtest.Server, personDN, tokenDN string) {
	t.Helper()
	mark := ldap.NewModifyRequest(tokenDN, nil)
	mark.Replace("description", []string{"removing"})
	un := ldap.NewModifyRequest(personDN, nil)
	un.Delete("oathTOTPToken", nil)
	un.Delete("objectClass", []string{"oathTOTPUser"})
	for _, m := range []*ldap.ModifyRequest{mark, un} {
		if err := s.Root().Modify(m); err != nil {
			t.Fatal(err)
		}
	}
}

// exists reports whether the entry at dn is in the directory.
func exists(t *testing.T, s *slapdtest.Server, dn string) bool {
	t.Helper()
	res, err := s.Root().Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(objectClass=*)", []string{"1.1"}, nil))
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Entries) > 0
}

// A removal cut off after marking the token (the station crashed) left
// the token, secret and all, in the directory, hidden from Methods. The
// next read of the person's methods finishes it once the mark is old.
func TestDirectory_MethodsFinishesACutOffRemoval(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	tok := s.AddAuthenticator("alice", "app1", seed)
	markForRemoval(t, s, dn, tok)
	defer directory.SetStaleMark(0)()
	if ms, err := d.Methods("alice"); err != nil || len(ms) != 0 {
		t.Fatalf("Methods = %+v, %v, want none", ms, err)
	}
	if exists(t, s, tok) {
		t.Error("the token marked for removal, with its secret, is still in the directory after Methods")
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 0 {
		t.Errorf("alice, with no app left, binds with her password: exit %d, want 0", got)
	}
}

// A fresh mark may be another station's removal under way: Methods hides
// the token but leaves its delete to that station, whose RemoveMethod
// would otherwise find nothing to delete.
func TestDirectory_MethodsLeavesAFreshMark(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	tok := s.AddAuthenticator("alice", "app1", seed)
	markForRemoval(t, s, dn, tok)
	if ms, err := d.Methods("alice"); err != nil || len(ms) != 0 {
		t.Fatalf("Methods = %+v, %v, want none", ms, err)
	}
	if !exists(t, s, tok) {
		t.Error("Methods deleted a token marked a moment ago")
	}
}

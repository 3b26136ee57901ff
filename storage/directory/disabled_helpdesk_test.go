package directory_test

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// TestHelpdesk_UnlockLeavesAnAdministratorsLock: a helpdesk operator's
// Unlock of an account an administrator disabled (pwdAccountLockedTime
// 000001010000Z) is refused, writes no audit entry and leaves the lock in
// the directory; the helpdesk page shows the account as disabled, not
// locked. ppolicy's own lock after pwdMaxFailure wrong passwords (5 here)
// is still the helpdesk's to lift. Store.Unlock would delete either.
func TestHelpdesk_UnlockLeavesAnAdministratorsLock(t *testing.T) {
	d, s := open(t, slapdtest.Options{MaxFailure: 5})
	byPolicy := s.AddPerson("bob", "bob-password-1", false)
	byAdmin := s.AddPerson("dave", "dave-password-1", false)
	for i := 0; i < 5; i++ {
		whoami(t, s, byPolicy, "wrong")
	}
	lock := ldap.NewModifyRequest(byAdmin, nil)
	lock.Add("pwdAccountLockedTime", []string{"000001010000Z"})
	if err := s.Root().Modify(lock); err != nil {
		t.Fatal(err)
	}
	var audit []string
	f := helpdeskOver(t, d, s, func(actor, action, account, detail string) error {
		audit = append(audit, actor+" "+action+" "+account)
		return nil
	})
	audit = nil // the operator's own sign-in

	if a, err := f.LookUp("dave"); err != nil || !a.Disabled || a.Locked {
		t.Errorf("LookUp of the disabled account = %+v, %v; want Disabled, not Locked", a, err)
	}
	if err := f.UnlockAccount("dave"); !errors.Is(err, wizard.ErrDisabledByAdministrator) {
		t.Errorf("the helpdesk's Unlock of the disabled account = %v, want ErrDisabledByAdministrator", err)
	}
	if got := lockedTime(t, s, byAdmin); got != "000001010000Z" {
		t.Errorf("after the helpdesk's Unlock: pwdAccountLockedTime %q, want the administrator's 000001010000Z", got)
	}
	if len(audit) != 0 {
		t.Errorf("a refused Unlock was recorded: %q", audit)
	}

	if a, err := f.LookUp("bob"); err != nil || !a.Locked || a.Disabled {
		t.Errorf("LookUp of the account ppolicy locked = %+v, %v; want Locked, not Disabled", a, err)
	}
	if err := f.UnlockAccount("bob"); err != nil {
		t.Fatalf("the helpdesk's Unlock of ppolicy's lock: %v", err)
	}
	if got := lockedTime(t, s, byPolicy); got != "" || len(audit) != 1 {
		t.Errorf("after unlocking bob: pwdAccountLockedTime %q, audit %q", got, audit)
	}
}

// helpdeskOver signs a helpdesk operator in on a helpdesk station over d:
// with a Temporary Access Pass, then their app's code.
func helpdeskOver(t *testing.T, d *directory.Directory, s *slapdtest.Server, audit func(actor, action, account, detail string) error) *wizard.Flow {
	t.Helper()
	f := operatorByPass(t, d, s, audit)
	opts, err := f.ProofOptions()
	if err != nil || len(opts) != 1 {
		t.Fatalf("ways to prove: %+v, %v", opts, err)
	}
	if _, err := f.StartProof(opts[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.Prove([]string{authapp.Code(seed, time.Now())}); err != nil {
		t.Fatalf("the app's code: %v", err)
	}
	if f.Page() != wizard.PageHelpdesk {
		t.Fatalf("the operator is on %v, want PageHelpdesk", f.Page())
	}
	return f
}

// operatorByPass makes a helpdesk operator "op" with an authenticator app
// in d, and signs them in on a helpdesk station over d with a Temporary
// Access Pass: the flow then asks for their second factor.
func operatorByPass(t *testing.T, d *directory.Directory, s *slapdtest.Server, audit func(actor, action, account, detail string) error) *wizard.Flow {
	t.Helper()
	s.AddPerson("op", "op-password-1", true)
	if err := d.AddMethod("op", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	pass, err := tap.Issue(d, "op", time.Hour, false, time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := wizard.ParsePolicy("t.toml", []byte("organisation = \"Contoso\"\nrequired = [\"authenticator-app\"]\nmode = \"helpdesk\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	v := &tap.Verifier{Passes: d}
	f := wizard.New(wizard.Config{Policy: pol, Dir: d, Now: time.Now, Rand: rand.Reader,
		Provers: map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver},
		Pass:    v.SignIn, Audit: audit})
	if err := f.SignIn("op", pass); err != nil {
		t.Fatalf("SignIn with the pass: %v", err)
	}
	return f
}

// lockedTime reads dn's pwdAccountLockedTime as the directory's root.
func lockedTime(t *testing.T, s *slapdtest.Server, dn string) string {
	t.Helper()
	res, err := s.Root().Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(objectClass=*)", []string{"pwdAccountLockedTime"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("reading %s: %v", dn, err)
	}
	return res.Entries[0].GetAttributeValue("pwdAccountLockedTime")
}

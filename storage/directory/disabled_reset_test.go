package directory_test

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// appResetPolicy lets a reset be proved with the authenticator app alone
// (reset_methods defaults to 1).
const appResetPolicy = `
organisation = "Contoso"
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone", "recovery-codes"]
`

// resetWithApp walks "Forgot my password?" for name against the real
// directory, proving with the authenticator app (seed), and returns what
// the first refusal answered (the proof's, or SetNewPassword's).
func resetWithApp(t *testing.T, d info.Store, name, newPassword string) error {
	t.Helper()
	p, err := wizard.ParsePolicy("reset.toml", []byte(appResetPolicy))
	if err != nil {
		t.Fatal(err)
	}
	f := wizard.New(wizard.Config{
		Policy: p, Dir: d, Now: time.Now, Rand: rand.Reader,
		Provers: map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver},
		Audit:   func(actor, action, account, detail string) error { return nil },
	})
	if err := f.OpenReset(); err != nil {
		t.Fatal(err)
	}
	if err := f.ResetName(name); err != nil {
		return err
	}
	opts, err := f.ProofOptions()
	if err != nil {
		t.Fatal(err)
	}
	var app *wizard.ProofOption
	for i := range opts {
		if opts[i].Kind == info.KindAuthenticatorApp {
			app = &opts[i]
		}
	}
	if app == nil {
		t.Fatalf("no authenticator app offered at the reset: %+v", opts)
	}
	if _, err := f.StartProof(*app); err != nil {
		t.Fatal(err)
	}
	if err := f.Prove([]string{oathtool(t)}); err != nil {
		return err
	}
	if f.ResetStage() != wizard.ResetPassword {
		t.Fatalf("after the app's code the reset is at %q, want %q", f.ResetStage(), wizard.ResetPassword)
	}
	return f.SetNewPassword(newPassword, newPassword)
}

// TestReset_KeepsAnAdministratorsLock: an administrator disables an
// account by setting ppolicy's pwdAccountLockedTime to 000001010000Z
// (draft-behera-ldap-password-policy §5.3.3, slapo-ppolicy(5): locked until
// an administrator unlocks it). A self-service reset, proved with the
// person's authenticator app, is refused (ErrLocked, at the proof or at
// the new password) and the lock stands: the station's Password Modify
// would have made ppolicy delete it, and the disabled account would have
// bound at every LDAP service with the new password and a code. The
// directory reports such a lock (Account.Disabled: the permanent lock
// with none of the app's counts at the lock-out, which writes the same
// value); SetNewPassword and the proofs refuse it.
func TestReset_KeepsAnAdministratorsLock(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	// The administrator disables alice (as root, as an admin tool does).
	lock := ldap.NewModifyRequest(dn, nil)
	lock.Add("pwdAccountLockedTime", []string{"000001010000Z"})
	if err := s.Root().Modify(lock); err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "alice-password-1"+oathtoolAt(t, time.Now().Add(-30*time.Second))); got != 49 {
		t.Fatalf("the administrator's lock doesn't hold before the reset: exit %d, want 49", got)
	}

	err := resetWithApp(t, d, "alice", "a-brand-new-pass-9")
	if err == nil {
		t.Errorf("the reset of an account an administrator locked succeeded; want it refused (ErrLocked)")
	}
	a, aerr := d.Account("alice")
	if aerr != nil {
		t.Fatal(aerr)
	}
	if !a.Locked {
		t.Errorf("after the reset alice is no longer locked in the directory (pwdAccountLockedTime deleted)")
	}
	if got := whoami(t, s, dn, "a-brand-new-pass-9"+oathtoolAt(t, time.Now().Add(30*time.Second))); got != 49 {
		t.Errorf("the disabled account binds at every LDAP service with the password the reset set and a code: exit %d, want 49", got)
	}
}

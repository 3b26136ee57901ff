package directory_test

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// review7ResetPolicy lets a reset be proved with the authenticator app
// alone (reset_methods defaults to 1).
const review7ResetPolicy = `
organisation = "Contoso"
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone", "recovery-codes"]
`

// review7Reset walks "Forgot my password?" for name against the real
// directory, proving with the authenticator app (seed), and returns what
// SetNewPassword answered.
func review7Reset(t *testing.T, d info.Store, name, newPassword string) error {
	t.Helper()
	p, err := wizard.ParsePolicy("review7.toml", []byte(review7ResetPolicy))
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

// REVIEW7 FINDING (security): a self-service password reset lifts an
// administrator's lock.
//
// What's wrong: an administrator disables an account in OpenLDAP by
// setting ppolicy's pwdAccountLockedTime to 000001010000Z, which
// draft-behera-ldap-password-policy (§5.3.3) and slapo-ppolicy(5) define as
// "locked permanently; only an administrator can unlock it" (a leaver, a
// compromised account under investigation). The reset never looks at
// that lock: ResetName, proofAllowed and SetNewPassword check only the
// app's own counts (regulation.AccountLocked), never Account.Locked.
// SetNewPassword then sets the password with a Password Modify as the
// station, and slapo-ppolicy deletes pwdAccountLockedTime on every
// password change (measured here: the lock is gone right after
// SetPassword, before ClearPasswordFailures). So whoever holds the
// person's phone (the disabled person themselves) walks up to a kiosk,
// proves with an authenticator code and gets a working password at every
// LDAP service: mail, VPN, everything the directory authenticates.
//
// Why it matters: DESIGN.md "Storage" has lock-out come from ppolicy, and
// its "failed attempts" row and assets/directory/README.md ("Failure
// counts") keep a lock until the helpdesk unlocks it; a self-service
// reset is meant to undo a lock of forgotten-password failures, not an
// administrator's decision. NIST 800-63B §6.1.2.3 (replacement of a
// lost authenticator) is not a way around a suspension either.
//
// What a fix should do: refuse the reset (ErrLocked, the same words and
// wait as any lock, so as not to tell accounts apart) when the account
// carries the permanent lock and the app's own counts don't explain it
// (the app writes the same value for its 100-failure lock, which
// SetNewPassword already refuses): e.g. storage/directory's Account
// reports such a lock (a field on info.Account, or ErrLocked from
// SetPassword/ClearPasswordFailures before the Password Modify), and
// wizard/reset.go's SetNewPassword (ideally also proofAllowed at a reset)
// refuses it. A lock with a real time (ppolicy's own failure lock) may
// still be lifted by a reset, as now.
func TestReview7_ResetLiftsAnAdministratorsLock(t *testing.T) {
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

	err := review7Reset(t, d, "alice", "a-brand-new-pass-9")
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

// REVIEW7 FINDING (security): a Temporary Access Pass signs in an account
// the directory has locked.
//
// What's wrong: SignIn.bind (wizard/signin.go) checks a pass before any
// bind and gates it only on the app's own counts
// (regulation.AccountLocked); Account.Locked, ppolicy's
// pwdAccountLockedTime, is never consulted. A pass issued in the morning
// (8 hours by default) still signs in at noon after an administrator
// disabled the account (pwdAccountLockedTime 000001010000Z), and the
// session counts as a fresh second factor (flow.go: byPass sets proved),
// so the person may change their security info and, through the reset
// (TestReview7_ResetLiftsAnAdministratorsLock), get back in everywhere.
//
// Why it matters: DESIGN.md "Storage": lock-out comes from ppolicy; the
// directory refuses this person every bind, with the password or with
// a code; the kiosk must not be the one door left open. A pass is a
// replacement for a lost method (NIST 800-63B §6.1.2.3), not for an
// enabled account.
//
// What a fix should do: in SignIn.bind (and passWithoutCode), refuse with
// ErrLocked, before the pass is checked or used, an account whose
// directory lock is an administrator's (000001010000Z without the app's
// counts at the lock-out; storage/directory accountOf would need to say
// which), with the same words and work as any locked account.
func TestReview7_PassSignsInADisabledAccount(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	pass, err := tap.Issue(d, "alice", 8*time.Hour, false, time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	lock := ldap.NewModifyRequest(dn, nil)
	lock.Add("pwdAccountLockedTime", []string{"000001010000Z"})
	if err := s.Root().Modify(lock); err != nil {
		t.Fatal(err)
	}
	v := &tap.Verifier{Passes: d}
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: v.SignIn}
	if _, err := in.Check("alice", "alice-password-1"); !errors.Is(err, wizard.ErrLocked) {
		t.Fatalf("the right password of the disabled account = %v, want ErrLocked (the directory's own refusal)", err)
	}
	if a, err := in.Check("alice", pass); !errors.Is(err, wizard.ErrLocked) {
		t.Errorf("the disabled account's Temporary Access Pass = %+v, %v; want ErrLocked", a, err)
	}
}

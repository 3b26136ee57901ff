package directory_test

import (
	"crypto/rand"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// TestSignIn_RecoveryCodeWhereTheAppIsEnforced: a person whose
// authenticator app the directory enforces at every bind, and who lost
// their phone, signs in with their password and one of their recovery
// codes typed where the app's code goes, as the wording promises
// ("Recovery codes let you sign in ... when you can't use your other
// methods"). The code is checked as a recovery code first, never appended
// to the password (slapo-otp would refuse it and ppolicy count it as a
// wrong password); the directory then proves the password with the app's
// code the station computes from oathSecret.
func TestSignIn_RecoveryCodeWhereTheAppIsEnforced(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	codes, err := recovery.Regenerate(d, "alice", time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p, err := wizard.ParsePolicy("recovery.toml", []byte(`
organisation = "Contoso"
required = ["authenticator-app"]
allowed = ["authenticator-app", "recovery-codes"]
`))
	if err != nil {
		t.Fatal(err)
	}
	f := wizard.New(wizard.Config{
		Policy: p, Dir: d, Now: time.Now, Rand: rand.Reader,
		Provers: map[info.Kind]method.ProverFactory{
			info.KindAuthenticatorApp: authapp.NewProver,
			info.KindRecoveryCodes:    recovery.NewProver,
		},
		Audit: func(actor, action, account, detail string) error { return nil },
	})
	// Alice lost her phone: her password, and one of her recovery codes
	// where the code goes.
	err = f.SignInWithCode("alice", "alice-password-1", codes[0])
	if err != nil || f.Page() == wizard.PageSignIn {
		t.Errorf("alice's password and a recovery code = %v (page %v); want her signed in", err, f.Page())
	}
	if a, _ := d.Account("alice"); a.Failures != 0 {
		t.Errorf("her recovery code counted %d wrong password(s) on ppolicy's count (5 lock her out everywhere)", a.Failures)
	}
}

// appAndCodes gives alice (dn) an authenticator app the directory enforces
// and a set of recovery codes, and returns the codes and a SignIn as a
// station whose policy allows apps has it.
func appAndCodes(t *testing.T, d info.Store) ([]string, *wizard.SignIn) {
	t.Helper()
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	codes, err := recovery.Regenerate(d, "alice", time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return codes, &wizard.SignIn{Dir: d, Now: time.Now, AppAtBind: true}
}

// codesLeft is how many recovery codes alice has.
func codesLeft(t *testing.T, d info.Store) int {
	t.Helper()
	ms, err := d.Methods("alice")
	if err != nil {
		t.Fatal(err)
	}
	return recovery.Left(ms)
}

// TestSignIn_RecoveryCodeNeedsThePassword: a recovery code proves the
// second factor only; the directory still proves the password. A stolen
// code with a wrong password signs nobody in (a wrong password, counted by
// ppolicy, and the code is kept: a mistyped password costs no code); with
// the right password it signs in, once: the code is used, and refused the
// second time.
func TestSignIn_RecoveryCodeNeedsThePassword(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	codes, in := appAndCodes(t, d)
	if _, err := in.CheckWithCode("alice", "a-guessed-password", codes[3]); !errors.Is(err, wizard.ErrBadCredentialsOrCode) {
		t.Fatalf("a right recovery code with a wrong password = %v, want ErrBadCredentialsOrCode", err)
	}
	a, err := d.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	if a.Failures != 1 || a.SecondFactorTries.Failures != 0 {
		t.Errorf("after a wrong password with a right code: %d wrong password(s), %d wrong second factor(s); want 1, 0", a.Failures, a.SecondFactorTries.Failures)
	}
	if n := codesLeft(t, d); n != recovery.Count {
		t.Errorf("a wrong password used the code: %d left, want %d", n, recovery.Count)
	}
	got, err := in.CheckWithCode("alice", "alice-password-1", codes[3])
	if err != nil || got.Name != "alice@contoso.example" {
		t.Fatalf("the right password and the code = %+v, %v; want alice signed in", got, err)
	}
	if got.Failures != 0 || got.SecondFactorTries.Failures != 0 {
		t.Errorf("after the sign-in: %d wrong password(s), %d wrong second factor(s) still counted", got.Failures, got.SecondFactorTries.Failures)
	}
	if n := codesLeft(t, d); n != recovery.Count-1 {
		t.Errorf("after the sign-in %d codes left, want %d (the code used)", n, recovery.Count-1)
	}
	if _, err := in.CheckWithCode("alice", "alice-password-1", codes[3]); !errors.Is(err, wizard.ErrBadCredentialsOrCode) {
		t.Errorf("the used code again = %v, want ErrBadCredentialsOrCode", err)
	}
}

// TestSignIn_WrongRecoveryCodeIsNoPasswordGuess: a wrong recovery code with
// the right password never reaches the directory's bind: it counts on the
// second factor's count (with its back-off), not on ppolicy's, whose five
// failures would lock the person out of every service, and it tells
// nothing of the password.
func TestSignIn_WrongRecoveryCodeIsNoPasswordGuess(t *testing.T) {
	d, s := open(t, slapdtest.Options{MaxFailure: 5}) // ppolicy locks at 5 here, at 100 as shipped
	dn := s.AddPerson("alice", "alice-password-1", false)
	_, in := appAndCodes(t, d)
	for i := 0; i < 5; i++ {
		_, err := in.CheckWithCode("alice", "alice-password-1", "2345-6789-abcd")
		var w *wizard.WaitError
		if !errors.Is(err, wizard.ErrBadCredentialsOrCode) && !errors.As(err, &w) {
			t.Fatalf("wrong recovery code %d = %v, want ErrBadCredentialsOrCode or a wait", i+1, err)
		}
	}
	a, err := d.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	if a.Failures != 0 || a.SecondFactorTries.Failures == 0 {
		t.Errorf("after wrong recovery codes: %d wrong password(s), %d wrong second factor(s); want 0 and some", a.Failures, a.SecondFactorTries.Failures)
	}
	if got := whoami(t, s, dn, "alice-password-1"+oathtool(t)); got != 0 {
		t.Errorf("after wrong recovery codes alice's password and code are refused: exit %d", got)
	}
}

// lastStep reads the step slapo-otp last accepted for alice's enforced app.
func lastStep(t *testing.T, s *slapdtest.Server, dn string) int64 {
	t.Helper()
	res, err := s.Root().Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=*)", []string{"oathTOTPToken"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("read alice: %v", err)
	}
	tok := res.Entries[0].GetAttributeValue("oathTOTPToken")
	res, err = s.Root().Search(ldap.NewSearchRequest(tok, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false, "(objectClass=*)", []string{"oathTOTPLastTimeStep"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("read alice's token: %v", err)
	}
	n, _ := strconv.ParseInt(res.Entries[0].GetAttributeValue("oathTOTPLastTimeStep"), 10, 64)
	return n
}

// TestSignIn_RecoveryCodeKeepsTheAppsCodesSingleUse: the app's code the
// station computes for the bind follows the replay rules: a code the
// person just used at another service (the VPN) doesn't make the station
// send the same step (refused, and counted as a wrong password): it takes
// the next one, which slapo-otp records, and the person's code of that
// step is refused afterwards as any used code is.
func TestSignIn_RecoveryCodeKeepsTheAppsCodesSingleUse(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	codes, in := appAndCodes(t, d)
	// Alice's code at the VPN, this step.
	if got := whoami(t, s, dn, "alice-password-1"+oathtool(t)); got != 0 {
		t.Fatalf("alice at the VPN: exit %d", got)
	}
	used := lastStep(t, s, dn)
	if _, err := in.CheckWithCode("alice", "alice-password-1", codes[0]); err != nil {
		t.Fatalf("alice's password and a recovery code right after her app's code at the VPN = %v; want her signed in", err)
	}
	step := lastStep(t, s, dn)
	if step <= used {
		t.Fatalf("the station's bind recorded step %d, not later than %d used at the VPN", step, used)
	}
	if a, _ := d.Account("alice"); a.Failures != 0 {
		t.Errorf("the station's code counted %d wrong password(s)", a.Failures)
	}
	if got := whoami(t, s, dn, "alice-password-1"+oathtoolAt(t, time.Unix(step*30, 0))); got != 49 {
		t.Errorf("alice's app code of the step the station used binds again: exit %d, want 49", got)
	}
}

// TestSignIn_WrongRecoveryCodeCostsWhatANameThatNamesNobodyDoes: where
// apps are allowed, a wrong recovery code at a person with an app and at a
// name that names nobody (which is asked for the code as such a person is)
// makes the same directory requests and the same argon2id checks
// (recovery.Count), and gets the same answer.
func TestSignIn_WrongRecoveryCodeCostsWhatANameThatNamesNobodyDoes(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{Debug: "stats"})
	d := openOn(t, s)
	s.AddPerson("alice", "alice-password-1", false)
	_, in := appAndCodes(t, d)
	const unknown = "nobody@contoso.example"
	names := []string{"alice", unknown}
	// Each name's first second-factor failure adds its slot or the class
	// siAccount: the measured tries are the next ones. An hour apart: past
	// every back-off.
	now := time.Now()
	in.Now = func() time.Time { return now }
	for _, name := range names {
		if _, err := in.CheckWithCode(name, "alice-password-1", "2345-6789-abcd"); !errors.Is(err, wizard.ErrBadCredentialsOrCode) {
			t.Fatalf("%s: first wrong recovery code = %v", name, err)
		}
	}
	now = now.Add(time.Hour)
	var ops [2]map[string]int
	var hashes [2]uint64
	for i, name := range names {
		_, _, before := logOps(t, s, 0)
		h := secret.Checks()
		if _, err := in.CheckWithCode(name, "alice-password-1", "2345-6789-abce"); !errors.Is(err, wizard.ErrBadCredentialsOrCode) {
			t.Fatalf("%s: wrong recovery code = %v, want ErrBadCredentialsOrCode", name, err)
		}
		hashes[i] = secret.Checks() - h
		ops[i], _, _ = logOps(t, s, before)
	}
	if !sameOps(ops[0], ops[1]) {
		t.Errorf("a wrong recovery code at a person costs %v, at a name that names nobody %v", ops[0], ops[1])
	}
	if hashes[0] != hashes[1] || hashes[0] != recovery.Count {
		t.Errorf("a wrong recovery code costs %d argon2id checks at a person, %d at a name that names nobody; want %d each", hashes[0], hashes[1], recovery.Count)
	}
	if ops[0]["BIND"] != 0 {
		t.Errorf("a wrong recovery code reached the directory's bind: %v", ops[0])
	}
	if st, err := regulation.UnknownState(d, unknown, regulation.SecondFactor); err != nil || st.Failures != 2 {
		t.Errorf("the slot counts %d wrong second factors (%v), want 2", st.Failures, err)
	}
}

// TestSignIn_RecoveryCodeSignInIsAudited: the audit log says a sign-in
// used a recovery code (the helpdesk reads there why one went).
func TestSignIn_RecoveryCodeSignInIsAudited(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	codes, _ := appAndCodes(t, d)
	p, err := wizard.ParsePolicy("recovery.toml", []byte(`
organisation = "Contoso"
required = ["authenticator-app"]
allowed = ["authenticator-app", "recovery-codes"]
`))
	if err != nil {
		t.Fatal(err)
	}
	var signIns []string
	f := wizard.New(wizard.Config{
		Policy: p, Dir: d, Now: time.Now, Rand: rand.Reader,
		Provers: map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver, info.KindRecoveryCodes: recovery.NewProver},
		Audit: func(actor, action, account, detail string) error {
			if action == info.ActionSignIn {
				signIns = append(signIns, account+": "+detail)
			}
			return nil
		},
	})
	if err := f.SignInWithCode("alice", "alice-password-1", codes[1]); err != nil {
		t.Fatal(err)
	}
	if len(signIns) != 1 || signIns[0] != "alice@contoso.example: with a recovery code" {
		t.Errorf("sign-ins audited: %q, want one with a recovery code", signIns)
	}
}

// TestSignIn_RecoveryCodeKeptAtAStationThatRefusesThePerson: at a
// helpdesk station, which refuses a person who is no helpdesk account
// once they are proved (Admit), a right password and recovery code prove
// them without using the code, as a pass there is checked without being
// used: the code still works where it is meant to.
func TestSignIn_RecoveryCodeKeptAtAStationThatRefusesThePerson(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	codes, in := appAndCodes(t, d)
	in.Admit = func(a info.Account) (bool, error) { return a.Helpdesk, nil }
	if _, err := in.CheckWithCode("alice", "alice-password-1", codes[2]); err != nil {
		t.Fatalf("alice's password and recovery code at the helpdesk station = %v, want her proved (the flow refuses her)", err)
	}
	if n := codesLeft(t, d); n != recovery.Count {
		t.Errorf("the helpdesk station used alice's code: %d left, want %d", n, recovery.Count)
	}
	in.Admit = nil
	if _, err := in.CheckWithCode("alice", "alice-password-1", codes[2]); err != nil {
		t.Errorf("the code at a kiosk afterwards = %v, want alice signed in", err)
	}
}

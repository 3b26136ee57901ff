package directory_test

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// REVIEW7 FINDING (dishonest behaviour, the person using it): where the
// directory enforces a person's authenticator app, their recovery codes
// never sign them in, though the app registered them with "Recovery codes
// let you sign in, or reset your password, when you can't use your other
// methods" (ui/recovery.go; wizard/methods.go's UsedFor says the same).
//
// What's wrong: for an account with CodeAtBind, SignIn.bind
// (wizard/signin.go) appends whatever is typed in the code box to the
// password and binds; slapo-otp refuses anything but the app's code. A
// person whose phone is lost or broken, the one case recovery codes
// exist for, types a recovery code there and is told "That account name,
// password or code isn't right", and ppolicy counts it as a wrong
// password: five tries and the account is locked at every service (5 in
// base.ldif's cn=default). "Sign in another way" (verify page) is only
// offered after the password was proved, which for this person needs the
// app. Only the helpdesk's Temporary Access Pass gets them in.
//
// Why it matters: DESIGN.md "what each method is for" (recovery codes:
// sign-in and reset) and the seed's promise that a registered method can
// be used to verify; a recovery code the person keeps for exactly this
// day fails them, and trying it locks them out.
//
// What a fix should do: at sign-in of a CodeAtBind account, check text in
// the code box shaped like a recovery code (recovery.Normalise) as a
// recovery code first (on the second factor's count, regulation), and if
// it is right, prove the password with a bind of password + the current
// code the station computes from oathSecret (stations may read it,
// assets/directory/slapd.conf), recording the step as replicateStep does;
// never let a recovery-code-shaped text reach the bind as a code. If the
// project decides not to, the wording (ui/recovery.go, methods.go) must
// stop promising sign-in where the directory enforces the app, and this
// test changes to assert that.
func TestReview7_RecoveryCodeCannotSignInWhereTheAppIsEnforced(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	codes, err := recovery.Regenerate(d, "alice", time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p, err := wizard.ParsePolicy("review7.toml", []byte(`
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

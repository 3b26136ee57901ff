package directory_test

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// Where the policy allows authenticator apps and every person has one, a
// name that names nobody is asked for the code as a person whose app the
// directory enforces is, and then refused in the same words: "Enter the
// code" for real names only told which names exist (and have an app).
// (Where some people have none, some names answer as they do:
// unknown_standin_test.go.)
func TestSignIn_UnknownNameIsAskedForTheCodeAsAPersonWithAnApp(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	in := &wizard.SignIn{Dir: d, Now: time.Now, AppAtBind: true}
	for _, name := range []string{"alice", "nobody"} {
		if _, err := in.Check(name, "a-guess-1"); !errors.Is(err, wizard.ErrCodeRequired) {
			t.Errorf("%s without a code = %v, want ErrCodeRequired", name, err)
		}
		if _, err := in.CheckWithCode(name, "a-guess-1", "000000"); !errors.Is(err, wizard.ErrBadCredentialsOrCode) {
			t.Errorf("%s with a wrong password and code = %v, want ErrBadCredentialsOrCode", name, err)
		}
	}

	// Through the flow: a directory and a policy allowing apps is what asks.
	const dir = "[directory]\nurl = \"ldap://127.0.0.1:1\"\nbase_dn = \"dc=contoso,dc=example\"\nbind_dn = \"cn=station\"\n"
	for policy, want := range map[string]error{
		"organisation = \"Contoso\"\nallowed = [\"authenticator-app\", \"phone\"]\n" + dir: wizard.ErrCodeRequired,
		"organisation = \"Contoso\"\nallowed = [\"phone\"]\n" + dir:                        wizard.ErrBadCredentials,
	} {
		pol, err := wizard.ParsePolicy("t.toml", []byte(policy))
		if err != nil {
			t.Fatal(err)
		}
		f := wizard.New(wizard.Config{Policy: pol, Dir: d, Now: time.Now, Rand: rand.Reader})
		if err := f.SignIn("nobody-else", "a-guess-2"); !errors.Is(err, want) {
			t.Errorf("policy %q: an unknown name = %v, want %v", policy, err, want)
		}
	}
}

// Before the code is asked for, nothing but text shaped like a Temporary
// Access Pass is checked or counted, for a person with an app and a name
// that names nobody alike: the right password typed first is no failure
// at the directory (an abandoned sign-in left one, and the shipped
// ppolicy locks at 5), tries without a code never lock or wait, and pass
// guesses wait alike.
func TestSignIn_NothingIsCountedBeforeTheCodeButPassGuesses(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	v := &tap.Verifier{Passes: d}
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: v.SignIn, AppAtBind: true}
	for _, name := range []string{"alice", "nobody"} {
		for i := 0; i < 7; i++ {
			if _, err := in.Check(name, "alice-password-1"); !errors.Is(err, wizard.ErrCodeRequired) {
				t.Fatalf("%s, try %d without a code = %v, want ErrCodeRequired", name, i+1, err)
			}
		}
	}
	if a, _ := d.Account("alice"); a.Failures != 0 {
		t.Errorf("the right password typed before the code counted %d failures", a.Failures)
	}
	if a, err := in.CheckWithCode("alice", "alice-password-1", oathtool(t)); err != nil || a.Name != "alice@contoso.example" {
		t.Fatalf("alice with her password and code = %+v, %v", a, err)
	}

	guess := tap.Format("ABCDEFGHJKLM")
	for _, name := range []string{"alice", "nobody"} {
		var err error
		for i := 0; i <= regulation.Default.Free; i++ {
			_, err = in.Check(name, guess)
		}
		var w *regulation.WaitError
		if !errors.As(err, &w) {
			t.Errorf("%s: pass guesses without a code, try %d = %v, want a wait", name, regulation.Default.Free+1, err)
		}
	}
}

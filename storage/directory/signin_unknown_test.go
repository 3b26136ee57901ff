package directory_test

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// Where the policy allows authenticator apps, a name that names nobody is
// asked for the code as a person whose app the directory enforces is, and
// then refused in the same words: "Enter the code" for real names only
// told which names exist (and have an app).
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

	// Through the flow: the policy allowing apps is what asks.
	for policy, want := range map[string]error{
		"organisation = \"Contoso\"\nallowed = [\"authenticator-app\", \"phone\"]\n": wizard.ErrCodeRequired,
		"organisation = \"Contoso\"\nallowed = [\"phone\"]\n":                        wizard.ErrBadCredentials,
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

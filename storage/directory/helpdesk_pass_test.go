package directory_test

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// A helpdesk operator whose app the directory enforces at bind signs in
// with a Temporary Access Pass: the directory checked no code, so the
// operator still proves the app before the helpdesk page (a helpdesk's
// powers never rest on a password or a pass alone).
func TestHelpdesk_OperatorWithAPassProvesTheApp(t *testing.T) {
	d, s := open(t)
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
		Pass:    v.SignIn})
	if err := f.SignIn("op", pass); err != nil {
		t.Fatalf("SignIn with the pass: %v", err)
	}
	if f.Page() != wizard.PageVerify {
		t.Fatalf("with a pass alone the operator reached %v, want the second factor (PageVerify)", f.Page())
	}
	opts, err := f.ProofOptions()
	if err != nil || len(opts) != 1 || opts[0].Kind != info.KindAuthenticatorApp {
		t.Fatalf("ways to prove: %+v, %v", opts, err)
	}
	if _, err := f.StartProof(opts[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.Prove([]string{authapp.Code(seed, time.Now())}); err != nil {
		t.Fatalf("the app's code: %v", err)
	}
	if f.Page() != wizard.PageHelpdesk {
		t.Errorf("after the app's code: %v, want PageHelpdesk", f.Page())
	}
}

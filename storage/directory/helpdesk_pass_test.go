package directory_test

import (
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// A helpdesk operator whose app the directory enforces at bind signs in
// with a Temporary Access Pass: the directory checked no code, so the
// operator still proves the app before the helpdesk page (a helpdesk's
// powers never rest on a password or a pass alone).
func TestHelpdesk_OperatorWithAPassProvesTheApp(t *testing.T) {
	d, s := open(t)
	f := operatorByPass(t, d, s, nil)
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

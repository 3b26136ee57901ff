package wizard_test

import (
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestFlow_HelpdeskLookUpGivesNoDigestOfAnAppPassword: what an operator
// is given of an account is "never a secret, nor a hash of one"
// (AccountSummary). An app password's lookup digest is 16 bits of a
// SHA-256 of the password itself, unkeyed: it must not be handed over.
func TestFlow_HelpdeskLookUpGivesNoDigestOfAnAppPassword(t *testing.T) {
	dir := newStore(t)
	f, _ := helpdeskAt(t, dir)
	pw, _, err := apppassword.Create(dir, alice, "Laptop", t0, testkit.Seeded(9))
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.LookUp(alice)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, m := range s.Methods {
		if m.Kind != info.KindAppPassword {
			continue
		}
		seen++
		if m.Lookup != "" || m.Hash != "" {
			t.Errorf("the operator is given the app password %q's digest %q (= apppassword.Lookup of the password: %v) or hash %q",
				m.Label, m.Lookup, strings.EqualFold(m.Lookup, apppassword.Lookup(pw)), m.Hash)
		}
	}
	if seen != 1 {
		t.Errorf("the operator sees %d app passwords, want 1", seen)
	}
}

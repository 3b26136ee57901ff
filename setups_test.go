package main

import (
	"testing"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// The policy the app ships allows only what this binary can register.
func TestDefaultPolicy_AllowsOnlyWhatIsBuilt(t *testing.T) {
	pol, err := wizard.ParsePolicy(assets.DefaultPolicyName, assets.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	built := setupFactories(pol)
	kinds := append(append([]info.Kind(nil), pol.Required...), pol.Allowed...)
	if pol.AppPasswords {
		kinds = append(kinds, info.KindAppPassword)
	}
	for _, k := range kinds {
		if built[k] == nil {
			t.Errorf("the default policy allows %s, which this binary can't register", k)
		}
	}
}

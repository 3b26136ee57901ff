package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/cli"
)

// The installed app reads the system's policy, then the user's, and runs
// the demo only when asked to.
func TestFindPolicy_SystemThenUserNeverTheDemoUnasked(t *testing.T) {
	dir := t.TempDir()
	system, user := filepath.Join(dir, "etc", "policy.toml"), filepath.Join(dir, "config", "policy.toml")
	defer func(old func() []string) { policyPlaces = old }(policyPlaces)
	policyPlaces = func() []string { return []string{system, user} }

	if got := findPolicy(); got != "" {
		t.Fatalf("no policy anywhere: found %q", got)
	}
	_, _, err := appPolicy(cli.Globals{})
	if !errors.Is(err, errNoPolicy) || !strings.Contains(err.Error(), system) || !strings.Contains(err.Error(), "--demo") {
		t.Errorf("no policy, no --demo: %v", err)
	}
	name, _, err := appPolicy(cli.Globals{Demo: true})
	if err != nil || !strings.Contains(name, "demo") {
		t.Errorf("--demo: %q, %v", name, err)
	}
	for _, f := range []string{user, system} {
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte("organisation = \"Contoso\"\n"), 0o644)
		if got := findPolicy(); got != f {
			t.Errorf("found %q, want %q", got, f)
		}
	}
}

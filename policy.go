package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/cli"
)

// SystemPolicy is the station's policy, written by its administrator.
const SystemPolicy = "/etc/securityinfo/policy.toml"

// errNoPolicy means the app found no policy and was not asked for the
// demo.
var errNoPolicy = errors.New("no policy")

// policyPlaces lists where a policy is looked for, in order: the
// system's, then the user's config dir.
var policyPlaces = func() []string {
	places := []string{SystemPolicy}
	if dir, err := os.UserConfigDir(); err == nil {
		places = append(places, filepath.Join(dir, "securityinfo", "policy.toml"))
	}
	return places
}

// findPolicy returns the first policy file of policyPlaces that exists,
// or "".
func findPolicy() string {
	for _, p := range policyPlaces() {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// appPolicy is the policy the app runs on: the file found or given, or
// the embedded demo, only when asked for with --demo.
func appPolicy(g cli.Globals) (name string, text []byte, err error) {
	if g.Policy == "" && !g.Demo {
		places := policyPlaces()
		return "", nil, fmt.Errorf("%w: write the organisation's policy to %s (or, for one person, %s), give one with --policy FILE, or run the built-in demo with --demo (see the README)",
			errNoPolicy, places[0], places[len(places)-1])
	}
	if g.Demo {
		return assets.DefaultPolicyName + " (the built-in demo)", assets.DefaultPolicy, nil
	}
	return policyText(g.Policy)
}

// announceDemo says loudly, on standard error, that the app runs the demo.
func announceDemo(name string) {
	fmt.Fprintf(os.Stderr, `
  ************************************************************************
  *  DEMO: Security Info is running on %s.
  *  Nothing is sent: codes go to a local outbox. Don't register real
  *  security info here. For real use, write %s.
  ************************************************************************

`, name, SystemPolicy)
}

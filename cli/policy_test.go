package cli

import (
	"io"
	"strings"
	"testing"
)

// Without --policy the station's policy is found (Env.FindPolicy) for the
// app and every command alike; --demo asks for the embedded demo instead,
// and can't be given with a policy.
func TestGlobals_PolicyFoundUnlessDemo(t *testing.T) {
	run := func(args ...string) (Globals, int, string) {
		var got Globals
		var errOut strings.Builder
		code := Run(args, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errOut,
			FindPolicy: func() string { return "/etc/securityinfo/policy.toml" },
			App:        func(g Globals) error { got = g; return nil }})
		return got, code, errOut.String()
	}
	if g, code, _ := run(); code != 0 || g.Policy != "/etc/securityinfo/policy.toml" || g.Demo {
		t.Errorf("no flags: exit %d, %+v", code, g)
	}
	if g, code, _ := run("--policy", "mine.toml"); code != 0 || g.Policy != "mine.toml" {
		t.Errorf("--policy: exit %d, %+v", code, g)
	}
	if g, code, _ := run("--demo"); code != 0 || g.Policy != "" || !g.Demo {
		t.Errorf("--demo: exit %d, %+v", code, g)
	}
	if _, code, errOut := run("--demo", "--policy", "mine.toml"); code != 2 || !strings.Contains(errOut, "--demo") {
		t.Errorf("--demo with --policy: exit %d, %q", code, errOut)
	}
}

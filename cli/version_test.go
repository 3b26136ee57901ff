package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestVersion_EqualsFyneAppToml(t *testing.T) {
	var app struct {
		Details struct{ Version string }
	}
	if _, err := toml.DecodeFile("../FyneApp.toml", &app); err != nil {
		t.Fatal(err)
	}
	if app.Details.Version == "" || app.Details.Version != Version {
		t.Errorf("cli.Version = %q, FyneApp.toml says %q: keep them equal", Version, app.Details.Version)
	}
}

func TestVersion_FlagAndCommand(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-v"}, {"version"}, {"-version"}} {
		var out, errOut bytes.Buffer
		code := Run(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut})
		if code != 0 || out.String() != "securityinfo version "+Version+"\n" || errOut.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out.String(), errOut.String())
		}
	}
}

func TestCompletion_ScriptsAndCandidates(t *testing.T) {
	run := func(args ...string) (string, int) {
		var out bytes.Buffer
		code := Run(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &bytes.Buffer{}})
		return out.String(), code
	}
	for shell, want := range map[string]string{
		"bash": "__start_securityinfo", "zsh": "#compdef securityinfo",
		"fish": "complete -c securityinfo", "powershell": "Register-ArgumentCompleter",
	} {
		if out, code := run("completion", shell); code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, no %q in %.200q", shell, code, want, out)
		}
	}
	// What the scripts ask for when Tab is pressed.
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", ""}, []string{"user", "app-password", "tap", "audit", "provider", "station", "directory", "version"}},
		{[]string{"__complete", "user", ""}, []string{"add", "list", "show", "reset", "unlock"}},
		{[]string{"__complete", "provider", "set", ""}, []string{"twilio", "webhook"}},
		{[]string{"__complete", "tap", "issue", "--"}, []string{"--lifetime", "--one-time", "--data-dir"}},
	}
	for _, tc := range tests {
		out, code := run(tc.args...)
		got := map[string]bool{}
		for _, line := range strings.Split(out, "\n") {
			name, _, _ := strings.Cut(line, "\t")
			got[name] = true
		}
		for _, w := range tc.want {
			if code != 0 || !got[w] {
				t.Errorf("%v: exit %d, no %q in %q", tc.args, code, w, out)
			}
		}
	}
}

func TestHelp_IsCobrasWithPlainWords(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"securityinfo [--policy FILE] [--data-dir DIR] [--kiosk]", "securityinfo COMMAND [ARGS]", "  user add ACCOUNT [--helpdesk]", "  directory credential", "--data-dir DIR"}},
		{[]string{"help", "provider", "set"}, []string{"securityinfo provider set twilio|webhook|smtp", "over 1000 bytes is refused", "Other provider commands:", "  provider show"}},
		{[]string{"directory", "--help"}, []string{"  directory credential", "  directory check", "Global flags (before or after the command):"}},
		{[]string{"station", "passphrase", "-h"}, []string{"least 12 characters"}},
	}
	for _, tc := range tests {
		var out bytes.Buffer
		code := Run(tc.args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &bytes.Buffer{}})
		for _, w := range tc.want {
			if code != 0 || !strings.Contains(out.String(), w) {
				t.Errorf("%v: exit %d, no %q in:\n%s", tc.args, code, w, out.String())
			}
		}
	}
}

package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// runStore runs a command against the rig's store, wrapped by wrap (nil:
// as it is), reading passwords from prompt when it is set.
func (r *cliRig) runStore(wrap func(info.Store) info.Store, prompt func(string) (string, error), stdin string, args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	code := Run(append([]string{"--data-dir", r.data}, args...), Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, ReadPassword: prompt,
		Open: func(g Globals) (info.Store, error) {
			var s info.Store = r.open()
			if wrap != nil {
				s = wrap(s)
			}
			return s, nil
		},
	})
	return out.String(), errOut.String(), code
}

func TestRun_ExitCodes(t *testing.T) {
	r := newCLI(t)
	r.addAccount("alice@contoso.example")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"version", []string{"version"}, 0},
		{"list", []string{"user", "list"}, 0},
		{"help", []string{"help", "user"}, 0},
		{"completion", []string{"completion", "bash"}, 0},
		{"unknown account", []string{"user", "show", "nobody@contoso.example"}, 1},
		{"nothing to revoke", []string{"tap", "revoke", "alice@contoso.example"}, 1},
		{"group alone", []string{"user"}, 2},
		{"unknown command", []string{"frobnicate"}, 2},
		{"unknown flag", []string{"user", "list", "--bogus"}, 2},
		{"empty data dir", []string{"user", "list", "--data-dir="}, 2},
		{"argument too many", []string{"user", "list", "x"}, 2},
		{"unknown shell", []string{"completion", "tcsh"}, 2},
		{"bool with a value", []string{"tap", "issue", "alice@contoso.example", "--one-time=maybe"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := r.runStore(nil, nil, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, errOut)
			}
			if lines := strings.Count(errOut, "\n"); (code == 0 && errOut != "") || (code != 0 && lines != 1) {
				t.Errorf("stderr %q: want nothing on success, one line on failure", errOut)
			}
		})
	}
}

func TestRun_ErrorsNeutraliseControlCharacters(t *testing.T) {
	r := newCLI(t)
	r.addAccount("alice@contoso.example")
	tests := []struct {
		name string
		args []string
		bad  string // must not reach stderr
		code int
	}{
		{"escape in an account", []string{"user", "show", "a\x1b[31mred\x1b[0m"}, "\x1b", 1},
		{"title-setting OSC as a command", []string{"\x1b]0;pwned\x07"}, "\x1b", 2},
		{"bell in a flag", []string{"user", "list", "--x\x07"}, "\x07", 2},
		{"right-to-left override", []string{"user", "show", "alice\u202efdp.exe"}, "\u202e", 1},
		{"left-to-right embedding", []string{"tap", "revoke", "x\u202ay"}, "\u202a", 1},
		{"first-strong isolate", []string{"app-password", "list", "x\u2068y"}, "\u2068", 1},
		{"pop directional isolate", []string{"user", "reset", "x\u2069y"}, "\u2069", 1},
		{"zero-width space", []string{"user", "show", "al\u200bice"}, "\u200b", 1},
		{"zero-width joiner", []string{"user", "unlock", "al\u200dice"}, "\u200d", 1},
		{"byte-order mark", []string{"user", "show", "\ufeffalice"}, "\ufeff", 1},
		{"C1 control", []string{"user", "show", "a\u009bb"}, "\u009b", 1},
		{"carriage return", []string{"audit", "list", "--since", "1h\rforged"}, "\r", 2},
		{"not UTF-8", []string{"user", "show", "a\xffb"}, "\xff", 1},
		{"escape in a lifetime", []string{"tap", "issue", "alice@contoso.example", "--lifetime", "\x1b[2J"}, "\x1b", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := r.runStore(nil, nil, "", tc.args...)
			if code != tc.code || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit %d, one line", code, errOut, tc.code)
			}
			if strings.Contains(errOut, tc.bad) {
				t.Errorf("stderr holds %q raw: %q", tc.bad, errOut)
			}
			if !utf8.ValidString(errOut) {
				t.Errorf("stderr is not UTF-8: %q", errOut)
			}
		})
	}
	// Escaped, not dropped: the administrator still sees what was typed.
	_, errOut, _ := r.runStore(nil, nil, "", "user", "show", "a\x1bb")
	if !strings.Contains(errOut, `\x1b`) {
		t.Errorf("stderr %q does not show the escape as \\x1b", errOut)
	}
}

func TestRun_ErrorsCutLongArguments(t *testing.T) {
	r := newCLI(t)
	r.addAccount("alice@contoso.example")
	long := strings.Repeat("A", 10<<10)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"account", []string{"user", "show", long}, 1},
		{"account to add", []string{"user", "add", long}, 2},
		{"command", []string{long}, 2},
		{"sub-command", []string{"user", long}, 2},
		{"flag", []string{"user", "list", "--" + long}, 2},
		{"shorthand flags", []string{"user", "list", "-" + long}, 2},
		{"flag value", []string{"tap", "issue", "alice@contoso.example", "--lifetime", long}, 2},
		{"since", []string{"audit", "list", "--since", long}, 2},
		{"provider", []string{"provider", "set", long}, 2},
		{"app password name", []string{"app-password", "delete", "alice@contoso.example", long}, 1},
		{"data dir", []string{"user", "list", "--data-dir", "/nonexistent/" + long}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var errOut bytes.Buffer
			var code int
			if tc.name == "data dir" {
				// A real open, so that the path reaches the message.
				code = Run(tc.args, Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &errOut,
					Open: func(g Globals) (info.Store, error) { return nil, &told{"cannot open " + g.DataDir, nil} }})
			} else {
				_, e, c := r.runStore(nil, nil, "", tc.args...)
				errOut.WriteString(e)
				code = c
			}
			if code != tc.code || strings.Count(errOut.String(), "\n") != 1 {
				t.Errorf("exit %d, want %d; stderr %.200q", code, tc.code, errOut.String())
			}
			if n := errOut.Len(); n > maxMessage+100 || strings.Contains(errOut.String(), strings.Repeat("A", maxWord+1)) {
				t.Errorf("stderr is %d bytes and echoes the long argument: %.300q", n, errOut.String())
			}
		})
	}
}

func TestRun_FlagLikeArgumentsAreNeverAccounts(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"dash", []string{"user", "add", "-"}, `"-" is not an account name`},
		{"short flag", []string{"user", "add", "-x"}, "unknown flag -x"},
		{"long flag", []string{"user", "add", "--bogus"}, "unknown flag --bogus"},
		{"after --", []string{"user", "add", "--", "-x"}, `"-x" is not an account name`},
		{"long after --", []string{"user", "add", "--", "--bogus"}, `"--bogus" is not an account name`},
		{"space then dash", []string{"user", "add", " -x"}, "is not an account name"},
		{"show", []string{"user", "show", "--", "-x"}, "is not an account name"},
		{"reset", []string{"user", "reset", "-"}, "is not an account name"},
		{"tap issue", []string{"tap", "issue", "--", "-x"}, "is not an account name"},
		{"app-password verify", []string{"app-password", "verify", "-"}, "is not an account name"},
		{"audit filter", []string{"audit", "list", "--account", "-x"}, "is not an account name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newCLI(t)
			opened := false
			wrap := func(s info.Store) info.Store { opened = true; return s }
			_, errOut, code := r.runStore(wrap, nil, "s3cret-password\n", tc.args...)
			if code != 2 || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line with %q", code, errOut, tc.want)
			}
			if opened {
				t.Error("the store was opened for a flag-like account")
			}
			n := 0
			r.open().EachAccount("", 0, func(info.Account) error { n++; return nil })
			if n != 0 {
				t.Errorf("%d accounts were added", n)
			}
		})
	}
}

func TestRun_GlobalFlagsWithOneDash(t *testing.T) {
	r := newCLI(t)
	r.addAccount("alice@contoso.example")
	for _, args := range [][]string{
		{"-data-dir", r.data, "user", "list"},
		{"user", "list", "-data-dir=" + r.data},
	} {
		var out bytes.Buffer
		code := Run(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &bytes.Buffer{},
			Open: func(g Globals) (info.Store, error) {
				if g.DataDir != r.data {
					t.Errorf("%v: data dir %q", args, g.DataDir)
				}
				return r.open(), nil
			}})
		if code != 0 || out.String() != "alice@contoso.example\n" {
			t.Errorf("%v: exit %d, %q", args, code, out.String())
		}
	}
}

func TestRun_ErrorsFromBelowAreEscaped(t *testing.T) {
	// Text that reaches a message unquoted: a path and a store's own error.
	for _, bad := range []string{"\x1b[2J", "\u202e", "\u2066", "\u200b", "\u2028", "\x9b"} {
		var errOut bytes.Buffer
		code := Run([]string{"user", "list", "--data-dir", "/srv/x" + bad + "y"}, Env{
			Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &errOut,
			Open: func(Globals) (info.Store, error) { return nil, errors.New("store says " + bad) },
		})
		if code != 1 || strings.Contains(errOut.String(), bad) || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q", bad, code, errOut.String())
		}
	}
}

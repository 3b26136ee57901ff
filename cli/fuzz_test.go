package cli

import (
	"bytes"
	crand "crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// FuzzRun runs any command line (arguments separated by NUL) with any
// standard input against an in-memory store holding alice, with a
// password and an app password: Run never panics, exits 0, 1 or 2, a
// failure is one line on stderr, and what stdin held (passwords, keys,
// app passwords to verify) never appears on stdout or stderr unless the
// command line itself holds it.
func FuzzRun(f *testing.F) {
	const alice = "alice@contoso.example"
	pwHash, err := secret.Hash("alices-password", crand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	appHash, err := secret.Hash("abcdefghijklmnop", crand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	seeds := []struct{ args, stdin string }{
		{"user\x00list", ""},
		{"user\x00add\x00bob@contoso.example", "bobs-new-password\n"},
		{"user\x00add\x00bob@contoso.example\x00--helpdesk", "short\n"},
		{"user\x00show\x00ALICE@contoso.example", ""},
		{"user\x00reset\x00alice@contoso.example", ""},
		{"user\x00unlock\x00alice@contoso.example", ""},
		{"app-password\x00list\x00alice@contoso.example", ""},
		{"app-password\x00delete\x00alice@contoso.example\x00Mail", ""},
		{"app-password\x00verify\x00alice@contoso.example", "abcd efgh ijkl mnop\n"},
		{"app-password\x00verify\x00nobody@contoso.example", "abcdefghijklmnop\n"},
		{"tap\x00issue\x00alice@contoso.example\x00--lifetime\x008h\x00--one-time", ""},
		{"tap\x00revoke\x00alice@contoso.example", ""},
		{"audit\x00list\x00--account\x00alice@contoso.example\x00--since\x0024h", ""},
		{"provider\x00set\x00webhook", "webhook-signing-key-canary\n"},
		{"provider\x00set\x00twilio", "AC0123456789abcdef0123456789abcdef\ntoken-canary-0123456789\n"},
		{"provider\x00show", ""},
		{"station\x00passphrase", "station passphrase canary\n"},
		{"directory\x00credential", "bind-password-canary\n"},
		{"--version", ""},
		{"help\x00user", ""},
		{"-data-dir=/nonexistent\x00user\x00list", ""},
		{"user\x00add\x00\u202eevil@contoso.example", "password-canary\n"},
		{"user\x00add\x00-rf", ""},
		{"", ""},
	}
	for _, s := range seeds {
		f.Add(s.args, s.stdin)
	}
	// run runs the command line on a fresh store.
	run := func(t *testing.T, argv []string, stdin string) (string, string, int) {
		s := memory.New()
		if err := s.CreateAccount(info.Account{Name: alice, PasswordHash: pwHash, Created: time.Now().UTC()}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMethod(alice, info.Method{ID: "pw1", Kind: info.KindAppPassword, Label: "Mail", Created: time.Now().UTC(), Hash: appHash}, nil); err != nil {
			t.Fatal(err)
		}
		open := func(Globals) (info.Store, error) { return s, nil }
		var out, errOut bytes.Buffer
		code := Run(argv, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Open: open, Station: open})
		return out.String(), errOut.String(), code
	}
	f.Fuzz(func(t *testing.T, args, stdin string) {
		argv := []string{}
		if args != "" {
			argv = strings.Split(args, "\x00")
		}
		out, errOut, code := run(t, argv, stdin)
		if code < 0 || code > 2 {
			t.Fatalf("exit %d", code)
		}
		if code != 0 && strings.Count(errOut, "\n") != 1 {
			t.Fatalf("exit %d with stderr %q: want one line", code, errOut)
		}
		var without string // the output with nothing on stdin, made when needed
		for _, line := range strings.Split(stdin, "\n") {
			line = strings.TrimSpace(line)
			if len(line) < 6 || strings.Contains(args, line) || !strings.Contains(out+errOut, line) {
				continue
			}
			// Is it there because of stdin, or would the command print it
			// anyway (help, alice's name, a generated pass)?
			if without == "" {
				o, e, _ := run(t, argv, "")
				without = o + e + "\x00"
			}
			if !strings.Contains(without, line) {
				t.Fatalf("the output holds %q from stdin: stdout %q, stderr %q", line, out, errOut)
			}
		}
	})
}

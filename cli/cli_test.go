package cli

import (
	"bytes"
	crand "crypto/rand"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/station"
)

// cliRig runs commands in process against one data dir with an in-memory
// keyring.
type cliRig struct {
	t    *testing.T
	data string
	keys *storage.MemoryKeyring
}

func newCLI(t *testing.T) *cliRig {
	return &cliRig{t: t, data: t.TempDir(), keys: storage.NewMemoryKeyring()}
}

func (r *cliRig) run(stdin string, args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	code := Run(args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Open: func(g Globals) (info.Store, error) { return storage.OpenLocal(g.DataDir, r.keys) },
	})
	return out.String(), errOut.String(), code
}

func TestParseGlobals_BeforeOrAfterTheCommand(t *testing.T) {
	for _, args := range [][]string{
		{"--data-dir", "/d", "user", "list"},
		{"user", "list", "--data-dir", "/d"},
		{"user", "--data-dir=/d", "list"},
	} {
		var got *Globals
		var listed bool
		code := Run(args, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
			Open: func(g Globals) (info.Store, error) {
				got = &g
				l, err := storage.OpenLocal(t.TempDir(), storage.NewMemoryKeyring())
				listed = err == nil
				return l, err
			}})
		if code != 0 || got == nil || got.DataDir != "/d" || !listed {
			t.Errorf("%v: exit %d, %+v", args, code, got)
		}
	}
	if code := Run([]string{"user", "list", "--data-dir"}, Env{Stdout: io.Discard, Stderr: io.Discard}); code != 2 {
		t.Errorf("--data-dir without a value: exit %d", code)
	}
}

func TestUser_AddListShowResetUnlock(t *testing.T) {
	r := newCLI(t)
	if out, errOut, code := r.run("s3cret-password\n", "--data-dir", r.data, "user", "add", "alice@contoso.example"); code != 0 || out != "added alice@contoso.example\n" {
		t.Fatalf("add: %d %q %q", code, out, errOut)
	}
	r.run("another-password\n", "--data-dir", r.data, "user", "add", "bob@contoso.example")
	if out, _, _ := r.run("", "user", "list", "--data-dir", r.data); out != "alice@contoso.example\nbob@contoso.example\n" {
		t.Errorf("list = %q", out)
	}
	dir, _ := storage.OpenLocal(r.data, r.keys)
	a, _ := dir.Account("alice@contoso.example")
	if ok, _ := secret.Check(a.PasswordHash, "s3cret-password"); !ok {
		t.Error("the stored hash does not check the password")
	}
	dir.AddMethod("alice@contoso.example", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: a.Created}, []byte("seed-canary"))
	dir.UpdateAccount("alice@contoso.example", func(x *info.Account) error { x.Failures = wizard.MaxFailures; return nil })

	out, _, code := r.run("", "--data-dir", r.data, "user", "show", "ALICE@contoso.example")
	for _, want := range []string{"account:   alice@contoso.example", "locked after 100 failed attempts", "authenticator-app", "Pixel", "default:   Authenticator app (Pixel)"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "seed-canary") || strings.Contains(out, "argon2") || strings.Contains(out, "s3cret") {
		t.Errorf("show printed a secret or hash:\n%s", out)
	}
	if out, _, code := r.run("", "--data-dir", r.data, "user", "reset", "alice@contoso.example"); code != 0 || !strings.Contains(out, "removed 1 method from") {
		t.Errorf("reset: %d %q", code, out)
	}
	if r.keys.Len() != 0 {
		t.Errorf("reset left %d keyring items", r.keys.Len())
	}
	if _, _, code := r.run("", "--data-dir", r.data, "user", "unlock", "alice@contoso.example"); code != 0 {
		t.Error("unlock failed")
	}
	a, _ = dir.Account("alice@contoso.example")
	if a.Failures != 0 {
		t.Errorf("failures after unlock = %d", a.Failures)
	}
}

func TestUser_BadInputIsOneLineAndNonZero(t *testing.T) {
	r := newCLI(t)
	r.run("s3cret-password\n", "--data-dir", r.data, "user", "add", "alice@contoso.example")
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		want        string
	}{
		{"duplicate", "other-password\n", []string{"user", "add", "Alice@Contoso.example"}, 1, "already exists"},
		{"unknown show", "", []string{"user", "show", "nobody@contoso.example"}, 1, "no account named"},
		{"unknown reset", "", []string{"user", "reset", "nobody@contoso.example"}, 1, "no account named"},
		{"empty name", "pw-long-enough\n", []string{"user", "add", ""}, 2, "the name is empty"},
		{"long name", "pw-long-enough\n", []string{"user", "add", strings.Repeat("x", 300)}, 2, "longer than 254"},
		{"control character", "pw-long-enough\n", []string{"user", "add", "a\x1bb"}, 2, "control character"},
		{"short password", "short\n", []string{"user", "add", "carol@contoso.example"}, 1, "at least 8 characters"},
		{"no sub-command", "", []string{"user"}, 2, "needs a sub-command"},
		{"unknown sub-command", "", []string{"user", "rename", "x"}, 2, "unknown user command"},
		{"missing account", "", []string{"user", "show"}, 2, "exactly one ACCOUNT"},
		{"unknown command", "", []string{"frobnicate"}, 2, "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := r.run(tc.stdin, append([]string{"--data-dir", r.data}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line with %q", code, errOut, tc.code, tc.want)
			}
		})
	}
	if out, _, _ := r.run("", "--data-dir", r.data, "user", "list"); out != "alice@contoso.example\n" {
		t.Errorf("bad input changed the accounts: %q", out)
	}
}

func TestUser_HelpForEachCommand(t *testing.T) {
	r := newCLI(t)
	for _, args := range [][]string{{"user", "--help"}, {"user", "add", "--help"}, {"--help", "user", "show"}} {
		out, _, code := r.run("", args...)
		if code != 0 || !strings.Contains(out, "user add ACCOUNT") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

func TestProvider_SetShowClear(t *testing.T) {
	r := newCLI(t)
	sid := "AC" + strings.Repeat("0", 32)
	if out, errOut, code := r.run(sid+"\ntoken-canary-123456\n", "--data-dir", r.data, "provider", "set", "twilio"); code != 0 {
		t.Fatalf("set: %d %q %q", code, out, errOut)
	}
	out, _, _ := r.run("", "--data-dir", r.data, "provider", "show")
	if !strings.Contains(out, "twilio   credentials set") || !strings.Contains(out, "webhook  not set") || strings.Contains(out, "canary") {
		t.Errorf("show = %q", out)
	}
	if _, errOut, code := r.run("not-a-sid\nx\n", "--data-dir", r.data, "provider", "set", "twilio"); code != 1 || !strings.Contains(errOut, "nothing was saved") {
		t.Errorf("bad SID: %d %q", code, errOut)
	}
	if _, errOut, code := r.run("", "--data-dir", r.data, "provider", "set", "pigeon"); code != 2 || !strings.Contains(errOut, "unknown provider") {
		t.Errorf("unknown provider: %d %q", code, errOut)
	}
	r.run("", "--data-dir", r.data, "provider", "clear", "twilio")
	if r.keys.Len() != 0 {
		t.Errorf("clear left %d keyring items", r.keys.Len())
	}
}

func TestStation_Passphrase(t *testing.T) {
	r := newCLI(t)
	if _, errOut, code := r.run("short\n", "--data-dir", r.data, "station", "passphrase"); code == 0 || !strings.Contains(errOut, "nothing was") {
		t.Errorf("short passphrase: %d %q", code, errOut)
	}
	if _, errOut, code := r.run("correct horse battery\n", "--data-dir", r.data, "station", "passphrase"); code != 0 {
		t.Fatalf("set: %d %q", code, errOut)
	}
	dir, _ := storage.OpenLocal(r.data, r.keys)
	if err := station.CheckPassphrase(dir, "correct horse battery", time.Now()); err != nil {
		t.Errorf("right passphrase: %v", err)
	}
	if err := station.CheckPassphrase(dir, "wrong", time.Now()); err == nil {
		t.Error("wrong passphrase accepted")
	}
	raw, _ := dir.StationSecret(station.PassphraseSecret)
	if strings.Contains(string(raw), "horse") || !strings.HasPrefix(string(raw), "$argon2id$") {
		t.Errorf("the keyring holds %q, not a hash", raw)
	}
}

func TestAppPassword_ListDeleteVerify(t *testing.T) {
	r := newCLI(t)
	r.run("s3cret-password\n", "--data-dir", r.data, "user", "add", "alice@contoso.example")
	dir, _ := storage.OpenLocal(r.data, r.keys)
	pw, _, err := apppassword.Create(dir, "alice@contoso.example", "Outlook 2010", time.Now(), crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if out, _, _ := r.run("", "--data-dir", r.data, "app-password", "list", "alice@contoso.example"); !strings.Contains(out, "Outlook 2010") || strings.Contains(out, pw) {
		t.Errorf("list = %q", out)
	}
	for _, tc := range []struct {
		stdin string
		code  int
	}{{pw + "\n", 0}, {apppassword.Format(pw) + "\n", 0}, {"wrongwrongwrongw\n", 1}} {
		if _, errOut, code := r.run(tc.stdin, "--data-dir", r.data, "app-password", "verify", "alice@contoso.example"); code != tc.code {
			t.Errorf("verify %q: exit %d (%q), want %d", tc.stdin, code, errOut, tc.code)
		}
	}
	if _, errOut, code := r.run(pw+"\n", "--data-dir", r.data, "app-password", "verify", "nobody@contoso.example"); code != 1 || !strings.Contains(errOut, "isn't right") {
		t.Errorf("unknown account: %d %q", code, errOut)
	}
	if _, errOut, code := r.run("", "--data-dir", r.data, "app-password", "delete", "alice@contoso.example", "outlook 2010"); code != 0 {
		t.Fatalf("delete: %d %q", code, errOut)
	}
	if _, _, code := r.run(pw+"\n", "--data-dir", r.data, "app-password", "verify", "alice@contoso.example"); code != 1 {
		t.Error("a deleted app password still verifies")
	}
	if _, errOut, code := r.run("", "--data-dir", r.data, "app-password", "delete", "alice@contoso.example", "Nope"); code != 1 || !strings.Contains(errOut, "no app password with that name") {
		t.Errorf("delete unknown: %d %q", code, errOut)
	}
}

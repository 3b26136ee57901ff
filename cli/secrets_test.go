package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/station"
)

func TestProviderSet_RefusesOverLongSecrets(t *testing.T) {
	const sid = "AC0123456789abcdef0123456789abcdef"
	tests := []struct {
		name, stdin, provider, want string
	}{
		{"webhook key over 1000 bytes", strings.Repeat("k", 1001) + "\n", "webhook", "too long for the keyring"},
		{"webhook key of 10 KB", strings.Repeat("k", 10<<10) + "\n", "webhook", "too long for the keyring"},
		{"twilio token over 1000 bytes", sid + "\n" + strings.Repeat("t", 1000) + "\n", "twilio", "too long for the keyring"},
		{"line over 64 KiB", strings.Repeat("k", 100<<10) + "\n", "webhook", "longer than 65536 bytes"},
		{"webhook key too short", "short\n", "webhook", "at least 16 characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newCLI(t)
			out, errOut, code := r.runStore(nil, nil, tc.stdin, "provider", "set", tc.provider)
			if code != 1 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "nothing was saved") || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 1, one line with %q and 'nothing was saved'", code, errOut, tc.want)
			}
			if strings.Contains(errOut+out, "kkkkkkkk") || strings.Contains(errOut+out, "tttttttt") {
				t.Errorf("the secret is echoed: %.200q", errOut)
			}
			if r.keys.Len() != 0 {
				t.Errorf("%d keyring items were stored", r.keys.Len())
			}
			if n := r.auditCount(t); n != 0 {
				t.Errorf("a refused secret left %d audit entries", n)
			}
		})
	}
	// The limit itself is accepted.
	r := newCLI(t)
	if _, errOut, code := r.runStore(nil, nil, strings.Repeat("k", station.MaxSecret)+"\n", "provider", "set", "webhook"); code != 0 {
		t.Errorf("a %d-byte key: exit %d, %q", station.MaxSecret, code, errOut)
	}
}

func TestDirectoryCredential_StoresWithoutPrinting(t *testing.T) {
	const canary = "bind pw with spaces canary"
	prompt := func(answers ...string) func(string) (string, error) {
		return func(string) (string, error) {
			if len(answers) == 0 {
				return "", errors.New("no more input")
			}
			a := answers[0]
			answers = answers[1:]
			return a, nil
		}
	}
	tests := []struct {
		name   string
		stdin  string
		prompt func(string) (string, error)
		code   int
		want   string // in stderr on failure
		stored string
	}{
		{"one line on stdin", canary + "\r\n", nil, 0, "", canary},
		{"prompt twice", "", prompt(canary, canary), 0, "", canary},
		{"prompts differ", "", prompt(canary, canary+"x"), 1, "the two entries differ", ""},
		{"empty", "\n", nil, 1, "empty", ""},
		{"over 1000 bytes", strings.Repeat("p", 1001) + "\n", nil, 1, "too long for the keyring", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newCLI(t)
			out, errOut, code := r.runStore(nil, tc.prompt, tc.stdin, "directory", "credential")
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d with %q", code, errOut, tc.code, tc.want)
			}
			noSecrets(t, []string{canary, "pppppppp"}, out, errOut)
			got, err := station.DirectoryCredential(r.open())
			if tc.stored == "" {
				if !errors.Is(err, station.ErrNotSet) {
					t.Errorf("stored %d bytes, err %v; want nothing", len(got), err)
				}
				return
			}
			if err != nil || got != tc.stored {
				t.Errorf("stored %q (%v), want %q", got, err, tc.stored)
			}
			if out != "saved the directory bind password in the keyring\n" {
				t.Errorf("stdout %q", out)
			}
		})
	}
}

func TestDirectoryCheck_SaysWhatIsConfigured(t *testing.T) {
	withDir := filepath.Join(t.TempDir(), "policy.toml")
	os.WriteFile(withDir, []byte("organisation = \"Contoso\"\n[directory]\nurl = \"ldap://127.0.0.1:3890\"\n"), 0o600)
	without := filepath.Join(t.TempDir(), "policy.toml")
	os.WriteFile(without, []byte("organisation = \"Contoso\"\n"), 0o600)
	tests := []struct {
		name      string
		policy    string
		setCred   bool
		code      int
		want, not string
	}{
		{"embedded default", "", false, 0, "directory:      none", "configured in the policy"},
		{"policy without a directory", without, false, 0, "directory:      none", "configured in the policy"},
		{"directory, no password", withDir, false, 1, "bind password:  not set", ""},
		{"directory and password", withDir, true, 0, "bind password:  set", "not set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newCLI(t)
			if tc.setCred {
				if err := station.SetDirectoryCredential(r.open(), "bind-canary"); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"directory", "check"}
			if tc.policy != "" {
				args = append(args, "--policy", tc.policy)
			}
			out, errOut, code := r.runStore(nil, nil, "", args...)
			if code != tc.code || !strings.Contains(out, tc.want) || (tc.not != "" && strings.Contains(out, tc.not)) {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			noSecrets(t, []string{"bind-canary"}, out, errOut)
		})
	}
}

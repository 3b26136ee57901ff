package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// `directory check` on a station whose policy has no [directory] table
// says "directory: none" and then fails (exit 1) because the keyring, on
// a headless kiosk or a server without a session bus, can't be asked for
// a bind password nothing uses. A monitoring script running the check
// (README: "is a directory configured, is its bind password set") then
// reports every station without a directory as broken. With no directory
// there is nothing to check: exit 0.
func TestDirectoryCheck_WithoutADirectoryTheKeyringIsNotNeeded(t *testing.T) {
	without := filepath.Join(t.TempDir(), "policy.toml")
	if err := os.WriteFile(without, []byte("organisation = \"Contoso\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := newCLI(t)
	r.keys.SetFailure(info.ErrKeyringUnavailable)
	out, errOut, code := r.runStore(nil, nil, "", "directory", "check", "--policy", without)
	if !strings.Contains(out, "directory:      none") {
		t.Fatalf("stdout %q", out)
	}
	if code != 0 {
		t.Errorf("no directory configured, keyring unavailable: exit %d, stderr %q", code, strings.TrimSpace(errOut))
	}
	if !strings.Contains(out, "bind password:  unknown (the keyring can't be reached") {
		t.Errorf("stdout %q doesn't say the bind password couldn't be read", out)
	}
}

package directory_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/cli"
	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// admin runs an admin command (securityinfo ARGS) on a station connected
// to s and returns its output and exit code.
func admin(t *testing.T, s *slapdtest.Server, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Run(args, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Open: func(cli.Globals) (info.Store, error) {
			return directory.Open(configFor(s), []byte(s.StationPassword), stationKeyring(t))
		}})
	return out.String(), errOut.String(), code
}

// Every admin command takes the name a person types (the account filter:
// uid or mail); `audit list --account` too, although the log records the
// mail address.
func TestAdmin_AuditListByUID(t *testing.T) {
	_, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	if _, e, code := admin(t, s, "tap", "issue", "alice"); code != 0 {
		t.Fatalf("tap issue: %d %s", code, e)
	}
	byMail, _, _ := admin(t, s, "audit", "list", "--account", "alice@contoso.example")
	byUID, e, code := admin(t, s, "audit", "list", "--account", "alice")
	if !strings.Contains(byMail, "tap-issued") {
		t.Fatalf("by mail: %q", byMail)
	}
	if !strings.Contains(byUID, "tap-issued") || byUID != byMail {
		t.Errorf("audit list --account alice: exit %d, stdout %q, stderr %q; by mail it lists %q", code, byUID, e, byMail)
	}
	// A name that names nobody (a failed sign-in's) is matched as typed.
	if out, e, code := admin(t, s, "audit", "list", "--account", "nobody"); code != 0 || out != "" {
		t.Errorf("audit list --account nobody: exit %d, %q, %q", code, out, e)
	}
}

package cli

import (
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// The lock-out is of the account's three counts together (regulation.
// Rules.Locked), but `user show` calls an account locked only when one
// count reaches 100: 60 wrong passwords and 40 wrong app passwords lock
// the account in the app, and the helpdesk reads no lock and no unlock
// command.
func TestUserShow_SaysLockedByTheTotal(t *testing.T) {
	r := newCLI(t)
	if _, errOut, code := r.run("s3cret-password\n", "--data-dir", r.data, "user", "add", "alice@contoso.example"); code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	dir, err := storage.OpenLocal(r.data, r.keys)
	if err != nil {
		t.Fatal(err)
	}
	err = dir.UpdateAccount("alice@contoso.example", func(x *info.Account) error {
		x.Failures, x.AppPasswordTries.Failures = 60, 40
		return nil
	})
	dir.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _, code := r.run("", "--data-dir", r.data, "user", "show", "alice@contoso.example")
	if code != 0 || !strings.Contains(out, "locked") {
		t.Errorf("an account locked by its total (60 + 40) is not shown as locked:\n%s", out)
	}
}

package cli

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// noUnlock is a store whose Unlock fails.
type noUnlock struct{ info.Store }

func (noUnlock) Unlock(string) error { return errors.New("directory said no") }

// `user unlock` records the unlock before making it; if the unlock then
// fails, a second entry says so, and the account stays locked.
func TestUserUnlock_FailedUnlockIsRecorded(t *testing.T) {
	r := newCLI(t)
	r.addAccount("alice@contoso.example")
	if err := r.open().UpdateAccount("alice@contoso.example", func(a *info.Account) error { a.Failures = wizard.MaxFailures; return nil }); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := r.runStore(func(s info.Store) info.Store { return noUnlock{s} }, nil, "", "user", "unlock", "alice@contoso.example")
	if code != 1 || !strings.Contains(errOut, "directory said no") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	es, err := storetest.AuditEntries(r.open(), "alice@contoso.example", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Action != info.ActionUnlock || es[1].Action != info.ActionUnlock || es[1].Detail != "failed" {
		t.Errorf("audit entries %+v: want the unlock, then that it failed", es)
	}
	if a, _ := r.open().Account("alice@contoso.example"); a.Failures != wizard.MaxFailures {
		t.Errorf("failures %d after a failed unlock", a.Failures)
	}
}

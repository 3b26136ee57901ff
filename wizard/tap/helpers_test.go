package tap

import (
	"io"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// t0 is the fixed time tests issue passes at.
var t0 = time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC)

// seeded returns deterministic randomness.
func seeded(seed int64) io.Reader { return testkit.Seeded(seed) }

const (
	testAccount  = "alice@contoso.example"
	otherAccount = "bob@contoso.example"
)

// newStore returns an in-memory store with the two test accounts in it.
func newStore(t *testing.T) *testkit.Store { return testkit.NewStore(t, testAccount, otherAccount) }

// localStore is a real local store with an in-memory keyring, for the test
// that looks at what reaches the disk.
type localStore struct {
	*storage.Local
	path string // the data directory
}

// newLocalStore opens a real store in a temporary directory with the two
// test accounts in it.
func newLocalStore(t *testing.T) *localStore {
	t.Helper()
	path := t.TempDir()
	dir, err := storage.OpenLocal(path, storage.NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dir.Close() })
	for _, name := range []string{testAccount, otherAccount} {
		if err := dir.CreateAccount(info.Account{Name: name, Created: t0}); err != nil {
			t.Fatal(err)
		}
	}
	return &localStore{Local: dir, path: path}
}

// mustIssue issues a pass or fails the test.
func mustIssue(t *testing.T, dir info.Store, account string, lifetime time.Duration, oneTime bool, seed int64) string {
	t.Helper()
	pass, err := Issue(dir, account, lifetime, oneTime, t0, seeded(seed))
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return pass
}

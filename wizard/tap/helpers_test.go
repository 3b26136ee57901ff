package tap

import (
	"io"
	"math/rand"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// t0 is the fixed time tests issue passes at.
var t0 = time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC)

// seeded returns a deterministic reader for randomness.
func seeded(seed int64) io.Reader { return rand.New(rand.NewSource(seed)) }

const (
	testAccount  = "alice@contoso.example"
	otherAccount = "bob@contoso.example"
)

// store is a real local store with an in-memory keyring.
type store struct {
	*storage.Local
	path string // the data directory
}

// newStore opens a real store in a temporary directory with the two test
// accounts in it.
func newStore(t *testing.T) *store {
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
	return &store{Local: dir, path: path}
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

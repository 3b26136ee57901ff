package apppassword

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// t0 is the fixed time tests start from.
var t0 = time.Unix(1700000000, 0).UTC()

// seeded returns deterministic randomness.
func seeded(seed int64) io.Reader { return testkit.Seeded(seed) }

// newClock returns a settable clock at t.
func newClock(t time.Time) *testkit.Clock { return testkit.NewClock(t) }

const (
	testAccount  = "alice@contoso.example"
	otherAccount = "bob@contoso.example"
)

// newStore returns an in-memory store with the two test accounts in it.
func newStore(t *testing.T) *testkit.Store { return testkit.NewStore(t, testAccount, otherAccount) }

// localStore is a real local store with an in-memory keyring, for the tests
// that look at what reaches the disk and the keyring.
type localStore struct {
	*storage.Local
	keyring *storage.MemoryKeyring
	path    string // the data directory
}

// newLocalStore opens a real store in a temporary directory with the two
// test accounts in it.
func newLocalStore(t *testing.T) *localStore {
	t.Helper()
	path := t.TempDir()
	kr := storage.NewMemoryKeyring()
	dir, err := storage.OpenLocal(path, kr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dir.Close() })
	for _, name := range []string{testAccount, otherAccount} {
		if err := dir.CreateAccount(info.Account{Name: name, Created: t0}); err != nil {
			t.Fatal(err)
		}
	}
	return &localStore{Local: dir, keyring: kr, path: path}
}

// mustCreate creates an app password or fails the test.
func mustCreate(t *testing.T, dir info.Store, account, name string, r io.Reader) (string, info.Method) {
	t.Helper()
	pw, m, err := Create(dir, account, name, t0, r)
	if err != nil {
		t.Fatalf("Create(%q): %v", name, err)
	}
	return pw, m
}

// addRecord saves an app password record directly, with a hash that no
// password matches, without the cost of hashing, and the lookup digest of
// a password made from its id (one no test types).
func addRecord(t *testing.T, dir info.Store, account, id, name string, created time.Time) {
	t.Helper()
	m := info.Method{ID: id, Kind: info.KindAppPassword, Label: name, Created: created,
		Hash: secret.DummyHash, Lookup: Lookup("record " + id)}
	if err := dir.AddMethod(account, m, nil); err != nil {
		t.Fatal(err)
	}
}

// makeLegacy removes an app password's lookup digest, as if it had been
// saved before digests existed.
func makeLegacy(t *testing.T, dir info.Store, account, id string) {
	t.Helper()
	if err := dir.UpdateMethod(account, id, func(m *info.Method) error { m.Lookup = ""; return nil }); err != nil {
		t.Fatal(err)
	}
}

// addRecords saves n app password records named "Device 1" … "Device n".
func addRecords(t *testing.T, dir info.Store, account string, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		addRecord(t, dir, account, fmt.Sprintf("rec%02d", i), fmt.Sprintf("Device %d", i), t0.Add(-time.Hour))
	}
}

// newTestSetup starts a setup on dir with clock c and a seeded reader.
func newTestSetup(t *testing.T, dir info.Store, c *testkit.Clock) *Setup {
	t.Helper()
	ws, err := NewSetup(method.Context{
		Account: testAccount,
		Dir:     dir,
		Now:     c.Now,
		Rand:    seeded(7),
	})
	if err != nil {
		t.Fatalf("NewSetup: %v", err)
	}
	return ws.(*Setup)
}

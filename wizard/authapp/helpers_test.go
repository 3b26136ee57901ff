package authapp

import (
	"io"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// t0 is the fixed time tests start from (step 56666666 begins at
// 1699999980).
var t0 = time.Unix(1700000000, 0).UTC()

// seeded returns deterministic randomness.
func seeded(seed int64) io.Reader { return testkit.Seeded(seed) }

// newClock returns a settable clock at t.
func newClock(t time.Time) *testkit.Clock { return testkit.NewClock(t) }

// newFakeDir returns an in-memory store with the test account (and one
// whose name an authenticator app can't show) in it.
func newFakeDir(tb testing.TB) *testkit.Store { return testkit.NewStore(tb, testAccount, "CORP:alice") }

// addApp registers an authenticator app directly in d.
func addApp(t *testing.T, d info.Store, account, id, label string, secret []byte) {
	t.Helper()
	m := info.Method{ID: id, Kind: info.KindAuthenticatorApp, Label: label, HasSecret: true}
	if err := d.AddMethod(account, m, secret); err != nil {
		t.Fatal(err)
	}
}

const testAccount = "alice@contoso.example"

// newTestSetup starts a setup with the fake directory, clock and a seeded
// reader.
func newTestSetup(t *testing.T, dir info.Store, c *testkit.Clock) *Setup {
	t.Helper()
	ws, err := NewSetup(method.Context{
		Organisation: "Contoso",
		Account:      testAccount,
		Dir:          dir,
		Now:          c.Now,
		Rand:         seeded(42),
	})
	if err != nil {
		t.Fatalf("NewSetup: %v", err)
	}
	return ws.(*Setup)
}

// toTry walks a fresh setup to the try screen.
func toTry(t *testing.T, s *Setup) {
	t.Helper()
	for s.Screen() != ScreenTry {
		if err := s.Next(); err != nil {
			t.Fatalf("Next from %s: %v", s.Screen(), err)
		}
	}
}

// pendingSecret reads the pending key back from the URI, as a phone would.
func pendingSecret(t *testing.T, s *Setup) []byte {
	t.Helper()
	_, _, secret, err := ParseURI(s.URI())
	if err != nil {
		t.Fatalf("ParseURI(%q): %v", s.URI(), err)
	}
	return secret
}

package apppassword

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// verifyWork is what one Verify cost.
type verifyWork struct{ reads, writes, refusals, hashes int }

// TestVerify_SameWorkForKnownAndUnknownAccounts: on a real local store,
// a wrong app password for an account and any password for a name that
// names no account cost the same work, try by try, through the free
// tries, the back-off and the lock-out: the same reads, synced writes
// (the failure counted before the hash), refused writes (the gate) and
// argon2id hashes; and they wait and lock alike. Time is not measured:
// the work is what takes it.
func TestVerify_SameWorkForKnownAndUnknownAccounts(t *testing.T) {
	local := newLocalStore(t)
	mustCreate(t, local, testAccount, "Laptop", seeded(12))
	const unknown = "nobody@contoso.example"
	hashes := countHashes(t)
	dir := &testkit.WorkStore{Store: local}
	c := newClock(t0)
	try := func(name string) (verifyWork, error) {
		dir.Reset()
		*hashes = 0
		err := Verify(dir, name, "wrongwrongwrongw", c.Now())
		w := dir.Work()
		return verifyWork{w.Reads, w.Writes, w.Refusals, *hashes}, err
	}
	same := func(step string, want verifyWork, wantErr error) {
		t.Helper()
		k, kerr := try(testAccount)
		u, uerr := try(unknown)
		if k != want || u != want {
			t.Errorf("%s: known name %+v (%v), unknown name %+v (%v), want %+v for both", step, k, kerr, u, uerr, want)
		}
		var kw, uw *regulation.WaitError
		switch {
		case errors.As(wantErr, &kw):
			if !errors.As(kerr, &kw) || !errors.As(uerr, &uw) || kw.Wait != uw.Wait {
				t.Errorf("%s: known name %v, unknown name %v, want the same wait", step, kerr, uerr)
			}
		case !errors.Is(kerr, wantErr) || !errors.Is(uerr, wantErr):
			t.Errorf("%s: known name %v, unknown name %v, want %v", step, kerr, uerr, wantErr)
		}
	}
	for range 3 {
		same("a free try", verifyWork{reads: 2, writes: 1, hashes: 1}, ErrNoMatch)
	}
	same("during the back-off", verifyWork{reads: 1, refusals: 1, hashes: 1}, &regulation.WaitError{})
	c.Add(regulation.Backoff(3))
	same("after the wait", verifyWork{reads: 2, writes: 1, hashes: 1}, ErrNoMatch)

	// The app passwords' count at the lock-out, for both: a name that
	// names nobody counts each factor on its own, as a person does, so
	// its app passwords' count is brought there by tries.
	if err := local.UpdateAccount(testAccount, func(a *info.Account) error {
		a.AppPasswordTries = info.Tries{Failures: regulation.MaxFailures, LastFailure: c.Now()}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for st, _ := regulation.UnknownState(local, unknown, regulation.AppPassword); st.Failures < regulation.MaxFailures; st, _ = regulation.UnknownState(local, unknown, regulation.AppPassword) {
		c.Add(time.Hour) // past every back-off
		if err := regulation.Default.ReserveUnknown(local, unknown, regulation.AppPassword, c.Now()); err != nil {
			t.Fatal(err)
		}
	}
	c.Add(24 * time.Hour)
	same("locked", verifyWork{reads: 1, refusals: 1, hashes: 1}, regulation.ErrLocked)

	// What was kept of the unknown name is a slot, never the name.
	data, err := os.ReadFile(filepath.Join(local.path, storage.DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(string(data)), unknown) {
		t.Error("the data file holds the unknown name")
	}
}

package wizard

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// keptCountsStore is a bindingStore whose Account answers a name that
// names nobody with the Counts it keeps for the name
// (info.NoAccountError), as the directory does with its try slot.
type keptCountsStore struct {
	*bindingStore
	kept info.Counts
}

func (k *keptCountsStore) Account(name string) (info.Account, error) {
	a, err := k.bindingStore.Account(name)
	if errors.Is(err, info.ErrNoAccount) {
		return a, &info.NoAccountError{Counts: k.kept}
	}
	return a, err
}

// Where the directory checks passwords, a password try waits out the
// back-off of the password's count before the pass check and the bind
// (the directory makes nobody wait): a person on the count their Account
// carries, a name that names nobody on the count the store read with the
// account's search. During the wait both cost the same (no bind, no hash,
// no write) and get the same wait; after it both are bound.
func TestSignIn_DirectoryPasswordTryWaits(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	c := testkit.NewClock(t0)
	hashes := countHashes(t)
	answer := info.ErrWrongPassword
	dir := &keptCountsStore{
		bindingStore: &bindingStore{WorkStore: &testkit.WorkStore{Store: testkit.NewStore(t, "bob@contoso.example")}, answer: &answer},
		kept:         info.Counts{Failures: regulation.Default.Free, LastFailure: t0},
	}
	if err := dir.UpdateAccount("bob@contoso.example", func(a *info.Account) error {
		a.Failures, a.LastFailure = regulation.Default.Free, t0 // as ppolicy counted them
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s := &SignIn{Dir: dir, Now: c.Now, Pass: func(account, typed string, _ time.Time) (bool, error) {
		_, _ = dir.GetPass(account) // as tap.Verifier: the read, a hash
		dummyHash(typed)
		return false, nil
	}}
	type cost struct {
		work          testkit.Work
		binds, hashes int
	}
	try := func(name string) (cost, error) {
		dir.Reset()
		dir.binds, *hashes = 0, 0
		_, err := s.Check(name, "guess")
		return cost{dir.Work(), dir.binds, *hashes}, err
	}
	var got [2]cost
	for i, name := range []string{"bob@contoso.example", "nobody@contoso.example"} {
		var err error
		got[i], err = try(name)
		var w *WaitError
		if !errors.As(err, &w) || w.Wait != regulation.Default.Backoff(regulation.Default.Free) {
			t.Errorf("%s during the back-off: %v, want a wait of %v", name, err, regulation.Default.Backoff(regulation.Default.Free))
		}
	}
	if got[0] != got[1] {
		t.Errorf("a wait cost a person %+v, a name that names nobody %+v", got[0], got[1])
	}
	if got[0].binds != 0 || got[0].hashes != 0 || got[0].work.Writes+got[0].work.Refusals != 0 {
		t.Errorf("a try during the wait cost %+v, want no bind, no hash, no write", got[0])
	}
	c.Add(regulation.Default.Backoff(regulation.Default.Free))
	for _, name := range []string{"bob@contoso.example", "nobody@contoso.example"} {
		if cost, err := try(name); !errors.Is(err, ErrBadCredentials) || cost.binds != 1 {
			t.Errorf("%s after the wait: %v with %d binds, want ErrBadCredentials from one bind", name, err, cost.binds)
		}
	}
}

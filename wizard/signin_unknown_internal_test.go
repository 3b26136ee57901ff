package wizard

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// A burst of tries with a name that names no account is gated like one
// with an account: only the tries the back-off allows are counted.
func TestSignIn_UnknownNameBurstIsGated(t *testing.T) {
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	s := &SignIn{Dir: testkit.NewStore(t), Now: c.Now}
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() { defer wg.Done(); s.Check("nobody@contoso.example", "guess") }()
	}
	wg.Wait()
	if st, err := regulation.UnknownState(s.Dir, "nobody@contoso.example", regulation.Password); err != nil || st.Failures != 3 {
		t.Errorf("40 tries at one instant counted %d failures (%v), want 3", st.Failures, err)
	}
}

// work is what one try cost.
type work struct{ reads, writes, refusals, hashes int }

// countHashes makes checkHash count its calls until the test ends.
func countHashes(t *testing.T) *int {
	t.Helper()
	var mu sync.Mutex
	n := new(int)
	checkHash = func(hash, typed string) (bool, error) {
		mu.Lock()
		*n++
		mu.Unlock()
		return secret.Check(hash, typed)
	}
	t.Cleanup(func() { checkHash = secret.Check })
	return n
}

// openLocal opens a real local store in a temporary directory, returning
// it and its data file's path.
func openLocal(t *testing.T) (*storage.Local, string) {
	t.Helper()
	path := t.TempDir()
	dir, err := storage.OpenLocal(path, storage.NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dir.Close() })
	return dir, filepath.Join(path, storage.DataFileName)
}

// TestSignIn_SameWorkForKnownAndUnknownNames: a wrong password for an
// account and any password for a name that names no account cost the
// same work on a real local store, try by try, through the free tries,
// the back-off and the lock-out: the same number of reads, of synced
// writes (the failure counted before the hash), of refused writes (the
// gate) and of argon2id hashes. Time is not measured: the work is what takes it.
func TestSignIn_SameWorkForKnownAndUnknownNames(t *testing.T) {
	local, _ := openLocal(t)
	const known, unknown = "alice@contoso.example", "nobody@contoso.example"
	h, err := secret.Hash("correct-horse", testkit.Seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := local.CreateAccount(info.Account{Name: known, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
	hashes := countHashes(t)
	dir := &testkit.WorkStore{Store: local}
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	s := &SignIn{Dir: dir, Now: c.Now,
		// As tap.Verifier's for someone with no pass: the read that
		// finds none, and a hash anyway.
		Pass: func(account, typed string, _ time.Time) (bool, error) {
			_, _ = dir.GetPass(account)
			dummyHash(typed)
			return false, nil
		}}
	try := func(name string) (work, error) {
		t.Helper()
		dir.Reset()
		*hashes = 0
		_, err := s.Check(name, "wrong password")
		w := dir.Work()
		return work{w.Reads, w.Writes, w.Refusals, *hashes}, err
	}
	same := func(step string, want work) {
		t.Helper()
		k, kerr := try(known)
		u, uerr := try(unknown)
		if k != want || u != want {
			t.Errorf("%s: known name %+v (%v), unknown name %+v (%v), want %+v for both", step, k, kerr, u, uerr, want)
		}
		var kw, uw *WaitError
		if errors.As(kerr, &kw) != errors.As(uerr, &uw) || errors.Is(kerr, ErrLocked) != errors.Is(uerr, ErrLocked) ||
			(kw != nil && kw.Wait != uw.Wait) {
			t.Errorf("%s: known name %v, unknown name %v", step, kerr, uerr)
		}
	}
	for range 3 {
		same("a free try", work{reads: 2, writes: 1, hashes: 2})
	}
	same("during the back-off", work{reads: 1, refusals: 1})
	c.Add(time.Second)
	same("after the wait", work{reads: 2, writes: 1, hashes: 2})

	// Locked: both at regulation.MaxFailures.
	if err := local.UpdateAccount(known, func(a *info.Account) error { a.Failures = MaxFailures; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := local.UpdateTries(unknown, func(tr *info.Counts) error { tr.Failures = MaxFailures; return nil }); err != nil {
		t.Fatal(err)
	}
	c.Add(24 * time.Hour)
	same("locked", work{reads: 1, refusals: 1})
}

// TestSignIn_UnknownNamesNeverReachTheDataFile: what the local store
// keeps of a name that names no account (often a password typed in the
// wrong field) is its slot, never the name, in any letter case; and it
// still counts after a kiosk wipe.
func TestSignIn_UnknownNamesNeverReachTheDataFile(t *testing.T) {
	local, file := openLocal(t)
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	pol, err := ParsePolicy("test.toml", []byte("organisation = \"Contoso\"\nmode = \"kiosk\"\nallowed = [\"authenticator-app\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	f := New(Config{Policy: pol, Dir: local, Now: c.Now, Rand: testkit.Seeded(1)})
	const typed = "Canary-Pw-4711"
	if err := f.SignIn(typed, "x"); err == nil {
		t.Fatal("an unknown name signed in")
	}
	f.Wipe()()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bytes.ToLower(data), []byte(strings.ToLower(typed))) {
		t.Error("the data file holds the name typed")
	}
	if st, err := regulation.UnknownState(local, typed, regulation.Password); err != nil || st.Failures != 1 {
		t.Errorf("after the wipe: %+v (%v), want its one failure", st, err)
	}
}

// noTries is a store with no place for Tries, as a directory is.
type noTries struct{ info.Store }

func (noTries) UpdateTries(string, func(*info.Counts) error) error {
	return info.ErrNotSupported
}

// Where the store has no place for them, the failures of names that name
// no account are still gated and counted, in memory, and outlive the
// SignIn that counted them (a kiosk wipe, a new flow).
func TestSignIn_UnknownNamesWithoutAPlaceInTheStore(t *testing.T) {
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	dir := noTries{testkit.NewStore(t)}
	// The memory fallback is the process's: a name of this run's own, so
	// that -count=2 starts afresh.
	name := fmt.Sprintf("no-place-for-tries-%d@contoso.example", time.Now().UnixNano())
	for range 3 {
		s := &SignIn{Dir: dir, Now: c.Now}
		if _, err := s.Check(name, "guess"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("a free try: %v", err)
		}
	}
	var w *WaitError
	if _, err := (&SignIn{Dir: dir, Now: c.Now}).Check(name, "guess"); !errors.As(err, &w) || w.Wait != time.Second {
		t.Fatalf("after 3 failures: %v, want a wait of 1s", err)
	}
}

// bindingStore is a store whose directory checks passwords: its Bind
// answers *answer for every name, a person's or not, as a directory with
// try slots does, and counts the binds.
type bindingStore struct {
	*testkit.WorkStore
	answer *error
	binds  int
}

func (b *bindingStore) Bind(name, credential string) (info.Account, error) {
	b.binds++
	return info.Account{}, *b.answer
}

// Where the directory checks passwords, a name that names nobody is
// answered by the directory (its Bind, on the name's try slot) as a
// person is: the same bind, reads and hashes, the same words, and no Tries
// counted by the app (the directory counts them).
func TestSignIn_DirectoryAnswersForUnknownNames(t *testing.T) {
	hashes := countHashes(t)
	answer := info.ErrWrongPassword
	dir := &bindingStore{WorkStore: &testkit.WorkStore{Store: testkit.NewStore(t, "bob@contoso.example")}, answer: &answer}
	s := &SignIn{Dir: dir, Now: time.Now, Pass: func(account, typed string, _ time.Time) (bool, error) {
		_, _ = dir.GetPass(account) // as tap.Verifier: the read, a hash
		dummyHash(typed)
		return false, nil
	}}
	for _, c := range []struct {
		answer error
		want   error
	}{{info.ErrWrongPassword, ErrBadCredentials}, {info.ErrLocked, ErrLocked}} {
		answer = c.answer
		type cost struct {
			work          testkit.Work
			binds, hashes int
		}
		var got [2]cost
		for i, name := range []string{"bob@contoso.example", "nobody@contoso.example"} {
			dir.Reset()
			dir.binds, *hashes = 0, 0
			if _, err := s.Check(name, "guess"); !errors.Is(err, c.want) {
				t.Errorf("%s, the directory answering %v: %v, want %v", name, c.answer, err, c.want)
			}
			got[i] = cost{dir.Work(), dir.binds, *hashes}
		}
		if got[0] != got[1] {
			t.Errorf("the directory answering %v: a person cost %+v, a name that names nobody %+v", c.answer, got[0], got[1])
		}
		if got[1].binds != 1 || got[1].work.Writes+got[1].work.Refusals != 0 {
			t.Errorf("a name that names nobody: %+v, want one bind and no Tries written by the app", got[1])
		}
	}
}

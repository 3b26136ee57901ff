package apppassword

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

func failures(t *testing.T, dir info.Store, account string) int {
	t.Helper()
	a, err := dir.Account(account)
	if err != nil {
		t.Fatal(err)
	}
	return a.AppPasswordTries.Failures
}

func TestVerify(t *testing.T) {
	dir := newStore(t)
	r := seeded(10)
	laptop, _ := mustCreate(t, dir, testAccount, "Laptop", r)
	desktop, _ := mustCreate(t, dir, testAccount, "Desktop", r)
	bobs, _ := mustCreate(t, dir, otherAccount, "Laptop", r)
	wrong := "a" + laptop[1:]
	if wrong == laptop {
		wrong = "b" + laptop[1:]
	}
	for _, tc := range []struct {
		what, account, typed string
		want                 error
	}{
		{"first", testAccount, laptop, nil},
		{"second", testAccount, desktop, nil},
		{"account name in another case", strings.ToUpper(testAccount), laptop, nil},
		{"formatted", testAccount, Format(laptop), nil},
		{"upper case with spaces", testAccount, "  " + strings.ToUpper(Format(desktop)) + " ", nil},
		{"one letter wrong", testAccount, wrong, ErrNoMatch},
		{"empty", testAccount, "", ErrNoMatch},
		{"another account's", testAccount, bobs, ErrNoMatch},
		{"the other way round", otherAccount, laptop, ErrNoMatch},
		{"unknown account", "nobody@contoso.example", laptop, ErrNoMatch},
	} {
		if err := Verify(dir, tc.account, tc.typed, t0); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.what, err, tc.want)
		}
		// Reset the count so that back-off does not get in the way here.
		for _, a := range []string{testAccount, otherAccount} {
			_ = dir.UpdateAccount(a, func(a *info.Account) error { a.AppPasswordTries.Failures = 0; return nil })
		}
	}
	if ErrNoMatch.Error() != "that app password isn't right" {
		t.Fatalf("ErrNoMatch says %q", ErrNoMatch)
	}
}

func TestVerify_NoAppPasswords(t *testing.T) {
	dir := newStore(t)
	if err := Verify(dir, testAccount, "abcdefghijklmnop", t0); !errors.Is(err, ErrNoMatch) {
		t.Fatalf("%v", err)
	}
	if n := failures(t, dir, testAccount); n != 1 {
		t.Fatalf("Failures %d, want 1", n)
	}
}

func TestVerify_DamagedHash(t *testing.T) {
	dir := newStore(t)
	pw, _ := mustCreate(t, dir, testAccount, "Laptop", seeded(11))
	m := info.Method{ID: "bad", Kind: info.KindAppPassword, Label: "Old phone", Created: t0,
		Hash: "not a hash"}
	if err := dir.AddMethod(testAccount, m, nil); err != nil {
		t.Fatal(err)
	}
	if err := Verify(dir, testAccount, pw, t0); err != nil {
		t.Fatalf("a damaged record stops a good password: %v", err)
	}
	err := Verify(dir, testAccount, "abcdefghijklmnop", t0)
	if !errors.Is(err, ErrNoMatch) || !errors.Is(err, secret.ErrBadHash) || !strings.Contains(err.Error(), "Old phone") {
		t.Fatalf("wrong password with a damaged record: %v", err)
	}
}

// The same back-off and lock-out as sign-in, on the app passwords' own
// persisted count.
func TestVerify_BackoffAndLock(t *testing.T) {
	dir := newStore(t)
	pw, _ := mustCreate(t, dir, testAccount, "Laptop", seeded(12))
	c := newClock(t0)
	for i := 1; i <= 3; i++ {
		if err := Verify(dir, testAccount, "wrongwrongwrongw", c.Now()); !errors.Is(err, ErrNoMatch) {
			t.Fatalf("failure %d: %v", i, err)
		}
		if n := failures(t, dir, testAccount); n != i {
			t.Fatalf("Failures %d after %d failures", n, i)
		}
	}
	a, _ := dir.Account(testAccount)
	if !a.AppPasswordTries.LastFailure.Equal(t0) || a.Failures != 0 {
		t.Fatalf("LastFailure %v, password failures %d", a.AppPasswordTries.LastFailure, a.Failures)
	}
	// Now even the right password waits, and waiting is not a failure.
	var we *regulation.WaitError
	if err := Verify(dir, testAccount, pw, c.Now()); !errors.As(err, &we) || we.Wait != regulation.Backoff(3) {
		t.Fatalf("after 3 failures: %v; want a wait of %v", err, regulation.Backoff(3))
	}
	c.Add(regulation.Backoff(3) / 2)
	if err := Verify(dir, testAccount, pw, c.Now()); !errors.As(err, &we) || we.Wait != regulation.Backoff(3)/2 {
		t.Fatalf("half way: %v", err)
	}
	if n := failures(t, dir, testAccount); n != 3 {
		t.Fatalf("waiting counted as a failure: %d", n)
	}
	c.Add(regulation.Backoff(3) / 2)
	if err := Verify(dir, testAccount, pw, c.Now()); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	if n := failures(t, dir, testAccount); n != 0 {
		t.Fatalf("success left Failures at %d", n)
	}

	// 100 consecutive failures lock the account, right password or not.
	err := dir.UpdateAccount(testAccount, func(a *info.Account) error {
		a.AppPasswordTries = info.Tries{Failures: regulation.MaxFailures - 1, LastFailure: c.Now().Add(-time.Hour)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(dir, testAccount, "wrongwrongwrongw", c.Now()); !errors.Is(err, ErrNoMatch) {
		t.Fatalf("100th failure: %v", err)
	}
	c.Add(24 * time.Hour)
	if err := Verify(dir, testAccount, pw, c.Now()); !errors.Is(err, regulation.ErrLocked) {
		t.Fatalf("after 100 failures: %v; want ErrLocked", err)
	}
	if n := failures(t, dir, testAccount); n != regulation.MaxFailures {
		t.Fatalf("Failures %d", n)
	}
	// Sign-in shares the lock: see wizard's TestSignIn_SharesTheAppPasswordLock.
}

// countHashes makes checkSecret count its calls until the test ends.
func countHashes(t *testing.T) *int {
	calls := 0
	checkSecret = func(hash, typed string) (bool, error) {
		calls++
		return secret.Check(hash, typed)
	}
	t.Cleanup(func() { checkSecret = secret.Check })
	return &calls
}

// Verify does one argon2id check whatever the outcome: right or wrong
// password, one app password or 40, none, an unknown account, a locked
// one, one in its back-off. The work is counted in checks, not timed.
func TestVerify_OneHashWhateverTheCount(t *testing.T) {
	dir := newStore(t)
	first, _ := mustCreate(t, dir, testAccount, "Laptop", seeded(13))
	addRecords(t, dir, testAccount, MaxPasswords-2)
	last, _ := mustCreate(t, dir, testAccount, "Desktop", seeded(14))
	if ms, _ := List(dir, testAccount); len(ms) != MaxPasswords {
		t.Fatalf("%d app passwords, want %d", len(ms), MaxPasswords)
	}
	const locked, waiting, single = "locked@contoso.example", "waiting@contoso.example", "single@contoso.example"
	for _, name := range []string{locked, waiting, single} {
		if err := dir.CreateAccount(info.Account{Name: name, Created: t0}); err != nil {
			t.Fatal(err)
		}
	}
	lockedPw, _ := mustCreate(t, dir, locked, "Laptop", seeded(15))
	waitingPw, _ := mustCreate(t, dir, waiting, "Laptop", seeded(16))
	singlePw, _ := mustCreate(t, dir, single, "Laptop", seeded(17))
	set := func(name string, failures int, last time.Time) {
		err := dir.UpdateAccount(name, func(a *info.Account) error {
			a.AppPasswordTries = info.Tries{Failures: failures, LastFailure: last}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	calls := countHashes(t)
	for _, tc := range []struct {
		what, account, typed string
		want                 error
	}{
		{"the first of 40", testAccount, first, nil},
		{"the last of 40", testAccount, Format(last), nil},
		{"wrong, of 40", testAccount, "abcdefghijklmnop", ErrNoMatch},
		{"the only one", single, singlePw, nil},
		{"wrong, of 1", single, "abcdefghijklmnop", ErrNoMatch},
		{"no app passwords", otherAccount, first, ErrNoMatch},
		{"unknown account", "nobody@contoso.example", first, ErrNoMatch},
		{"locked account", locked, lockedPw, regulation.ErrLocked},
		{"in the back-off", waiting, waitingPw, nil}, // a *regulation.WaitError
	} {
		set(testAccount, 0, time.Time{})
		set(single, 0, time.Time{})
		set(otherAccount, 0, time.Time{})
		set(locked, regulation.MaxFailures, t0.Add(-48*time.Hour))
		set(waiting, 5, t0)
		*calls = 0
		err := Verify(dir, tc.account, tc.typed, t0)
		var we *regulation.WaitError
		switch {
		case tc.account == waiting && !errors.As(err, &we):
			t.Errorf("%s: %v, want a wait", tc.what, err)
		case tc.account != waiting && !errors.Is(err, tc.want) && err != tc.want:
			t.Errorf("%s: %v, want %v", tc.what, err, tc.want)
		}
		if *calls != 1 {
			t.Errorf("%s: %d argon2id checks, want 1", tc.what, *calls)
		}
	}
}

// An app password saved before lookup digests existed keeps working: it
// is checked on every Verify of its account (one check more), until it
// first matches; then its digest is saved and it costs nothing extra.
func TestVerify_LegacyRecordsMigrate(t *testing.T) {
	dir := newStore(t)
	old, oldM := mustCreate(t, dir, testAccount, "Old phone", seeded(18))
	makeLegacy(t, dir, testAccount, oldM.ID)
	modern, _ := mustCreate(t, dir, testAccount, "Laptop", seeded(19))
	addRecords(t, dir, testAccount, 3)
	calls := countHashes(t)
	for _, tc := range []struct {
		what, typed string
		want        error
		hashes      int
	}{
		{"a modern one, beside an old one", modern, nil, 2},
		{"wrong, beside an old one", "abcdefghijklmnop", ErrNoMatch, 2},
		{"the old one, first use since", old, nil, 2},
		{"the old one again: migrated", old, nil, 1},
		{"wrong, once migrated", "abcdefghijklmnop", ErrNoMatch, 1},
	} {
		_ = dir.UpdateAccount(testAccount, func(a *info.Account) error { a.AppPasswordTries.Failures = 0; return nil })
		*calls = 0
		if err := Verify(dir, testAccount, tc.typed, t0); !errors.Is(err, tc.want) && err != tc.want {
			t.Errorf("%s: %v, want %v", tc.what, err, tc.want)
		}
		if *calls != tc.hashes {
			t.Errorf("%s: %d argon2id checks, want %d", tc.what, *calls, tc.hashes)
		}
	}
	ms, _ := List(dir, testAccount)
	for _, m := range ms {
		if m.ID == oldM.ID && m.Lookup != Lookup(old) {
			t.Fatalf("the old app password's record after its use: %+v, want lookup %q", m, Lookup(old))
		}
	}
}

// Create gives no two app passwords of an account the same lookup digest:
// a password whose digest is taken is drawn again.
func TestCreate_LookupDigestsDiffer(t *testing.T) {
	dir := newStore(t)
	// The password seeded(20) would give first, and a record holding its
	// digest already.
	wouldBe, err := Generate(seeded(20))
	if err != nil {
		t.Fatal(err)
	}
	m := info.Method{ID: "taken", Kind: info.KindAppPassword, Label: "Other", Created: t0, Hash: secret.DummyHash, Lookup: Lookup(wouldBe)}
	if err := dir.AddMethod(testAccount, m, nil); err != nil {
		t.Fatal(err)
	}
	pw, got := mustCreate(t, dir, testAccount, "Laptop", seeded(20))
	if pw == wouldBe || got.Lookup == m.Lookup {
		t.Fatalf("created %q with digest %q: the digest %q was taken", pw, got.Lookup, m.Lookup)
	}
	if got.Lookup != Lookup(pw) || len(got.Lookup) != LookupLength {
		t.Fatalf("saved digest %q, want %q", got.Lookup, Lookup(pw))
	}
	if err := Verify(dir, testAccount, pw, t0); err != nil {
		t.Fatal(err)
	}
}

// A burst of wrong app passwords sent at once can't all pass the back-off
// before any is counted: each is counted before its hash, in the same
// transaction as the gate, so only the tries the back-off allows are
// checked, and the rest cost one dummy hash each and count nothing.
func TestVerify_ConcurrentGuessesAreCountedBeforeTheHash(t *testing.T) {
	dir := newStore(t)
	mustCreate(t, dir, testAccount, "Laptop", seeded(30))
	var wg sync.WaitGroup
	var mu sync.Mutex
	waits, wrong := 0, 0
	for range 150 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := Verify(dir, testAccount, "abcdefghijklmnop", t0)
			var w *regulation.WaitError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.As(err, &w):
				waits++
			case errors.Is(err, ErrNoMatch):
				wrong++
			default:
				t.Errorf("a guess said %v", err)
			}
		}()
	}
	wg.Wait()
	if n := failures(t, dir, testAccount); n != 3 || wrong != 3 || waits != 147 {
		t.Errorf("150 guesses at one instant: %d failures counted, %d checked, %d told to wait; want 3, 3, 147", n, wrong, waits)
	}
}

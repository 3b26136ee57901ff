package apppassword

import (
	"errors"
	"strings"
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
	return a.Failures
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
			_ = dir.UpdateAccount(a, func(a *info.Account) error { a.Failures = 0; return nil })
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

// The same back-off and lock-out as sign-in, on the same persisted count.
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
	if !a.LastFailure.Equal(t0) {
		t.Fatalf("LastFailure %v", a.LastFailure)
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
		a.Failures, a.LastFailure = regulation.MaxFailures-1, c.Now().Add(-time.Hour)
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

// Every app password is checked, matching or not, and an account with
// none, or none at all, costs one hash: the time taken does not tell which
// one matched or whether the account exists.
func TestVerify_ChecksEveryOne(t *testing.T) {
	dir := newStore(t)
	first, _ := mustCreate(t, dir, testAccount, "Laptop", seeded(13))
	addRecords(t, dir, testAccount, 4)
	calls := 0
	checkSecret = func(hash, typed string) (bool, error) {
		calls++
		return secret.Check(hash, typed)
	}
	defer func() { checkSecret = secret.Check }()
	for _, tc := range []struct {
		what, account, typed string
		want                 int
	}{
		{"right", testAccount, first, 5},
		{"wrong", testAccount, "abcdefghijklmnop", 5},
		{"no app passwords", otherAccount, first, 1},
		{"unknown account", "nobody", first, 1},
	} {
		calls = 0
		_ = Verify(dir, tc.account, tc.typed, t0)
		if calls != tc.want {
			t.Errorf("%s: %d hashes checked, want %d", tc.what, calls, tc.want)
		}
	}
}

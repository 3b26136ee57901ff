package wizard_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestBackoff(t *testing.T) {
	want := map[int]time.Duration{0: 0, 1: 0, 2: 0, 3: time.Second, 4: 2 * time.Second, 5: 4 * time.Second, 12: 512 * time.Second, 13: 15 * time.Minute, 99: 15 * time.Minute}
	for n, d := range want {
		if got := wizard.Backoff(n); got != d {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, d)
		}
	}
}

func TestSignIn_WrongPasswordAndUnknownAccountLookAlike(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, "alice@contoso.example", "correct-horse")
	c := newClock(t0)
	s := &wizard.SignIn{Dir: dir, Now: c.Now}

	if _, err := s.Check("ALICE@contoso.example", "correct-horse"); err != nil {
		t.Fatalf("right password, other case: %v", err)
	}
	_, e1 := s.Check("alice@contoso.example", "wrong")
	_, e2 := s.Check("nobody@contoso.example", "wrong")
	if !errors.Is(e1, wizard.ErrBadCredentials) || e1.Error() != e2.Error() {
		t.Errorf("wrong password: %v; unknown account: %v; want the same message", e1, e2)
	}
	// Both back off alike after three failures.
	for i := 0; i < 2; i++ {
		s.Check("alice@contoso.example", "wrong")
		s.Check("nobody@contoso.example", "wrong")
	}
	_, e1 = s.Check("alice@contoso.example", "correct-horse")
	_, e2 = s.Check("nobody@contoso.example", "x")
	var w1, w2 *wizard.WaitError
	if !errors.As(e1, &w1) || !errors.As(e2, &w2) || w1.Wait != w2.Wait {
		t.Errorf("after 3 failures: %v / %v, want the same wait", e1, e2)
	}
}

func TestSignIn_BackoffIsPersistedAndSuccessResets(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, "alice@contoso.example", "correct-horse")
	c := newClock(t0)
	s := &wizard.SignIn{Dir: dir, Now: c.Now}
	for i := 0; i < 3; i++ {
		if _, err := s.Check("alice@contoso.example", "wrong"); !errors.Is(err, wizard.ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// A fresh SignIn (a restarted app) still makes the person wait.
	s = &wizard.SignIn{Dir: dir, Now: c.Now}
	var w *wizard.WaitError
	if _, err := s.Check("alice@contoso.example", "correct-horse"); !errors.As(err, &w) || w.Wait != time.Second {
		t.Fatalf("during back-off: %v, want a 1s wait", err)
	}
	c.Add(time.Second)
	if _, err := s.Check("alice@contoso.example", "correct-horse"); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	a, _ := dir.Account("alice@contoso.example")
	if a.Failures != 0 {
		t.Errorf("failures after success = %d, want 0", a.Failures)
	}
}

func TestSignIn_LockedAfterMaxFailures(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, "alice@contoso.example", "correct-horse")
	dir.UpdateAccount("alice@contoso.example", func(a *info.Account) error { a.Failures = wizard.MaxFailures - 2; return nil })
	c := newClock(t0)
	s := &wizard.SignIn{Dir: dir, Now: c.Now}
	if _, err := s.Check("alice@contoso.example", "wrong"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Fatalf("failure 99: %v", err)
	}
	c.Add(time.Hour)
	if _, err := s.Check("alice@contoso.example", "wrong"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Fatalf("failure 100: %v", err)
	}
	c.Add(24 * time.Hour)
	if _, err := s.Check("alice@contoso.example", "correct-horse"); !errors.Is(err, wizard.ErrLocked) {
		t.Fatalf("right password after 100 failures: %v, want ErrLocked", err)
	}
}

// App password checks and sign-in count each on their own, but share the
// lock: app passwords locked lock the account's sign-in too.
func TestSignIn_SharesTheAppPasswordLock(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, "alice@contoso.example", "correct-horse")
	c := newClock(t0)
	dir.UpdateAccount("alice@contoso.example", func(a *info.Account) error {
		a.AppPasswordTries.Failures = wizard.MaxFailures - 1
		return nil
	})
	if err := apppassword.Verify(dir, "alice@contoso.example", "wrongwrongwrongw", c.Now()); !errors.Is(err, apppassword.ErrNoMatch) {
		t.Fatalf("100th failure: %v", err)
	}
	c.Add(24 * time.Hour)
	s := &wizard.SignIn{Dir: dir, Now: c.Now}
	if _, err := s.Check("alice@contoso.example", "correct-horse"); !errors.Is(err, wizard.ErrLocked) {
		t.Fatalf("sign-in after app password lock-out: %v", err)
	}
}

// A burst of guesses sent at once can't all pass the gate before any is
// counted: each try is counted before its hash, in the same transaction
// as the gate, so only the tries the back-off allows are checked.
func TestSignIn_ConcurrentGuessesAreCountedBeforeTheHash(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, "alice@contoso.example", "correct-horse")
	c := newClock(t0)
	s := &wizard.SignIn{Dir: dir, Now: c.Now}
	var wg sync.WaitGroup
	refused := make(chan error, 150)
	for i := 0; i < 150; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Check("alice@contoso.example", "wrong guess"); !errors.Is(err, wizard.ErrBadCredentials) {
				refused <- err
			}
		}()
	}
	wg.Wait()
	close(refused)
	a, _ := dir.Account("alice@contoso.example")
	if a.Failures != 3 {
		t.Errorf("150 guesses at one instant counted %d failures, want 3 (the fourth must wait)", a.Failures)
	}
	n := 0
	for err := range refused {
		var w *wizard.WaitError
		if !errors.As(err, &w) {
			t.Fatalf("a refused guess said %v, want a wait", err)
		}
		n++
	}
	if n != 147 {
		t.Errorf("%d guesses told to wait, want 147", n)
	}
	// The right password after the wait still signs in, and clears the count.
	c.Add(time.Minute)
	if _, err := s.Check("alice@contoso.example", "correct-horse"); err != nil {
		t.Fatal(err)
	}
	if a, _ := dir.Account("alice@contoso.example"); a.Failures != 0 {
		t.Errorf("after a right password: %d failures", a.Failures)
	}
}

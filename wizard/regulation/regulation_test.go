package regulation

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func TestBackoff(t *testing.T) {
	want := map[int]time.Duration{0: 0, 1: 0, 2: 0, 3: time.Second, 4: 2 * time.Second, 5: 4 * time.Second, 12: 512 * time.Second, 13: 15 * time.Minute, 99: 15 * time.Minute}
	for n, d := range want {
		if got := Backoff(n); got != d {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, d)
		}
		if got := Station.Backoff(n); got != d {
			t.Errorf("Station.Backoff(%d) = %v, want %v", n, got, d)
		}
	}
	if got := (Rules{}).Backoff(50); got != 0 {
		t.Errorf("no rules: %v", got)
	}
}

func TestCheck_WaitsThenLocks(t *testing.T) {
	var s State
	for i := 0; i < 3; i++ {
		if err := Default.Check(s, t0); err != nil {
			t.Fatalf("after %d failures: %v", i, err)
		}
		s = s.Failed(t0)
	}
	var w *WaitError
	if err := Default.Check(s, t0); !errors.As(err, &w) || w.Wait != time.Second {
		t.Fatalf("after 3 failures: %v", err)
	}
	if err := Default.Check(s, t0.Add(400*time.Millisecond)); !errors.As(err, &w) || w.Wait != 600*time.Millisecond {
		t.Fatalf("during the wait: %v", err)
	}
	if err := Default.Check(s, t0.Add(time.Second)); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	if s2 := s.Succeeded(); s2.Failures != 0 || Default.Check(s2, t0) != nil {
		t.Fatalf("after a success: %+v", s2)
	}
	s = State{Failures: MaxFailures - 1, Last: t0}
	if Default.Locked(s) {
		t.Fatal("locked at 99")
	}
	s = s.Failed(t0)
	if err := Default.Check(s, t0.Add(24*time.Hour)); !errors.Is(err, ErrLocked) {
		t.Fatalf("after 100 failures and a day: %v", err)
	}
	if err := Station.Check(s, t0.Add(time.Hour)); err != nil {
		t.Fatalf("a station passphrase is never locked: %v", err)
	}
}

func TestRecordAttempt(t *testing.T) {
	dir := memory.New()
	dir.CreateAccount(info.Account{Name: "alice@contoso.example"})
	for i := 1; i <= 2; i++ {
		if err := RecordAttempt(dir, "ALICE@contoso.example", false, t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := dir.Account("alice@contoso.example")
	if s := AccountState(a); s.Failures != 2 || !s.Last.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("after 2 failures: %+v", s)
	}
	RecordAttempt(dir, "alice@contoso.example", true, t0.Add(time.Hour))
	if a, _ := dir.Account("alice@contoso.example"); a.Failures != 0 {
		t.Fatalf("after a success: %+v", a)
	}
	if err := RecordAttempt(dir, "nobody", false, t0); !errors.Is(err, info.ErrNoAccount) {
		t.Fatalf("unknown account: %v", err)
	}
}

// CheckBackoff is the back-off alone, of the count of f: a wait while it
// runs, whatever the lock-out says, and nothing of the other counts'.
func TestCheckBackoff(t *testing.T) {
	c := info.Counts{Failures: 3, LastFailure: t0, SecondFactorTries: info.Tries{Failures: 9, LastFailure: t0}}
	var w *WaitError
	if err := Default.CheckBackoff(c, Password, t0); !errors.As(err, &w) || w.Wait != time.Second {
		t.Errorf("3 failures just now = %v, want a wait of 1s", err)
	}
	if err := Default.CheckBackoff(c, Password, t0.Add(time.Second)); err != nil {
		t.Errorf("after the wait = %v", err)
	}
	if err := Default.CheckBackoff(info.Counts{SecondFactorTries: c.SecondFactorTries}, Password, t0); err != nil {
		t.Errorf("the second factor's failures made the password wait: %v", err)
	}
	c.AppPasswordTries = info.Tries{Failures: MaxFailures}
	if err := Default.CheckBackoff(c, Password, t0); !errors.As(err, &w) {
		t.Errorf("locked counts = %v, want the wait (the lock-out is refused elsewhere)", err)
	}
}

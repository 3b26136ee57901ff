package regulation

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// At most MaxFailures consecutive failures per account (DESIGN, NIST
// 800-63B §5.2.2), whichever factors they guessed at: 99 wrong passwords,
// second factors and app passwords each (each factor kept below the
// lock-out by itself) lock the account once the total reaches 100.
func TestReserveFactor_LocksAtTheAccountsTotal(t *testing.T) {
	dir := memory.New()
	const name = "alice@contoso.example"
	if err := dir.CreateAccount(info.Account{Name: name}); err != nil {
		t.Fatal(err)
	}
	now := t0
	failures := 0
	for _, f := range []Factor{Password, SecondFactor, AppPassword} {
		for range MaxFailures - 1 {
			now = now.Add(time.Hour) // past every back-off
			if err := Default.ReserveFactor(dir, name, f, now); err != nil {
				if !errors.Is(err, ErrLocked) {
					t.Fatal(err)
				}
				break
			}
			failures++
		}
	}
	if failures != MaxFailures {
		t.Errorf("%d consecutive failures counted before the lock, want %d", failures, MaxFailures)
	}
	if a, _ := dir.Account(name); !Default.AccountLocked(a) {
		t.Errorf("%d consecutive failures and the account is not locked", failures)
	}
}

// A name that names no account keeps a count and a back-off per factor,
// as an account does, and a success clears its own count only.
func TestReserveUnknown_CountsEachFactorOnItsOwn(t *testing.T) {
	dir := memory.New()
	const name = "nobody@contoso.example"
	for range 3 {
		if err := Default.ReserveUnknown(dir, name, Password, t0); err != nil {
			t.Fatal(err)
		}
	}
	var w *WaitError
	if err := Default.ReserveUnknown(dir, name, Password, t0); !errors.As(err, &w) {
		t.Fatalf("the 4th password try at once: %v, want a wait", err)
	}
	for _, f := range []Factor{SecondFactor, AppPassword} {
		if err := Default.ReserveUnknown(dir, name, f, t0); err != nil {
			t.Errorf("factor %d waits for the password's back-off: %v", f, err)
		}
	}
	if err := RecordUnknown(dir, name, SecondFactor, true, t0); err != nil {
		t.Fatal(err)
	}
	want := map[Factor]int{Password: 3, SecondFactor: 0, AppPassword: 1}
	for f, n := range want {
		if st, err := UnknownState(dir, name, f); err != nil || st.Failures != n {
			t.Errorf("factor %d: %+v (%v), want %d failures", f, st, err, n)
		}
	}
}

// A name that names no account locks at the total of its three counts,
// as an account does: 60 wrong passwords and 40 wrong app passwords lock
// both (each factor's count by itself is far from the lock-out), so the
// lock tells neither apart.
func TestReserveUnknown_LocksAtTheTotalAsAnAccount(t *testing.T) {
	dir := memory.New()
	const known, unknown = "alice@contoso.example", "nobody@contoso.example"
	if err := dir.CreateAccount(info.Account{Name: known}); err != nil {
		t.Fatal(err)
	}
	reserve := map[string]func(Factor, time.Time) error{
		known:   func(f Factor, now time.Time) error { return Default.ReserveFactor(dir, known, f, now) },
		unknown: func(f Factor, now time.Time) error { return Default.ReserveUnknown(dir, unknown, f, now) },
	}
	for name, try := range reserve {
		now := t0
		for i := range MaxFailures {
			f := Password
			if i >= 60 {
				f = AppPassword
			}
			now = now.Add(time.Hour) // past every back-off
			if err := try(f, now); err != nil {
				t.Fatalf("%s: failure %d: %v", name, i+1, err)
			}
		}
		for _, f := range []Factor{Password, SecondFactor, AppPassword} {
			if err := try(f, now.Add(time.Hour)); !errors.Is(err, ErrLocked) {
				t.Errorf("%s: factor %d after 60 wrong passwords and 40 wrong app passwords: %v, want ErrLocked", name, f, err)
			}
		}
	}
	if st, err := UnknownState(dir, unknown, SecondFactor); err != nil || st.Failures != 0 || st.Others != MaxFailures {
		t.Errorf("UnknownState(second factor) = %+v (%v), want 0 failures and %d others", st, err, MaxFailures)
	}
}

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
	// The name itself is still what the password's count is kept under
	// (the directory's bind of a name that names nobody counts there).
	if unknownKey(name, Password) != name || unknownKey(name, AppPassword) == unknownKey(name, SecondFactor) {
		t.Error("unknownKey: the password's is not the name, or two factors share a key")
	}
}

package regulation

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// A success clears its own factor's count and no other; each factor waits
// on its own count.
func TestRecordFactor_ClearsOnlyItsOwnCount(t *testing.T) {
	dir := memory.New()
	const name = "alice@contoso.example"
	if err := dir.CreateAccount(info.Account{Name: name}); err != nil {
		t.Fatal(err)
	}
	factors := []Factor{Password, SecondFactor, AppPassword}
	for _, f := range factors {
		for i := 0; i < 3; i++ {
			if err := RecordFactor(dir, name, f, false, t0); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, ok := range factors {
		if err := RecordFactor(dir, name, ok, true, t0); err != nil {
			t.Fatal(err)
		}
		a, _ := dir.Account(name)
		for _, f := range factors {
			want := 3
			if f <= ok {
				want = 0
			}
			if got := FactorState(a, f).Failures; got != want {
				t.Errorf("after a success of %d: factor %d has %d failures, want %d", ok, f, got, want)
			}
			// A cleared count has no wait; one with three waits 1 s.
			err := Default.CheckAccount(a, f, t0)
			var w *WaitError
			if (want == 3) != errors.As(err, &w) {
				t.Errorf("after a success of %d: factor %d's gate says %v", ok, f, err)
			}
		}
	}
}

// MaxFailures failures of the account's factors together lock the
// account for every factor; a wait of one factor holds back no other.
func TestReserveFactor_OneLockLocksAll(t *testing.T) {
	dir := memory.New()
	const name = "alice@contoso.example"
	if err := dir.CreateAccount(info.Account{Name: name}); err != nil {
		t.Fatal(err)
	}
	if err := dir.UpdateAccount(name, func(a *info.Account) error {
		a.AppPasswordTries = info.Tries{Failures: MaxFailures - 1, LastFailure: t0}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var w *WaitError
	if err := Default.ReserveFactor(dir, name, AppPassword, t0); !errors.As(err, &w) {
		t.Fatalf("app passwords in their back-off: %v", err)
	}
	if err := Default.ReserveFactor(dir, name, Password, t0); err != nil {
		t.Fatalf("the password waits for the app passwords' back-off: %v", err)
	}
	for _, f := range []Factor{Password, SecondFactor, AppPassword} {
		if err := Default.ReserveFactor(dir, name, f, t0.Add(2*time.Hour)); !errors.Is(err, ErrLocked) {
			t.Errorf("factor %d after 99 app password failures and 1 password failure: %v, want ErrLocked", f, err)
		}
	}
	a, _ := dir.Account(name)
	if !Default.AccountLocked(a) || a.Failures != 1 {
		t.Errorf("locked %v, password failures %d (want 1: the one reserved)", Default.AccountLocked(a), a.Failures)
	}
	// Release takes back the one reserved, leaving the others.
	if err := Release(dir, name, Password); err != nil {
		t.Fatal(err)
	}
	if a, _ := dir.Account(name); a.Failures != 0 || a.AppPasswordTries.Failures != MaxFailures-1 || Default.AccountLocked(a) {
		t.Errorf("after Release: password %d, app passwords %d, locked %v", a.Failures, a.AppPasswordTries.Failures, Default.AccountLocked(a))
	}
}

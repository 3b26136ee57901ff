package directory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// A password reset's ClearPasswordFailures keeps ppolicy's lock while the
// account's other counts still lock it in the app (the app passwords' at
// 100): lifting it let every other LDAP service (mail, VPN) take the
// password again while the app refused the account.
func TestClearPasswordFailures_KeepsTheLockOfOtherCounts(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	now := time.Now()
	if err := d.UpdateAccount("alice", func(a *info.Account) error {
		a.AppPasswordTries = info.Tries{Failures: regulation.MaxFailures - 1, LastFailure: now.Add(-time.Hour)}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := regulation.Default.ReserveFactor(d, "alice", regulation.AppPassword, now); err != nil {
		t.Fatalf("the 100th try: %v", err)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 49 {
		t.Fatalf("after 100 app password failures: ldapwhoami exit %d, want 49", got)
	}
	if err := d.ClearPasswordFailures("alice"); err != nil {
		t.Fatal(err)
	}
	a, err := d.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	if !regulation.Default.AccountLocked(a) {
		t.Fatal("the app no longer sees the lock (test premise)")
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 49 {
		t.Errorf("the app still locks alice (app passwords' count %d), but the directory lets her password bind: ldapwhoami exit %d, want 49",
			a.AppPasswordTries.Failures, got)
	}
}

// A wrong password tried at the app's sign-in that brings the account's
// counts together to the lock-out locks it at every other service too:
// the directory counted the failure itself (ppolicy), so no write of the
// app's raised a count, and a right password elsewhere would bind, and
// clear ppolicy's count, lifting the app's lock with no helpdesk unlock.
func TestSignIn_TotalReachedByAFailedBindLocksEverywhere(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	now := time.Now()
	if err := d.UpdateAccount("alice", func(a *info.Account) error {
		a.SecondFactorTries = info.Tries{Failures: regulation.MaxFailures - 4, LastFailure: now.Add(-time.Hour)}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Each try after the last one's back-off.
	in := &wizard.SignIn{Dir: d, Now: afterTheWait}
	for i := 0; i < 4; i++ { // under pwdMaxFailure (100): ppolicy's own lock is not reached
		if _, err := in.Check("alice", "wrong-password"); !errors.Is(err, wizard.ErrBadCredentials) {
			t.Fatalf("wrong password %d: %v", i+1, err)
		}
	}
	a, err := d.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	if !regulation.Default.AccountLocked(a) {
		t.Fatalf("premise: total %d+%d should lock in the app", a.Failures, a.SecondFactorTries.Failures)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 49 {
		t.Errorf("locked in the app at a total of 100, but the right password binds elsewhere: ldapwhoami exit %d, want 49", got)
	}
	if a, _ := d.Account("alice"); !regulation.Default.AccountLocked(a) {
		t.Errorf("the app's lock-out was lifted by a bind elsewhere (total now %d), no helpdesk unlock", a.Failures+a.SecondFactorTries.Failures)
	}
	if _, err := in.Check("alice", "alice-password-1"); !errors.Is(err, wizard.ErrLocked) {
		t.Errorf("the right password at the app: %v, want ErrLocked", err)
	}
}

// interleaved is a store whose first UpdateAccount lets another station's
// whole try (during) run between its read and its write.
type interleaved struct {
	*directory.Directory
	during func()
}

func (s *interleaved) UpdateAccount(name string, change func(*info.Account) error) error {
	return s.Directory.UpdateAccount(name, func(a *info.Account) error {
		if s.during != nil {
			f := s.during
			s.during = nil
			f()
		}
		return change(a)
	})
}

// The gate is of the account's total, and a compare-and-swap that adds a
// failure asserts every count: of two stations at a total of 99 guessing
// two factors, one passes the gate (both did, and 101 were counted).
func TestDirectory_TotalGateAcrossFactorsIsAtomic(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	now := time.Now()
	if err := d.UpdateAccount("alice", func(a *info.Account) error {
		a.SecondFactorTries = info.Tries{Failures: 49, LastFailure: now.Add(-time.Hour)}
		a.AppPasswordTries = info.Tries{Failures: 50, LastFailure: now.Add(-time.Hour)}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var other error
	st := &interleaved{Directory: d, during: func() {
		other = regulation.Default.ReserveFactor(d, "alice", regulation.SecondFactor, now)
	}}
	err := regulation.Default.ReserveFactor(st, "alice", regulation.AppPassword, now)
	a, _ := d.Account("alice")
	if other == nil && err == nil {
		t.Errorf("both tries passed the gate at a total of 99: the account now counts %d failures, over %d",
			a.Failures+a.SecondFactorTries.Failures+a.AppPasswordTries.Failures, regulation.MaxFailures)
	}
}

package wizard

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// A person has a count per factor (three wrong sign-ins leave the app
// passwords' count as it is), and so has a name that names nobody: after
// three wrong sign-ins an app password is checked at once for both, not
// made to wait for a name that names nobody only, which would tell which
// names exist.
func TestUnknownName_CountsEachFactorOnItsOwn(t *testing.T) {
	local, _ := openLocal(t)
	const known, unknown = "alice@contoso.example", "nobody@contoso.example"
	if err := local.CreateAccount(info.Account{Name: known, PasswordHash: testkit.CheapHash(t, "correct-horse")}); err != nil {
		t.Fatal(err)
	}
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	s := &SignIn{Dir: local, Now: c.Now}
	got := map[string]error{}
	for _, name := range []string{known, unknown} {
		for range 3 {
			if _, err := s.Check(name, "wrong password"); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("%s: %v", name, err)
			}
		}
		got[name] = apppassword.Verify(local, name, "abcdabcdabcdabcd", c.Now())
	}
	for name, err := range got {
		if !errors.Is(err, apppassword.ErrNoMatch) {
			t.Errorf("%s: an app password after 3 wrong sign-ins: %v, want ErrNoMatch at once", name, err)
		}
	}
}

// A person locks at the total of their three counts, and so does a name
// that names nobody, on the local store and where the store has no place
// for the name's counts (the memory fallback): 60 wrong sign-ins and 40
// wrong app passwords (each factor far from the lock-out by itself) lock
// both, and then sign-in, app passwords and a second factor refuse both
// alike. Were a name's factors counted apart, the name that names nobody
// would not lock, which would tell which names exist.
func TestUnknownName_LocksAtTheTotalAsAPerson(t *testing.T) {
	local, _ := openLocal(t)
	stores := map[string]info.Store{"local store": local, "no place in the store": noTries{testkit.NewStore(t)}}
	for what, dir := range stores {
		t.Run(what, func(t *testing.T) {
			// The memory fallback is the process's: names of this run's
			// own, so that -count=2 starts afresh.
			run := time.Now().UnixNano()
			known, unknown := fmt.Sprintf("alice-%d@contoso.example", run), fmt.Sprintf("nobody-%d@contoso.example", run)
			if err := dir.CreateAccount(info.Account{Name: known, PasswordHash: testkit.CheapHash(t, "correct-horse")}); err != nil {
				t.Fatal(err)
			}
			c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
			s := &SignIn{Dir: dir, Now: c.Now}
			for _, name := range []string{known, unknown} {
				for i := range 60 {
					c.Add(time.Hour) // past every back-off
					if _, err := s.Check(name, "wrong password"); !errors.Is(err, ErrBadCredentials) {
						t.Fatalf("%s: sign-in %d: %v", name, i+1, err)
					}
				}
				for i := range 40 {
					c.Add(time.Hour)
					if err := apppassword.Verify(dir, name, "abcdabcdabcdabcd", c.Now()); !errors.Is(err, apppassword.ErrNoMatch) {
						t.Fatalf("%s: app password %d: %v", name, i+1, err)
					}
				}
				c.Add(time.Hour)
				if _, err := s.Check(name, "wrong password"); !errors.Is(err, ErrLocked) {
					t.Errorf("%s: sign-in after 60 wrong sign-ins and 40 wrong app passwords: %v, want ErrLocked", name, err)
				}
				if err := apppassword.Verify(dir, name, "abcdabcdabcdabcd", c.Now()); !errors.Is(err, regulation.ErrLocked) {
					t.Errorf("%s: app password: %v, want ErrLocked", name, err)
				}
			}
			a, err := dir.Account(known)
			if err != nil {
				t.Fatal(err)
			}
			if err := regulation.Default.CheckAccount(a, regulation.SecondFactor, c.Now()); !errors.Is(err, regulation.ErrLocked) {
				t.Errorf("%s: second factor: %v, want ErrLocked", known, err)
			}
			if err := s.unknownAllowed(unknown, c.Now()); !errors.Is(err, regulation.ErrLocked) {
				t.Errorf("%s: second factor: %v, want ErrLocked", unknown, err)
			}
		})
	}
}

package directory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// A count of Security Info's own (the second factor's, app passwords')
// that reaches the lock-out locks the account at every LDAP service, not
// only in the app: a bind with the right password (and code) is refused
// until `securityinfo user unlock`, which lets it bind again.
func TestOwnCountLockoutLocksEveryBind(t *testing.T) {
	for _, tc := range []struct {
		name   string
		factor regulation.Factor
		app    bool
	}{
		{"second factor", regulation.SecondFactor, true},
		{"app passwords", regulation.AppPassword, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, s := open(t)
			dn := s.AddPerson("alice", "alice-password-1", false)
			now := time.Now()
			bind := func(at time.Time) int {
				if tc.app {
					return whoami(t, s, dn, "alice-password-1"+oathtoolAt(t, at))
				}
				return whoami(t, s, dn, "alice-password-1")
			}
			if tc.app {
				if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: now}, seed); err != nil {
					t.Fatal(err)
				}
			}
			// 99 failures long ago, then the 100th through the gate.
			if err := d.UpdateAccount("alice", func(a *info.Account) error {
				tries := info.Tries{Failures: regulation.MaxFailures - 1, LastFailure: now.Add(-time.Hour)}
				if tc.factor == regulation.SecondFactor {
					a.SecondFactorTries = tries
				} else {
					a.AppPasswordTries = tries
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if a, _ := d.Account("alice"); a.Locked {
				t.Fatal("locked in the directory at 99 failures")
			}
			if err := regulation.Default.ReserveFactor(d, "alice", tc.factor, now); err != nil {
				t.Fatalf("the 100th try: %v", err)
			}
			if err := regulation.Default.ReserveFactor(d, "alice", regulation.Password, now); !errors.Is(err, regulation.ErrLocked) {
				t.Errorf("the app after 100 failures: %v, want ErrLocked", err)
			}
			if a, _ := d.Account("alice"); !a.Locked {
				t.Errorf("not locked in the directory after 100 failures")
			}
			if got := bind(now); got != 49 {
				t.Errorf("the right password after 100 %s failures: ldapwhoami exit %d, want 49 (locked)", tc.name, got)
			}
			if _, e, code := admin(t, s, "user", "unlock", "alice"); code != 0 {
				t.Fatalf("user unlock: exit %d, %s", code, e)
			}
			if got := bind(now.Add(30 * time.Second)); got != 0 {
				t.Errorf("the right password after unlock: ldapwhoami exit %d, want 0", got)
			}
		})
	}
}

// An account whose count reached the lock-out before the lock was written
// to the directory (an older station) is locked there at its next try.
func TestOwnCountLockoutReachesTheDirectoryLater(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	// Written as an older station did: the count, no ppolicy lock.
	mod := ldap.NewModifyRequest(dn, nil)
	mod.Add("objectClass", []string{"siAccount"})
	mod.Replace("siAppPasswordFailures", []string{"100"})
	mod.Replace("siAppPasswordLastFailure", []string{"20260101000000Z"})
	if err := s.Station().Modify(mod); err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 0 {
		t.Fatalf("before: ldapwhoami exit %d", got)
	}
	if err := regulation.Default.ReserveFactor(d, "alice", regulation.AppPassword, time.Now()); !errors.Is(err, regulation.ErrLocked) {
		t.Fatalf("a try: %v, want ErrLocked", err)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 49 {
		t.Errorf("after a try at the locked account: ldapwhoami exit %d, want 49", got)
	}
}

package directory_test

import (
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// TestAccount_DisabledIsAnAdministratorsLockOnly: Account.Disabled, which
// no reset or pass lifts, is set for an administrator's lock
// (000001010000Z) alone: not for ppolicy's own lock after pwdMaxFailure
// wrong passwords (a time, which a reset may lift), nor for the app's
// lock of the counts at regulation.MaxFailures (the same value, explained
// by the counts).
func TestAccount_DisabledIsAnAdministratorsLockOnly(t *testing.T) {
	d, s := open(t, slapdtest.Options{MaxFailure: 5}) // ppolicy's own lock after 5 here, at 100 as shipped
	byPolicy := s.AddPerson("bob", "bob-password-1", false)
	s.AddPerson("carol", "carol-password-1", false)
	byAdmin := s.AddPerson("dave", "dave-password-1", false)
	for i := 0; i < 5; i++ {
		whoami(t, s, byPolicy, "wrong")
	}
	if err := d.UpdateAccount("carol", func(a *info.Account) error {
		a.AppPasswordTries = info.Tries{Failures: regulation.MaxFailures, LastFailure: time.Now()}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	lock := ldap.NewModifyRequest(byAdmin, nil)
	lock.Add("pwdAccountLockedTime", []string{"000001010000Z"})
	if err := s.Root().Modify(lock); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		disabled bool
	}{{"bob", false}, {"carol", false}, {"dave", true}} {
		a, err := d.Account(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Locked || a.Disabled != tc.disabled {
			t.Errorf("%s: Locked %v, Disabled %v; want locked, disabled %v", tc.name, a.Locked, a.Disabled, tc.disabled)
		}
	}
}

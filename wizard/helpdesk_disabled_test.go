package wizard_test

import (
	"errors"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// unlockSpy is a store that records the accounts Unlock is called for.
type unlockSpy struct {
	info.Store
	unlocked []string
}

func (s *unlockSpy) Unlock(name string) error {
	s.unlocked = append(s.unlocked, name)
	return s.Store.Unlock(name)
}

// An account an administrator disabled in the directory
// (info.Account.Disabled) is shown to the operator as disabled, not as
// locked, also when its counts lock it too; the helpdesk's Unlock refuses
// it with ErrDisabledByAdministrator before the store's Unlock, which
// would lift the administrator's lock, is called, and records nothing.
// An account merely locked by its counts is still unlocked.
func TestFlow_HelpdeskCantUnlockADisabledAccount(t *testing.T) {
	spy := &unlockSpy{Store: newStore(t)}
	f, log := helpdesk(t, spy)
	addAccount(t, spy, "bob@contoso.example", "bob-password")
	spy.UpdateAccount("alice@contoso.example", func(a *info.Account) error {
		a.Locked, a.Disabled, a.Failures = true, true, 100
		return nil
	})
	spy.UpdateAccount("bob@contoso.example", func(a *info.Account) error { a.Failures = 100; return nil })

	s, err := f.LookUp("alice@contoso.example")
	if err != nil || !s.Disabled || s.Locked {
		t.Errorf("LookUp of the disabled account = %+v, %v; want Disabled and not Locked", s, err)
	}
	if err := f.UnlockAccount("alice@contoso.example"); !errors.Is(err, wizard.ErrDisabledByAdministrator) {
		t.Fatalf("Unlock of the disabled account = %v, want ErrDisabledByAdministrator", err)
	}
	if len(spy.unlocked) != 0 {
		t.Errorf("the store's Unlock was called for %v", spy.unlocked)
	}
	if a, _ := spy.Account("alice@contoso.example"); !a.Disabled || !a.Locked || a.Failures != 100 {
		t.Errorf("after the refused Unlock: %+v", a)
	}
	if len(*log) != 0 {
		t.Errorf("a refused Unlock was recorded: %q", *log)
	}

	if s, err := f.LookUp("bob@contoso.example"); err != nil || !s.Locked || s.Disabled {
		t.Errorf("LookUp of the locked account = %+v, %v; want Locked, not Disabled", s, err)
	}
	if err := f.UnlockAccount("bob@contoso.example"); err != nil {
		t.Fatalf("Unlock of the locked account = %v", err)
	}
	if len(spy.unlocked) != 1 || len(*log) != 1 || (*log)[0] != "op@contoso.example unlock bob@contoso.example" {
		t.Errorf("unlocking bob: store unlocked %v, audit %q", spy.unlocked, *log)
	}
}

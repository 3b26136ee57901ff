package directory_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
)

// TestFiveQuickWrongPasswordsDontLockAPersonOutEverywhere: five wrong
// passwords typed within seconds at a kiosk leave the person able to bind
// at every LDAP service with the right one. base.ldif shipped
// pwdMaxFailure 5 with pwdLockoutDuration 0: any passer-by could lock
// anyone out of mail and VPN until the helpdesk unlocked them. The shipped
// policy now locks at DESIGN's 100 consecutive failures, the app's own
// number (review 7, finding 7; slapdtest.TestShippedPolicyLocksAtTheHundredth
// checks the 100th).
func TestFiveQuickWrongPasswordsDontLockAPersonOutEverywhere(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("ceo", "ceo-password-1", false)
	in := &wizard.SignIn{Dir: d, Now: time.Now}
	for i := 0; i < 5; i++ {
		_, err := in.Check("ceo", fmt.Sprintf("a-guess-%d", i))
		var w *wizard.WaitError
		if err == nil || !(errors.Is(err, wizard.ErrBadCredentials) || errors.As(err, &w) || errors.Is(err, wizard.ErrLocked)) {
			t.Fatalf("try %d = %v", i+1, err)
		}
	}
	if got := whoami(t, s, dn, "ceo-password-1"); got != 0 {
		t.Errorf("after five wrong passwords typed at a kiosk within seconds, the person's right password is refused at every LDAP service: exit %d, want 0", got)
	}
}

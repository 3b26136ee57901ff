package wizard_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// The second factor's back-off and lock-out are its own count, which a
// right password doesn't clear: someone who knows the password guesses
// three authenticator codes, waits the 1 s, signs in again and guesses
// again; before, each sign-in cleared the count (one count for all), so
// this went on for ever with no wait over a second and no lock-out. Now
// every wrong code stays counted and the waits grow.
func TestPasswordSignInKeepsSecondFactorFailures(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	wrong, longest := 0, time.Duration(0)
	for cycle := 0; cycle < 40; cycle++ {
		if err := r.flow.SignIn(alice, alicePW); err != nil {
			t.Fatalf("cycle %d sign-in: %v", cycle, err)
		}
		r.want(wizard.PageVerify)
		if _, err := r.flow.StartProof(r.option(info.KindAuthenticatorApp)); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			err := r.flow.Prove([]string{"000000"})
			var w *regulation.WaitError
			switch {
			case errors.Is(err, authapp.ErrWrongCode):
				wrong++
			case errors.As(err, &w):
				longest = max(longest, w.Wait)
			default:
				t.Fatalf("cycle %d: a wrong code answered %v", cycle, err)
			}
		}
		r.flow.Cancel()
		r.c.Add(2 * time.Second) // past the 1 s wait after three failures
	}
	a, err := r.dir.Account(alice)
	if err != nil {
		t.Fatal(err)
	}
	if a.SecondFactorTries.Failures != wrong || a.Failures != 0 {
		t.Errorf("%d wrong codes, second-factor count %d, password count %d: want every wrong code counted, the right passwords' count clear",
			wrong, a.SecondFactorTries.Failures, a.Failures)
	}
	// 80 s of clock: 3 free, then 1 s, 2 s, 4 s ... 64 s waits.
	if wrong > 10 || longest <= time.Minute {
		t.Errorf("%d wrong authenticator codes checked in 40 sign-ins, longest wait %v: the password's success clears the second factor's count", wrong, longest)
	}
}

// With each try past the longest wait, MaxFailures wrong codes lock the
// account, although the password is right at every sign-in: the sign-in
// is refused too (the lock-out of one factor locks the account).
func TestSecondFactorLockOutSurvivesRightPasswords(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	wrong := 0
	for cycle := 0; wrong < wizard.MaxFailures; cycle++ {
		if cycle > wizard.MaxFailures {
			t.Fatalf("%d wrong codes in %d sign-ins and no lock-out", wrong, cycle)
		}
		if err := r.flow.SignIn(alice, alicePW); err != nil {
			t.Fatalf("cycle %d (%d wrong codes) sign-in: %v", cycle, wrong, err)
		}
		if _, err := r.flow.StartProof(r.option(info.KindAuthenticatorApp)); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3 && wrong < wizard.MaxFailures; i++ {
			if err := r.flow.Prove([]string{"000000"}); !errors.Is(err, authapp.ErrWrongCode) {
				t.Fatalf("wrong code %d: %v", wrong+1, err)
			}
			wrong++
			r.c.Add(16 * time.Minute) // past the longest wait
		}
		r.flow.Cancel()
	}
	if err := r.flow.SignIn(alice, alicePW); !errors.Is(err, wizard.ErrLocked) {
		t.Errorf("sign-in with the right password after %d wrong codes: %v, want ErrLocked", wrong, err)
	}
	if err := r.dir.Unlock(alice); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.SignIn(alice, alicePW); err != nil {
		t.Errorf("sign-in after the helpdesk's unlock: %v", err)
	}
}

// A right second factor clears its own count, and not the password's.
func TestSecondFactorSuccessKeepsPasswordFailures(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	if err := r.flow.SignIn(alice, "wrong-password"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Fatal(err)
	}
	if err := r.flow.SignIn(alice, alicePW); err != nil {
		t.Fatal(err)
	}
	if _, err := r.flow.StartProof(r.option(info.KindAuthenticatorApp)); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.Prove([]string{"000000"}); !errors.Is(err, authapp.ErrWrongCode) {
		t.Fatal(err)
	}
	if a, _ := r.dir.Account(alice); a.SecondFactorTries.Failures != 1 || a.Failures != 0 {
		t.Fatalf("after a right password and a wrong code: password count %d, second factor %d; want 0, 1", a.Failures, a.SecondFactorTries.Failures)
	}
	if err := r.flow.Prove([]string{r.code()}); err != nil {
		t.Fatal(err)
	}
	if a, _ := r.dir.Account(alice); a.SecondFactorTries.Failures != 0 {
		t.Errorf("a right code left the second factor's count at %d", a.SecondFactorTries.Failures)
	}
}

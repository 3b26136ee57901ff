package wizard_test

import (
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
)

func TestIdle_CountdownAndWipe(t *testing.T) {
	i := &wizard.Idle{Timeout: 2 * time.Minute}
	i.Touch(t0)
	for _, tc := range []struct {
		after         time.Duration
		left          time.Duration
		warn, expired bool
	}{
		{0, 2 * time.Minute, false, false},
		{104 * time.Second, 16 * time.Second, false, false},
		{105 * time.Second, 15 * time.Second, true, false},
		{119 * time.Second, time.Second, true, false},
		{120 * time.Second, 0, false, true},
	} {
		left, warn, expired := i.Check(t0.Add(tc.after))
		if left != tc.left || warn != tc.warn || expired != tc.expired {
			t.Errorf("after %v: %v %v %v, want %v %v %v", tc.after, left, warn, expired, tc.left, tc.warn, tc.expired)
		}
	}
	// Input during the countdown starts the idle time again.
	i.Touch(t0.Add(110 * time.Second))
	if _, warn, expired := i.Check(t0.Add(130 * time.Second)); warn || expired {
		t.Error("input did not reset the countdown")
	}
}

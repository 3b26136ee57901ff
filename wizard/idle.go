package wizard

import "time"

// IdleWarning is how long a kiosk shows its countdown before it returns to
// sign-in and wipes the last person's session.
const IdleWarning = 15 * time.Second

// Idle tracks how long a kiosk has gone without input.
type Idle struct {
	// Timeout is the policy's idle time.
	Timeout time.Duration
	last    time.Time
}

// Touch records input at now: any key or tap resets the countdown.
func (i *Idle) Touch(now time.Time) { i.last = now }

// Check says where the station stands at now: left is the time before the
// wipe, warn is true during the final IdleWarning (show the countdown),
// and expired is true once the wipe is due.
func (i *Idle) Check(now time.Time) (left time.Duration, warn, expired bool) {
	if i.last.IsZero() {
		i.last = now
	}
	left = i.last.Add(i.Timeout).Sub(now)
	if left <= 0 {
		return 0, false, true
	}
	return left, left <= IdleWarning, false
}

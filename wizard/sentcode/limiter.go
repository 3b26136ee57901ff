package sentcode

import (
	"fmt"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The send limits within SendWindow: at most MaxSendsPerHour codes to one
// number (or address), MaxSendsPerAccount for one account whatever the
// numbers, and MaxSendsPerStation from this station in all, so that a
// setup typing number after number can't pump texts to premium or foreign
// numbers at the organisation's cost.
const (
	MaxSendsPerHour    = 5
	MaxSendsPerAccount = 10
	MaxSendsPerStation = 100
	SendWindow         = time.Hour
)

// ErrAccountSends and ErrStationSends are the account's and the station's
// caps; both match ErrTooManySends.
var (
	ErrAccountSends = words.Like(ErrTooManySends, "this account has had too many codes in the last hour",
		"This account has had too many codes sent in the last hour. Try again later, or choose a different method.")
	ErrStationSends = words.Like(ErrTooManySends, "this station has sent too many codes in the last hour",
		"This station has sent too many codes in the last hour. Try again later, or ask your helpdesk.")
)

// accountKey and stationKey are the limiter's keys for its other caps;
// neither can be a number or an address.
const stationKey = "\x00station"

func accountKey(account string) string {
	return "\x00account:" + info.AccountKey(account)
}

// ErrTooManySends is matched by *LimitError. It and LimitError are worded
// for a number, the phone's words; a method sending elsewhere words its
// own (Spec.LimitError).
var ErrTooManySends = words.New("this number has had too many codes in the last hour: try again later, or choose a different method",
	"This number has had too many codes in the last hour. Try again later, or choose a different method.")

// LimitError means the number has had MaxSendsPerHour codes within the
// window; errors.Is(err, ErrTooManySends) holds.
type LimitError struct {
	// Wait is how long until the next code may be sent.
	Wait time.Duration
}

// Error tells the person when they can try again.
func (e *LimitError) Error() string {
	m := int((e.Wait + time.Minute - 1) / time.Minute)
	if m < 1 {
		m = 1
	}
	return fmt.Sprintf("this number has had %d codes in the last hour: try again in %s, or choose a different method",
		MaxSendsPerHour, plural(m, "minute"))
}

// Words tell the person when they can try again.
func (e *LimitError) Words() string {
	m := int((e.Wait + time.Minute - 1) / time.Minute)
	if m < 1 {
		m = 1
	}
	return fmt.Sprintf("This number has had %d codes in the last hour. Try again in %s, or choose a different method.",
		MaxSendsPerHour, plural(m, "minute"))
}

// Is makes errors.Is(err, ErrTooManySends) true.
func (e *LimitError) Is(target error) bool { return target == ErrTooManySends }

// Limiter counts the codes sent to each number or address (keyed by E.164
// or address) so that at most Max go to one within Window, whichever Setup
// or Prover sends them. It
// is safe for concurrent use; the clock is the now passed to each call.
type Limiter struct {
	max    int
	window time.Duration

	mu    sync.Mutex
	sends map[string][]time.Time
}

// NewLimiter returns a limiter allowing max sends per number per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window, sends: map[string][]time.Time{}}
}

// Reserve records a send to number for account at now, or refuses it: a
// *LimitError if max sends to number were recorded within the window,
// ErrAccountSends or ErrStationSends if the account or the station reached
// its cap. If the send then fails, call cancel to take the records back
// (cancel is safe to call more than once).
func (l *Limiter) Reserve(number, account string, now time.Time) (cancel func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	ts := l.sends[number]
	if len(ts) >= l.max {
		return func() {}, &LimitError{Wait: ts[len(ts)-l.max].Add(l.window).Sub(now)}
	}
	acct := accountKey(account)
	if len(l.sends[acct]) >= MaxSendsPerAccount {
		return func() {}, ErrAccountSends
	}
	if len(l.sends[stationKey]) >= MaxSendsPerStation {
		return func() {}, ErrStationSends
	}
	for _, k := range []string{number, acct, stationKey} {
		l.sends[k] = append(l.sends[k], now)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			for _, k := range []string{number, acct, stationKey} {
				l.remove(k, now)
			}
		})
	}, nil
}

// Count returns how many sends to number are recorded within Window
// before now.
func (l *Limiter) Count(number string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	return len(l.sends[number])
}

// CooldownLeft is how long until number may get another code, counted
// from the last send any Setup made to it (30 s after the first, doubling):
// so starting over (Back, Cancel, signing in again) doesn't skip the wait.
func (l *Limiter) CooldownLeft(number string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	ts := l.sends[number]
	if len(ts) == 0 {
		return 0
	}
	return max(ts[len(ts)-1].Add(Cooldown(len(ts))).Sub(now), 0)
}

// remove takes back one send to number at t.
func (l *Limiter) remove(number string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.sends[number]
	for i := len(ts) - 1; i >= 0; i-- {
		if ts[i].Equal(t) {
			l.sends[number] = append(ts[:i:i], ts[i+1:]...)
			break
		}
	}
	if len(l.sends[number]) == 0 {
		delete(l.sends, number)
	}
}

// prune forgets sends older than Window before now.
func (l *Limiter) prune(now time.Time) {
	for n, ts := range l.sends {
		i := 0
		for i < len(ts) && !ts[i].Add(l.window).After(now) {
			i++
		}
		if i == len(ts) {
			delete(l.sends, n)
		} else if i > 0 {
			l.sends[n] = append([]time.Time(nil), ts[i:]...)
		}
	}
}

// plural returns "1 minute", "2 minutes".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

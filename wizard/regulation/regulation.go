// Package regulation is the one home of how Security Info slows down and
// stops guessing: after a few failed tries each further try must wait
// longer, and after many the thing guessed at is locked. Sign-in, app
// password checks and the second-factor check before creating an app
// password all count on the account (AccountState, RecordAttempt); a
// station's passphrase counts with the Station rules.
//
// The package keeps no state of its own (but for the failures of names
// that name no account where the store has no place for them, see
// ReserveUnknown): a caller passes in the State it keeps (an account's
// failure count in the store, a station's count in its keyring or in
// memory) and keeps the State it gets back, so the rules are the same
// wherever the count lives.
package regulation

import (
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// MaxFailures is how many consecutive failures lock an account (NIST
// 800-63B §5.2.2 allows at most 100).
const MaxFailures = 100

// Rules say how tries are regulated.
type Rules struct {
	// Free is how many failures are allowed before tries must wait.
	Free int
	// First is the wait after Free failures; it doubles with each further
	// failure.
	First time.Duration
	// Max is the longest wait.
	Max time.Duration
	// LockAt is the number of consecutive failures that locks; 0 never
	// locks.
	LockAt int
}

// Default regulates guessing at an account's secrets: nothing for the
// first three failures, then 1 s doubling to at most 15 minutes, and locked
// at MaxFailures.
var Default = Rules{Free: 3, First: time.Second, Max: 15 * time.Minute, LockAt: MaxFailures}

// Station regulates guessing at a station's own passphrase: the waits of
// Default, but never locked, so that the administrator can always close the
// station in the end.
var Station = Rules{Free: 3, First: time.Second, Max: 15 * time.Minute}

// ErrLocked means the account is locked after too many failures; a
// helpdesk unlocks it (info.Store.Unlock).
var ErrLocked = words.New("this account is locked after too many failed sign-ins: ask your helpdesk to unlock it",
	"This account is locked after too many failed sign-ins. Ask your helpdesk to unlock it.")

// WaitError says tries are paused after repeated failures.
type WaitError struct {
	// Wait is how long until the next try is allowed.
	Wait time.Duration
}

// Error says how long to wait.
func (e *WaitError) Error() string {
	return fmt.Sprintf("too many failed attempts: wait %s before trying again", e.wait())
}

// Words tell the person how long to wait.
func (e *WaitError) Words() string {
	return fmt.Sprintf("Too many failed attempts. Wait %s before trying again.", words.Duration(e.Wait))
}

// wait is Wait rounded up to a whole second.
func (e *WaitError) wait() time.Duration { return (e.Wait + time.Second - 1).Truncate(time.Second) }

// State is what the rules count: consecutive failures and when the latest
// happened.
type State struct {
	Failures int
	Last     time.Time
}

// Failed returns the state after a failure at now.
func (s State) Failed(now time.Time) State { return State{Failures: s.Failures + 1, Last: now} }

// Succeeded returns the state after a success: no failures counted.
func (s State) Succeeded() State { return State{Last: s.Last} }

// Backoff is how long a try must wait after n consecutive failures.
func (r Rules) Backoff(n int) time.Duration {
	if n < r.Free || r.First <= 0 {
		return 0
	}
	d := r.First
	for i := r.Free; i < n && d < r.Max; i++ {
		d *= 2
	}
	return min(d, r.Max)
}

// Backoff is Default.Backoff: nothing for n < 3, then 1 s doubling to at
// most 15 minutes.
func Backoff(n int) time.Duration { return Default.Backoff(n) }

// Locked reports whether s is locked under r.
func (r Rules) Locked(s State) bool { return r.LockAt > 0 && s.Failures >= r.LockAt }

// Check says whether a try may be made at now: nil, ErrLocked, or a
// *WaitError with the time left. Call it before checking anything, so
// that a try during the wait costs nothing and counts nothing.
func (r Rules) Check(s State, now time.Time) error {
	if r.Locked(s) {
		return ErrLocked
	}
	// A clock set back must not make the wait longer than the rule.
	back := r.Backoff(s.Failures)
	if wait := min(s.Last.Add(back).Sub(now), back); wait > 0 {
		return &WaitError{Wait: wait}
	}
	return nil
}

// AccountState is an account's state as the store keeps it.
func AccountState(a info.Account) State { return State{Failures: a.Failures, Last: a.LastFailure} }

// Reserve checks the gate and counts a try on account as failed, in one
// transaction of dir, before the slow check (a hash) is made: so that a
// hundred guesses sent at once can't all pass the gate before any of them
// is counted. If the check then succeeds, RecordAttempt(ok) clears the
// count; if it fails, it is already counted. r's refusal (ErrLocked,
// *WaitError) comes back as it is, and nothing is counted then.
func (r Rules) Reserve(dir info.Store, account string, now time.Time) error {
	return dir.UpdateAccount(account, func(a *info.Account) error { return r.reserve(&a.Failures, &a.LastFailure, now) })
}

// reserve is Reserve's change to a kept count (an account's, or the Tries
// of a name that names no account): the gate, then one more failure.
func (r Rules) reserve(failures *int, last *time.Time, now time.Time) error {
	s := State{Failures: *failures, Last: *last}
	if err := r.Check(s, now); err != nil {
		return err
	}
	s = s.Failed(now)
	*failures, *last = s.Failures, s.Last
	return nil
}

// RecordAttempt counts a try on account, in one transaction of dir: a
// failure (ok false) at now, or a success, which clears the count.
func RecordAttempt(dir info.Store, account string, ok bool, now time.Time) error {
	return dir.UpdateAccount(account, func(a *info.Account) error { record(&a.Failures, &a.LastFailure, ok, now); return nil })
}

// record is RecordAttempt's change to a kept count: cleared by a
// success, one more by a failure.
func record(failures *int, last *time.Time, ok bool, now time.Time) {
	s := State{Failures: *failures, Last: *last}
	if ok {
		s = s.Succeeded()
	} else {
		s = s.Failed(now)
	}
	*failures, *last = s.Failures, s.Last
}

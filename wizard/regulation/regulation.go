// Package regulation is the one home of how Security Info slows down and
// stops guessing: after a few failed tries each further try must wait
// longer, and after many the thing guessed at is locked. An account keeps
// one count per Factor: the password (with a Temporary Access Pass typed
// in its place), the second factor (sign-in, step-up, password reset) and
// app passwords. A success clears only the count of what it proved, so
// that knowing one factor never wipes the failures of guessing another;
// each count has its own back-off, and the account's total, the three
// counts added up, reaching LockAt locks the account, for every factor
// (ReserveFactor, RecordFactor, CheckAccount): at most MaxFailures
// consecutive failures per account, whichever factor they guessed at. A
// name that names no account keeps the same three counts (ReserveUnknown),
// with the same back-off and the same lock-out of their total. A
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

// MaxFailures is how many consecutive failures lock an account, all its
// factors' together (NIST 800-63B §5.2.2 allows at most 100 per account).
const MaxFailures = info.MaxFailures

// Rules say how tries are regulated.
type Rules struct {
	// Free is how many failures are allowed before tries must wait.
	Free int
	// First is the wait after Free failures; it doubles with each further
	// failure.
	First time.Duration
	// Max is the longest wait.
	Max time.Duration
	// LockAt is the number of consecutive failures that locks (a
	// State's own and its Others together); 0 never locks.
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

// ErrLocked means the account is locked: after too many failures, or by
// an administrator (the directory's account disabled); a helpdesk unlocks
// it (info.Store.Unlock). Its words name no cause, so they are true of
// both, and tell neither apart.
var ErrLocked = words.New("this account is locked: ask your helpdesk to unlock it",
	"This account is locked. Ask your helpdesk to unlock it.")

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
	// Others are the consecutive failures of the account's other factors
	// (or of a name's other factors, for a name that names no account):
	// they count towards the lock-out, which is of the account's total,
	// but not towards this count's back-off.
	Others int
}

// Failed returns the state after a failure at now.
func (s State) Failed(now time.Time) State {
	return State{Failures: s.Failures + 1, Last: now, Others: s.Others}
}

// Succeeded returns the state after a success: no failures counted of its
// own (the other factors' stay).
func (s State) Succeeded() State { return State{Last: s.Last, Others: s.Others} }

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

// Locked reports whether s is locked under r: its own failures and its
// Others together reach LockAt. This is the one home of the lock-out rule.
func (r Rules) Locked(s State) bool { return r.LockAt > 0 && s.Failures+s.Others >= r.LockAt }

// Check says whether a try may be made at now: nil, ErrLocked, or a
// *WaitError with the time left. Call it before checking anything, so
// that a try during the wait costs nothing and counts nothing.
func (r Rules) Check(s State, now time.Time) error {
	if r.Locked(s) {
		return ErrLocked
	}
	return r.wait(s, now)
}

// wait is Check's back-off alone: a *WaitError while s's own failures
// make tries wait at now, else nil.
func (r Rules) wait(s State, now time.Time) error {
	// A clock set back must not make the wait longer than the rule.
	back := r.Backoff(s.Failures)
	if wait := min(s.Last.Add(back).Sub(now), back); wait > 0 {
		return &WaitError{Wait: wait}
	}
	return nil
}

// CheckBackoff is the back-off of Check for a try at the count of f kept
// in c (an account's Counts, or those of a name that names no account): a
// *WaitError while it runs, else nil, whatever the lock-out says. It is
// the gate before a try whose lock-out is refused elsewhere, in its own
// way and with its own requests: the directory's bind of a password,
// which ppolicy and the store refuse once the account or the name is
// locked, and which, unlike a hash, regulation can't count before it is
// made (the directory counts it), so that nothing else would make it
// wait.
func (r Rules) CheckBackoff(c info.Counts, f Factor, now time.Time) error {
	return r.wait(countsState(c, f), now)
}

// Factor names one of an account's failure counts.
type Factor int

// The factors an account counts failures of, each on its own.
const (
	// Password is the password, or a Temporary Access Pass typed in its
	// place (info.Account.Failures; ppolicy's count in the directory).
	Password Factor = iota
	// SecondFactor is any second-factor proof: an authenticator code, a
	// security key, a sent code, security questions, a recovery code
	// (info.Account.SecondFactorTries).
	SecondFactor
	// AppPassword is an app password (info.Account.AppPasswordTries).
	AppPassword
)

// count is where c's count of f is kept.
func (f Factor) count(a *info.Counts) (*int, *time.Time) {
	switch f {
	case SecondFactor:
		return &a.SecondFactorTries.Failures, &a.SecondFactorTries.LastFailure
	case AppPassword:
		return &a.AppPasswordTries.Failures, &a.AppPasswordTries.LastFailure
	}
	return &a.Failures, &a.LastFailure
}

// AccountState is the state of an account's password count, as the store
// keeps it (FactorState(a, Password)).
func AccountState(a info.Account) State { return FactorState(a, Password) }

// factors are all the factors an account counts.
var factors = []Factor{Password, SecondFactor, AppPassword}

// FactorState is the state of an account's count of f, with the failures
// of its other factors as Others.
func FactorState(a info.Account, f Factor) State { return countsState(a.Counts, f) }

// countsState is the state of c's count of f, with the failures of its
// other factors as Others: an account's (FactorState) or the slot's of a
// name that names no account (UnknownState).
func countsState(c info.Counts, f Factor) State {
	s := State{}
	for _, g := range factors {
		n, last := g.count(&c)
		if g == f {
			s.Failures, s.Last = *n, *last
		} else {
			s.Others += *n
		}
	}
	return s
}

// AccountLocked reports whether a is locked under r: its three counts
// together reach LockAt, whichever factors they are of. The lock-out
// locks the account for every factor, until a helpdesk unlocks it
// (info.Store.Unlock clears every count).
func (r Rules) AccountLocked(a info.Account) bool { return r.CountsLocked(a.Counts) }

// CountsLocked is AccountLocked for counts kept anywhere (an account's,
// or the slot's of a name that names no account, which locks alike).
func (r Rules) CountsLocked(c info.Counts) bool { return r.Locked(countsState(c, Password)) }

// CheckAccount is Check for a try at a's factor f: ErrLocked if the
// account is locked (AccountLocked), else the back-off of f's own count.
func (r Rules) CheckAccount(a info.Account, f Factor, now time.Time) error {
	return r.Check(FactorState(a, f), now)
}

// Reserve is ReserveFactor for the password.
func (r Rules) Reserve(dir info.Store, account string, now time.Time) error {
	return r.ReserveFactor(dir, account, Password, now)
}

// ReserveFactor checks the gate of account's factor f (CheckAccount) and
// counts a try at f as failed, in one transaction of dir, before the slow
// check (a hash) is made: so that a hundred guesses sent at once can't
// all pass the gate before any of them is counted. If the check then
// succeeds, RecordFactor(ok) clears f's count; if it fails, it is already
// counted. r's refusal (ErrLocked, *WaitError) comes back as it is, and
// nothing is counted then.
func (r Rules) ReserveFactor(dir info.Store, account string, f Factor, now time.Time) error {
	return dir.UpdateAccount(account, func(a *info.Account) error { return r.reserve(&a.Counts, f, now) })
}

// reserve is ReserveFactor's change to kept counts (an account's, or the
// slot's of a name that names no account): the gate of f (the lock-out of
// the three counts' total, f's own back-off), then one more failure of f.
func (r Rules) reserve(c *info.Counts, f Factor, now time.Time) error {
	s := countsState(*c, f)
	if err := r.Check(s, now); err != nil {
		return err
	}
	s = s.Failed(now)
	n, last := f.count(c)
	*n, *last = s.Failures, s.Last
	return nil
}

// RecordAttempt is RecordFactor for the password.
func RecordAttempt(dir info.Store, account string, ok bool, now time.Time) error {
	return RecordFactor(dir, account, Password, ok, now)
}

// RecordFactor counts a try at account's factor f, in one transaction of
// dir: a failure (ok false) at now, or a success, which clears f's count
// and no other.
func RecordFactor(dir info.Store, account string, f Factor, ok bool, now time.Time) error {
	return dir.UpdateAccount(account, func(a *info.Account) error { record(&a.Counts, f, ok, now); return nil })
}

// Release takes back one failure of account's factor f that
// ReserveFactor counted, for a try that turned out to be no guess at f
// (a right Temporary Access Pass, counted on the password's count before
// it was checked): unlike a success, it clears nothing that was counted
// before.
func Release(dir info.Store, account string, f Factor) error {
	return dir.UpdateAccount(account, func(a *info.Account) error {
		if n, _ := f.count(&a.Counts); *n > 0 {
			*n--
		}
		return nil
	})
}

// record is RecordFactor's change to kept counts (an account's, or the
// slot's of a name that names no account): f's cleared by a success, one
// more by a failure.
func record(c *info.Counts, f Factor, ok bool, now time.Time) {
	failures, last := f.count(c)
	s := State{Failures: *failures, Last: *last}
	if ok {
		s = s.Succeeded()
	} else {
		s = s.Failed(now)
	}
	*failures, *last = s.Failures, s.Last
}

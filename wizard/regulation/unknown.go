package regulation

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// unknownFallback keeps the failures of names that name no account where
// the store has no place for them (a directory set up before ou=tries
// existed: Store.UpdateTries answers ErrNotSupported), for the process's
// life: so that they outlive a kiosk wipe, as an account's failures do in
// the store. It is the one state this package keeps.
var unknownFallback info.TriesTable

// updateTries is dir.UpdateTries, or unknownFallback's where dir has no
// place for them.
func updateTries(dir info.Store, name string, change func(*info.Tries) error) error {
	err := dir.UpdateTries(name, change)
	if errors.Is(err, info.ErrNotSupported) {
		return unknownFallback.Update(name, change)
	}
	return err
}

// unknownKey is what the count of f of a name that names no account is
// kept under (the store keeps only its keyed slot, info.TrySlot, never
// what it is given). For the password it is the name itself: where the
// directory checks passwords, its bind of such a name counts in that same
// slot. For the other factors it is the name, as accounts compare it,
// after the factor: a slot of its own per factor, as an account has a
// count of its own per factor, so that guesses at one factor make no
// other wait (a person's don't), and still no name kept.
func unknownKey(name string, f Factor) string {
	if f == Password {
		return name
	}
	return fmt.Sprintf("\x00%d\x00%s", int(f), strings.ToLower(strings.TrimSpace(name)))
}

// ReserveUnknown is ReserveFactor for a name that names no account: the
// gate and the count on the Tries the store keeps for the name's factor f
// (info.Store.UpdateTries, under unknownKey), in one transaction of the
// same kind as ReserveFactor's. So a try at a name that names nobody
// waits, locks and costs what a try at an account does: the same synced
// write, before the same hash. As an account's, each factor has its own
// count and back-off.
//
// The lock-out is of that count alone: an account's is of its three
// counts together, which it reads in its one transaction, while a name's
// other factors are other slots, and reading them would cost a try at a
// name that names nobody more store requests than a try at a person. So
// failures spread over factors lock a person at MaxFailures in all, and
// a name that names nobody only once one factor reaches it: telling the
// two apart that way takes MaxFailures failures, which lock the person.
func (r Rules) ReserveUnknown(dir info.Store, name string, f Factor, now time.Time) error {
	return updateTries(dir, unknownKey(name, f), func(t *info.Tries) error {
		return r.reserve(State{Failures: t.Failures, Last: t.LastFailure}, &t.Failures, &t.LastFailure, now)
	})
}

// RecordUnknown is RecordFactor for a name that names no account: a
// success clears the count of f and no other.
func RecordUnknown(dir info.Store, name string, f Factor, ok bool, now time.Time) error {
	return updateTries(dir, unknownKey(name, f), func(t *info.Tries) error { record(&t.Failures, &t.LastFailure, ok, now); return nil })
}

// errRead stops UnknownState's transaction, so that reading saves nothing.
var errRead = errors.New("read only")

// UnknownState is the state of the count of f kept for a name that names
// no account.
func UnknownState(dir info.Store, name string, f Factor) (State, error) {
	var s State
	err := updateTries(dir, unknownKey(name, f), func(t *info.Tries) error {
		s = State{Failures: t.Failures, Last: t.LastFailure}
		return errRead
	})
	if errors.Is(err, errRead) {
		err = nil
	}
	return s, err
}

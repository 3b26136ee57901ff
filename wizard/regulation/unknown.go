package regulation

import (
	"errors"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// unknownFallback keeps the failures of names that name no account where
// the store has no place for them (a directory set up before ou=tries
// existed: Store.UpdateTries answers ErrNotSupported), for the process's
// life: so that they outlive a kiosk wipe, as an account's failures do in
// the store. It is the one state this package keeps.
var unknownFallback info.SlotTable[info.Counts]

// updateTries is dir.UpdateTries, or unknownFallback's where dir has no
// place for them.
func updateTries(dir info.Store, name string, change func(*info.Counts) error) error {
	err := dir.UpdateTries(name, change)
	if errors.Is(err, info.ErrNotSupported) {
		return unknownFallback.Update(name, change)
	}
	return err
}

// ReserveUnknown is ReserveFactor for a name that names no account: the
// gate and the count on the Counts the store keeps for the name
// (info.Store.UpdateTries: one slot, keyed by the name, with the three
// counts an account keeps), in one transaction of the same kind as
// ReserveFactor's. So a try at a name that names nobody waits, locks and
// costs what a try at an account does: the same synced write, before the
// same hash, and the same rules on the same counts (reserve), so that no
// mix of failures of the factors locks one and not the other: each
// factor's back-off is of its own count, and the lock-out of the three
// counts' total. Where the directory checks passwords, its bind of such
// a name counts the password's failures in that same slot.
func (r Rules) ReserveUnknown(dir info.Store, name string, f Factor, now time.Time) error {
	return updateTries(dir, name, func(c *info.Counts) error { return r.reserve(c, f, now) })
}

// RecordUnknown is RecordFactor for a name that names no account: a
// success (which no check of such a name has) clears the count of f and
// no other.
func RecordUnknown(dir info.Store, name string, f Factor, ok bool, now time.Time) error {
	return updateTries(dir, name, func(c *info.Counts) error { record(c, f, ok, now); return nil })
}

// errRead stops UnknownState's transaction, so that reading saves nothing.
var errRead = errors.New("read only")

// UnknownState is the state of the count of f kept for a name that names
// no account, with its other two counts as Others (as FactorState's).
func UnknownState(dir info.Store, name string, f Factor) (State, error) {
	var s State
	err := updateTries(dir, name, func(c *info.Counts) error {
		s = countsState(*c, f)
		return errRead
	})
	if errors.Is(err, errRead) {
		err = nil
	}
	return s, err
}

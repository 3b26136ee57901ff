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

// ReserveUnknown is Reserve for a name that names no account: the gate
// and the count on the Tries the store keeps for it (info.Store.
// UpdateTries), in one transaction of the same kind as Reserve's. So a try
// at a name that names nobody waits, locks and costs what a try at an
// account does: the same synced write, before the same hash.
func (r Rules) ReserveUnknown(dir info.Store, name string, now time.Time) error {
	return updateTries(dir, name, func(t *info.Tries) error { return r.reserve(&t.Failures, &t.LastFailure, now) })
}

// RecordUnknown is RecordAttempt for a name that names no account.
func RecordUnknown(dir info.Store, name string, ok bool, now time.Time) error {
	return updateTries(dir, name, func(t *info.Tries) error { record(&t.Failures, &t.LastFailure, ok, now); return nil })
}

// errRead stops UnknownState's transaction, so that reading saves nothing.
var errRead = errors.New("read only")

// UnknownState is the state kept for a name that names no account.
func UnknownState(dir info.Store, name string) (State, error) {
	var s State
	err := updateTries(dir, name, func(t *info.Tries) error {
		s = State{Failures: t.Failures, Last: t.LastFailure}
		return errRead
	})
	if errors.Is(err, errRead) {
		err = nil
	}
	return s, err
}

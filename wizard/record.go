package wizard

import (
	"fmt"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// recordingStore is the store a method's setup saves into: every method
// saved through it is recorded in the audit log as it is saved, in the
// goroutine that saved it, so the flow notices each registration itself,
// whatever happens to the screen afterwards.
type recordingStore struct {
	info.Store
	allow func(info.Method) error
	saved func(info.Method) error
	// savedSet records a set of kind saved at once (ReplaceMethods).
	savedSet func(kind info.Kind) error
}

// AddMethod saves m, if the person may add it now (a password alone must
// not add a method to an account that has a second factor), and, if that
// worked, records it.
func (r *recordingStore) AddMethod(account string, m info.Method, secret []byte) error {
	if err := r.allow(m); err != nil {
		return err
	}
	if err := r.Store.AddMethod(account, m, secret); err != nil {
		return err
	}
	if err := r.saved(m); err != nil {
		// A method nobody can trace must not stay: take it back.
		if rerr := r.Store.RemoveMethod(account, m.ID); rerr != nil {
			return fmt.Errorf("%w; removing it again also failed: %w", err, rerr)
		}
		return err
	}
	return nil
}

// ReplaceMethods saves a set of methods in place of the account's of that
// kind (new recovery codes), if the person may add them now, and records
// the set as one, as it is stored: the old set stops working there and
// then, so the record (and the notice hung on it) must not wait for a
// Next that a wipe or a closed window never brings. If the set can't be
// recorded it is taken back (the old one is gone by then: the person has
// none, and may try again).
func (r *recordingStore) ReplaceMethods(account string, kind info.Kind, ms []info.Method) error {
	// Every method of ms is of kind (the store refuses others), and
	// whether one may be added depends on its kind alone.
	if err := r.allow(info.Method{Kind: kind}); err != nil {
		return err
	}
	if err := r.Store.ReplaceMethods(account, kind, ms); err != nil {
		return err
	}
	if len(ms) == 0 {
		return nil
	}
	if err := r.savedSet(kind); err != nil {
		if rerr := r.Store.ReplaceMethods(account, kind, nil); rerr != nil {
			return fmt.Errorf("%w; removing them again also failed: %w", err, rerr)
		}
		return err
	}
	return nil
}

// recorder returns the store a setup for account saves into, in session
// gen: a save that lands after that session ended (a kiosk wipe while it
// was under way) is kept and recorded, but proves nothing in the next
// session.
func (f *Flow) recorder(account string, gen uint64) info.Store {
	return &recordingStore{Store: f.cfg.Dir,
		allow: func(m info.Method) error { return f.mayChange(account, m.Kind) },
		saved: func(m info.Method) error {
			if err := f.auditSaved(account, m); err != nil {
				return err
			}
			f.registered(gen, m)
			return nil
		},
		savedSet: func(kind info.Kind) error {
			return f.auditOrRefuse("", info.ActionMethodAdded, account, string(kind))
		}}
}

// auditSaved records that account registered m: an app password by its
// name, any other method by its kind; ErrNotRecorded if it can't be
// (the caller takes the method back). Only the configuration is read, so
// it may run in any goroutine.
func (f *Flow) auditSaved(account string, m info.Method) error {
	if m.Kind == info.KindRecoveryCodes {
		return nil // a set, audited as one as it is stored (savedSet)
	}
	if m.Kind == info.KindAppPassword {
		return f.auditOrRefuse("", info.ActionAppPasswordCreated, account, m.Label)
	}
	return f.auditOrRefuse("", info.ActionMethodAdded, account, string(m.Kind))
}

package testkit

import (
	"sync"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// WorkStore counts the work a store is asked for, for tests that compare
// what two paths cost (a known and an unknown name) without timing them:
// reads of an account, its methods or its pass; writes that saved (a
// committed, synced transaction in the local store); and writes refused
// by their change (rolled back: nothing written).
type WorkStore struct {
	info.Store

	mu                      sync.Mutex
	reads, writes, refusals int
}

// Work is what was counted since the last Reset.
type Work struct{ Reads, Writes, Refusals int }

// Work returns the counts.
func (w *WorkStore) Work() Work {
	w.mu.Lock()
	defer w.mu.Unlock()
	return Work{w.reads, w.writes, w.refusals}
}

// Reset sets the counts to zero.
func (w *WorkStore) Reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reads, w.writes, w.refusals = 0, 0, 0
}

func (w *WorkStore) read() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reads++
}

func (w *WorkStore) wrote(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		w.writes++
	} else {
		w.refusals++
	}
}

// Account counts a read.
func (w *WorkStore) Account(name string) (info.Account, error) {
	w.read()
	return w.Store.Account(name)
}

// Methods counts a read.
func (w *WorkStore) Methods(account string) ([]info.Method, error) {
	w.read()
	return w.Store.Methods(account)
}

// GetPass counts a read.
func (w *WorkStore) GetPass(account string) (info.Pass, error) {
	w.read()
	return w.Store.GetPass(account)
}

// UpdateAccount counts a write or a refusal.
func (w *WorkStore) UpdateAccount(name string, change func(*info.Account) error) error {
	err := w.Store.UpdateAccount(name, change)
	w.wrote(err)
	return err
}

// UpdateTries counts a write or a refusal.
func (w *WorkStore) UpdateTries(name string, change func(*info.Counts) error) error {
	err := w.Store.UpdateTries(name, change)
	w.wrote(err)
	return err
}

// UpdateMethod counts a write or a refusal.
func (w *WorkStore) UpdateMethod(account, id string, change func(*info.Method) error) error {
	err := w.Store.UpdateMethod(account, id, change)
	w.wrote(err)
	return err
}

// UpdatePass counts a write or a refusal.
func (w *WorkStore) UpdatePass(account string, change func(*info.Pass) error) error {
	err := w.Store.UpdatePass(account, change)
	w.wrote(err)
	return err
}

// AppendAudit counts a write or a refusal.
func (w *WorkStore) AppendAudit(e info.AuditEntry) error {
	err := w.Store.AppendAudit(e)
	w.wrote(err)
	return err
}

package storage

import (
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// ReplaceMethods replaces the account's methods of kind with ms in one
// transaction of the data file: a crash leaves the old set or the new
// one, since bbolt commits a transaction whole or not at all. Neither
// set may have secrets, so the keyring is not involved (and no journal
// entry is needed).
func (l *Local) ReplaceMethods(account string, kind info.Kind, ms []info.Method) error {
	if err := info.CheckReplacement(kind, ms); err != nil {
		return err
	}
	for _, m := range ms {
		if err := checkMethodID(m.ID); err != nil {
			return fmt.Errorf("replace methods: %w", err)
		}
	}
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	key := accountKey(account)
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	err = l.db.Update(func(tx *bolt.Tx) error {
		if l.failCommit != nil {
			if err := l.failCommit("replace"); err != nil {
				return err
			}
		}
		b, err := accountMethods(tx, key, account)
		if err != nil {
			return err
		}
		var old []string
		err = b.ForEach(func(k, _ []byte) error {
			var rec methodRecord
			if _, err := getJSON(b, string(k), &rec); err != nil {
				return err
			}
			if rec.Kind != kind {
				return nil
			}
			if rec.HasSecret {
				return fmt.Errorf("method %q has a secret; only methods without one can be replaced as a set", rec.ID)
			}
			old = append(old, rec.ID)
			return nil
		})
		if err != nil {
			return err
		}
		for _, id := range old {
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
		j := tx.Bucket(bucketJournal)
		for _, m := range ms {
			// An id in use by another kind, or by a method whose keyring
			// write is still journalled, is taken.
			if b.Get([]byte(m.ID)) != nil || j.Get([]byte(secretUser(key, m.ID))) != nil {
				return fmt.Errorf("method %q: %w", m.ID, info.ErrMethodExists)
			}
			if m.Created.IsZero() {
				m.Created = now
			}
			if err := putJSON(b, m.ID, newMethodRecord(m)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("replace methods: %w", err)
	}
	return nil
}

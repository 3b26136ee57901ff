package storage

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// Methods lists an account's registered methods, sorted by Created and
// then ID. A method whose keyring write has not finished is never listed.
func (l *Local) Methods(account string) ([]info.Method, error) {

	release, err := l.hold()
	if err != nil {
		return nil, err
	}
	defer release()
	key := accountKey(account)
	var out []info.Method
	err = l.db.View(func(tx *bolt.Tx) error {
		b, err := accountMethods(tx, key, account)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, _ []byte) error {
			var rec methodRecord
			if _, err := getJSON(b, string(k), &rec); err != nil {
				return err
			}
			if rec.Removing {
				return nil
			}
			m, err := rec.method()
			if err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list methods: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// AddMethod saves m for the account, with secret in the keyring if secret
// is not nil (m.HasSecret is set to match; a zero m.Created is set to now).
// It returns ErrNoAccount, ErrMethodExists or a keyring error, and then
// nothing is saved anywhere.
//
// The steps are: a journal entry, the keyring item, then the record
// together with the journal entry's removal in one transaction. If the
// record cannot be saved the keyring item is deleted again; if the process
// dies between steps, the next OpenLocal deletes the keyring item. If the
// keyring does not answer in time the journal entry stays, so that an item
// the late call may still write is deleted later.
func (l *Local) AddMethod(account string, m info.Method, secret []byte) error {

	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	if err := l.addMethod(account, m, secret); err != nil {
		return fmt.Errorf("add method: %w", err)
	}
	return nil
}

func (l *Local) addMethod(account string, m info.Method, secret []byte) error {
	if err := checkMethodID(m.ID); err != nil {
		return err
	}
	if m.HasSecret && secret == nil {
		return fmt.Errorf("method %q has HasSecret set but no secret was given", m.ID)
	}
	m.HasSecret = secret != nil
	if m.Created.IsZero() {
		m.Created = time.Now()
	}
	key := accountKey(account)
	rec := newMethodRecord(m)
	in := intent{Account: key, ID: m.ID, Op: opAdd}

	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.settlePending(key, m.ID); err != nil {
		return err
	}

	// Step 1: the journal entry (or, with no secret, the record itself).
	err := l.db.Update(func(tx *bolt.Tx) error {
		b, err := accountMethods(tx, key, account)
		if err != nil {
			return err
		}
		if b.Get([]byte(m.ID)) != nil {
			return fmt.Errorf("method %q: %w", m.ID, info.ErrMethodExists)
		}
		if !m.HasSecret {
			return putJSON(b, m.ID, rec)
		}
		return putIntent(tx, in)
	})
	if err != nil || !m.HasSecret {
		return err
	}
	crashPoint("add:after-intent")

	// Step 2: the keyring item.
	if err := setSecret(l.secrets, l.service, in.user(), secret, methodLabel(account, m)); err != nil {
		if !errors.Is(err, ErrKeyringTimeout) {
			// Nothing was written: forget the entry. If even that
			// fails, the next open rolls back an add that never was.
			_ = l.db.Update(func(tx *bolt.Tx) error { return deleteIntent(tx, in) })
		}
		return err
	}
	crashPoint("add:after-keyring")

	// Step 3: the record, and the journal entry gone, in one transaction.
	err = l.db.Update(func(tx *bolt.Tx) error {
		if l.failCommit != nil {
			if err := l.failCommit("add"); err != nil {
				return err
			}
		}
		b, err := accountMethods(tx, key, account)
		if err != nil {
			return err
		}
		if err := putJSON(b, m.ID, rec); err != nil {
			return err
		}
		return deleteIntent(tx, in)
	})
	if err != nil {
		// Roll back. Should dropping the journal entry fail as well, the
		// next open finds the secret already gone, which is harmless.
		if kerr := l.settleKeyring(in); kerr != nil {
			return fmt.Errorf("save method %q: %w (its keyring item could not be deleted yet and will be deleted the next time the store is opened)", m.ID, err)
		}
		_ = l.settleRecord(in)
		return fmt.Errorf("save method %q: %w", m.ID, err)
	}
	crashPoint("add:after-record")
	return nil
}

// UpdateMethod calls change on the method's record inside one transaction
// and saves the result. If change returns an error, nothing is saved and
// that error is returned as it is. change may not alter ID or HasSecret.
func (l *Local) UpdateMethod(account, id string, change func(*info.Method) error) error {
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	key := accountKey(account)
	var changeErr error
	err = l.db.Update(func(tx *bolt.Tx) error {
		b, err := accountMethods(tx, key, account)
		if err != nil {
			return err
		}
		rec, err := liveMethod(b, id)
		if err != nil {
			return err
		}
		m, err := rec.method()
		if err != nil {
			return err
		}
		if err := change(&m); err != nil {
			changeErr = err
			return err
		}
		if m.ID != rec.ID || m.HasSecret != rec.HasSecret {
			return fmt.Errorf("method %q: the id and whether it has a secret cannot change", id)
		}
		return putJSON(b, id, newMethodRecord(m))
	})
	if changeErr != nil {
		return changeErr
	}
	if err != nil {
		return fmt.Errorf("update method: %w", err)
	}
	return nil
}

// Secret reads a method's secret from the keyring. It returns ErrNoMethod
// for an unknown method and ErrSecretNotFound for one without a secret.
func (l *Local) Secret(account, id string) ([]byte, error) {

	release, err := l.hold()
	if err != nil {
		return nil, err
	}
	defer release()
	key := accountKey(account)
	var rec methodRecord
	err = l.db.View(func(tx *bolt.Tx) error {
		b, err := accountMethods(tx, key, account)
		if err != nil {
			return err
		}
		rec, err = liveMethod(b, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read secret: %w", err)
	}
	if !rec.HasSecret {
		return nil, fmt.Errorf("read secret: method %q has none: %w", id, info.ErrSecretNotFound)
	}
	s, err := l.secrets.Get(l.service, secretUser(key, id))
	if err != nil {
		return nil, fmt.Errorf("read secret of method %q: %w", id, err)
	}
	return s, nil
}

// Bound shares one time limit among the keyring calls of an action (see
// info.Store.Bound), where the keyring has limits (OSKeyring.Bound).
func (l *Local) Bound(d time.Duration) (end func()) {
	if b, ok := l.secrets.(interface {
		Bound(time.Duration) func()
	}); ok {
		return b.Bound(d)
	}
	return func() {}
}

// CheckSecrets reports whether the keyring can be used right now, by
// looking up an item that never exists. When it can, writes that an
// earlier keyring failure left half done are settled as well (best
// effort; what cannot be settled waits for the next try).
func (l *Local) CheckSecrets() error {

	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	if err := CheckSecretStore(l.secrets, l.service); err != nil {
		return fmt.Errorf("check keyring: %w", err)
	}
	_ = l.recoverJournal()
	return nil
}

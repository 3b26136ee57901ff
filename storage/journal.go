package storage

import (
	"errors"
	"fmt"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// crashPoint is called between the steps of every write that touches both
// the data file and the keyring, with names such as "add:after-intent".
// It does nothing; the crash tests make it end the process.
var crashPoint = func(string) {}

// intentOp says what a journalled keyring write was doing.
type intentOp string

const (
	// opAdd: the secret may be in the keyring, the record is not saved.
	// Settling rolls it back: the secret is deleted.
	opAdd intentOp = "add"
	// opRemove: the record is marked Removing and the secret may be gone.
	// Settling finishes it: the secret and the record are deleted.
	opRemove intentOp = "remove"
)

// intent is a journal entry written before a keyring write and deleted in
// the same transaction that makes the record match the keyring. Its key in
// the journal bucket is the keyring user name.
type intent struct {
	Account string   `json:"account"` // account key (lower-cased name)
	ID      string   `json:"id"`
	Op      intentOp `json:"op"`
}

func (in intent) user() string { return secretUser(in.Account, in.ID) }

func putIntent(tx *bolt.Tx, in intent) error {
	return putJSON(tx.Bucket(bucketJournal), in.user(), in)
}

func deleteIntent(tx *bolt.Tx, in intent) error {
	return tx.Bucket(bucketJournal).Delete([]byte(in.user()))
}

// intents returns every pending journal entry.
func (l *Local) intents() ([]intent, error) {
	var out []intent
	err := l.db.View(func(tx *bolt.Tx) error {
		j := tx.Bucket(bucketJournal)
		return j.ForEach(func(k, _ []byte) error {
			var in intent
			if _, err := getJSON(j, string(k), &in); err != nil {
				return err
			}
			out = append(out, in)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	return out, nil
}

// pendingIntent returns the journal entry for a method, if there is one.
func (l *Local) pendingIntent(acctKey, id string) (intent, bool, error) {
	var in intent
	var ok bool
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		ok, err = getJSON(tx.Bucket(bucketJournal), secretUser(acctKey, id), &in)
		return err
	})
	if err != nil {
		return in, false, fmt.Errorf("read journal: %w", err)
	}
	return in, ok, nil
}

// settleKeyring does the keyring half of settling an intent: either way,
// the secret must go. A secret that is already gone is fine.
func (l *Local) settleKeyring(in intent) error {
	err := l.secrets.Delete(l.service, in.user())
	if err != nil && !errors.Is(err, info.ErrSecretNotFound) {
		return err
	}
	crashPoint("recover:after-keyring")
	return nil
}

// settleRecord does the file half of settling an intent once the secret
// is gone: the intent is dropped and, for a removal, the record too.
func (l *Local) settleRecord(in intent) error {
	err := l.db.Update(func(tx *bolt.Tx) error {
		if in.Op == opRemove {
			if b := tx.Bucket(bucketMethods).Bucket([]byte(in.Account)); b != nil {
				if err := b.Delete([]byte(in.ID)); err != nil {
					return err
				}
			}
		}
		return deleteIntent(tx, in)
	})
	if err != nil {
		return fmt.Errorf("settle journal entry: %w", err)
	}
	return nil
}

// settle rolls back a pending add or finishes a pending removal. It needs
// l.mu held.
func (l *Local) settle(in intent) error {
	if err := l.settleKeyring(in); err != nil {
		return err
	}
	return l.settleRecord(in)
}

// settlePending settles the journal entry of one method, if it has one.
// It needs l.mu held.
func (l *Local) settlePending(acctKey, id string) error {
	in, ok, err := l.pendingIntent(acctKey, id)
	if err != nil || !ok {
		return err
	}
	if err := l.settle(in); err != nil {
		return fmt.Errorf("finish an earlier interrupted change: %w", err)
	}
	return nil
}

// recoverJournal settles every pending journal entry. When the keyring
// cannot be used it stops, keeping the entries for a later try, and
// returns nil: only a failure of the data file is an error.
func (l *Local) recoverJournal() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.Bound(0)() // the whole repair waits one keyring time limit at most
	intents, err := l.intents()
	if err != nil {
		return err
	}
	for _, in := range intents {
		if err := l.settleKeyring(in); err != nil {
			// The keyring would most likely fail the same way for the
			// rest; each try may take the whole keyring time limit.
			return nil
		}
		if err := l.settleRecord(in); err != nil {
			return err
		}
	}
	return nil
}

package storage

import (
	"errors"
	"fmt"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// RemoveMethod removes one method and its keyring secret, or returns
// ErrNoAccount or ErrNoMethod.
//
// The steps are: the record marked as being removed together with a
// journal entry, the keyring item deleted, then the record and the entry
// deleted in one transaction. A removal interrupted by a crash is
// finished by the next OpenLocal. If the keyring refuses, the method is
// kept as it was; if it does not answer in time, the method is hidden
// and its removal is finished once the keyring answers.
func (l *Local) RemoveMethod(account, id string) error {

	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	if err := l.removeMethod(account, id); err != nil {
		return fmt.Errorf("remove method: %w", err)
	}
	return nil
}

func (l *Local) removeMethod(account, id string) error {
	key := accountKey(account)
	in := intent{Account: key, ID: id, Op: opRemove}

	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.settlePending(key, id); err != nil {
		return err
	}

	// Step 1: mark the record and journal the removal (or, with no
	// secret, just delete the record).
	var hasSecret bool
	err := l.db.Update(func(tx *bolt.Tx) error {
		b, err := accountMethods(tx, key, account)
		if err != nil {
			return err
		}
		rec, err := liveMethod(b, id)
		if err != nil {
			return err
		}
		hasSecret = rec.HasSecret
		if !hasSecret {
			return b.Delete([]byte(id))
		}
		rec.Removing = true
		if err := putJSON(b, id, rec); err != nil {
			return err
		}
		return putIntent(tx, in)
	})
	if err != nil || !hasSecret {
		return err
	}
	crashPoint("remove:after-intent")

	// Step 2: the keyring item.
	if err := l.deleteSecret(in); err != nil {
		return err
	}
	crashPoint("remove:after-keyring")

	// Step 3: the record and the journal entry.
	if err := l.finishRemovals([]intent{in}); err != nil {
		return fmt.Errorf("method %q: %w (the removal will be finished the next time the store is opened)", id, err)
	}
	return nil
}

// RemoveAllMethods removes every method of an account and their secrets,
// returning how many were removed. It works like RemoveMethod for each
// method with a secret; after the first keyring failure the remaining
// secrets are not tried, and the methods they belong to are kept. Methods
// without secrets are always removed.
func (l *Local) RemoveAllMethods(account string) (int, error) {

	release, err := l.hold()
	if err != nil {
		return 0, err
	}
	defer release()
	key := accountKey(account)
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.Bound(0)() // one keyring time limit for all the secrets

	// Step 1: delete what has no secret; mark and journal the rest.
	// Methods already being removed are finished too.
	var plain int
	var pending []intent
	err = l.db.Update(func(tx *bolt.Tx) error {
		b, err := accountMethods(tx, key, account)
		if err != nil {
			return err
		}
		var recs []methodRecord
		err = b.ForEach(func(k, _ []byte) error {
			var rec methodRecord
			_, err := getJSON(b, string(k), &rec)
			recs = append(recs, rec)
			return err
		})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if !rec.HasSecret {
				plain++
				if err := b.Delete([]byte(rec.ID)); err != nil {
					return err
				}
				continue
			}
			in := intent{Account: key, ID: rec.ID, Op: opRemove}
			pending = append(pending, in)
			rec.Removing = true
			if err := putJSON(b, rec.ID, rec); err != nil {
				return err
			}
			if err := putIntent(tx, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("remove all methods: %w", err)
	}
	crashPoint("removeall:after-intent")

	// Step 2: the keyring items, until the keyring fails.
	var done, untried []intent
	var keyErr error
	for i, in := range pending {
		if keyErr = l.deleteSecret(in); keyErr != nil {
			untried = pending[i+1:]
			break
		}
		done = append(done, in)
		crashPoint("removeall:after-keyring")
	}
	if err := l.unmark(untried); err != nil && keyErr == nil {
		keyErr = err
	}

	// Step 3: the records and journal entries of what is gone.
	if err := l.finishRemovals(done); err != nil {
		return plain, fmt.Errorf("remove all methods: %w (the removal will be finished the next time the store is opened)", err)
	}
	if keyErr != nil {
		return plain + len(done), fmt.Errorf("remove all methods: %d of %d removed: %w", plain+len(done), plain+len(pending), keyErr)
	}
	return plain + len(done), nil
}

// deleteSecret is step 2 of a removal: it deletes the keyring item. If the
// keyring refuses, the removal is undone (the mark and journal entry go)
// and the keyring's error returned; if it does not answer in time, both
// stay, to be finished later. A missing item is fine.
func (l *Local) deleteSecret(in intent) error {
	err := l.secrets.Delete(l.service, in.user())
	if err == nil || errors.Is(err, info.ErrSecretNotFound) {
		return nil
	}
	if errors.Is(err, ErrKeyringTimeout) {
		return fmt.Errorf("method %q: %w (it is hidden and will be removed once the keyring answers)", in.ID, err)
	}
	// If unmarking fails too, the journal entry stays and the next open
	// finishes the removal, which is what was asked for.
	_ = l.unmark([]intent{in})
	return fmt.Errorf("method %q: %w", in.ID, err)
}

// unmark undoes step 1 of removals whose secret was not deleted.
func (l *Local) unmark(ins []intent) error {
	if len(ins) == 0 {
		return nil
	}
	err := l.db.Update(func(tx *bolt.Tx) error {
		for _, in := range ins {
			b := tx.Bucket(bucketMethods).Bucket([]byte(in.Account))
			var rec methodRecord
			ok, err := getJSON(b, in.ID, &rec)
			if err != nil {
				return err
			}
			if ok {
				rec.Removing = false
				if err := putJSON(b, in.ID, rec); err != nil {
					return err
				}
			}
			if err := deleteIntent(tx, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("undo removal: %w", err)
	}
	return nil
}

// finishRemovals is step 3 of removals whose secret is gone: it deletes
// their records and journal entries in one transaction.
func (l *Local) finishRemovals(ins []intent) error {
	if len(ins) == 0 {
		return nil
	}
	err := l.db.Update(func(tx *bolt.Tx) error {
		if l.failCommit != nil {
			if err := l.failCommit("remove"); err != nil {
				return err
			}
		}
		for _, in := range ins {
			if b := tx.Bucket(bucketMethods).Bucket([]byte(in.Account)); b != nil {
				if err := b.Delete([]byte(in.ID)); err != nil {
					return err
				}
			}
			if err := deleteIntent(tx, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete records: %w", err)
	}
	return nil
}

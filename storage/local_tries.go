package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// bucketTries keeps the failure counts of names that name no account:
// keyTriesKey holds the store's key for info.TrySlot, and each other key
// is a slot's two bytes, whose value is triesRecord's encoding. No name
// is ever written there.
var (
	bucketTries = []byte("tries")
	keyTriesKey = []byte("key")
)

// UpdateTries calls change on the Tries kept for name, a name that names
// no account, inside one write transaction, the kind UpdateAccount makes,
// so that it costs the same: one synced commit of the data file. The
// Tries are kept under info.TrySlot of name with a key the store makes
// once and keeps in the same bucket; at most info.MaxTrySlots slots are
// kept, the one failed at longest ago forgotten first. If change returns
// an error, nothing is saved and that error is returned as it is.
func (l *Local) UpdateTries(name string, change func(*info.Tries) error) error {
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	var changeErr error
	err = l.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketTries)
		if err != nil {
			return err
		}
		key := b.Get(keyTriesKey)
		if key == nil {
			key = info.NewTryKey()
			if err := b.Put(keyTriesKey, key); err != nil {
				return err
			}
		}
		var slot [2]byte
		binary.BigEndian.PutUint16(slot[:], info.TrySlot(key, name))
		var t info.Tries
		old := b.Get(slot[:])
		if old != nil {
			if t, err = decodeTries(old); err != nil {
				return fmt.Errorf("slot %x: %w", slot, err)
			}
		}
		if err := change(&t); err != nil {
			changeErr = err
			return err
		}
		if old == nil {
			if err := forgetOldestTries(b); err != nil {
				return err
			}
		}
		v, err := encodeTries(t)
		if err != nil {
			return err
		}
		return b.Put(slot[:], v)
	})
	if changeErr != nil {
		return changeErr
	}
	if err != nil {
		return fmt.Errorf("update tries: %w", err)
	}
	return nil
}

// forgetOldestTries deletes the slot failed at longest ago if b keeps
// info.MaxTrySlots already, so that one more fits.
func forgetOldestTries(b *bolt.Bucket) error {
	n := 0
	var oldest []byte
	var when time.Time
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 2 {
			continue // the key
		}
		n++
		t, err := decodeTries(v)
		if err != nil {
			return fmt.Errorf("slot %x: %w", k, err)
		}
		if oldest == nil || t.LastFailure.Before(when) {
			oldest, when = append([]byte(nil), k...), t.LastFailure
		}
	}
	if n < info.MaxTrySlots {
		return nil
	}
	return b.Delete(oldest)
}

// encodeTries is 8 bytes of failures and the time's binary form: fixed
// and small, so that finding the oldest of a full table is quick.
func encodeTries(t info.Tries) ([]byte, error) {
	at, err := t.LastFailure.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("encode tries: %w", err)
	}
	return append(binary.BigEndian.AppendUint64(nil, uint64(max(t.Failures, 0))), at...), nil
}

func decodeTries(v []byte) (info.Tries, error) {
	if len(v) < 8 {
		return info.Tries{}, errors.New("damaged tries record")
	}
	t := info.Tries{Failures: int(min(binary.BigEndian.Uint64(v), 1<<31))}
	if err := t.LastFailure.UnmarshalBinary(v[8:]); err != nil {
		return info.Tries{}, fmt.Errorf("damaged tries record: %w", err)
	}
	return t, nil
}

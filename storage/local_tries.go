package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// bucketTries keeps the failure counts of names that name no account:
// keyTriesKey holds the store's key for info.TrySlot, and each other key
// is a slot's two bytes, whose value is encodeTries'. No name is ever
// written there.
var (
	bucketTries = []byte("tries")
	keyTriesKey = []byte("key")
)

// UpdateTries calls change on the Counts kept for name, a name that names
// no account, inside one write transaction, the kind UpdateAccount makes,
// so that it costs the same: one synced commit of the data file. The
// Counts are kept under info.TrySlot of name with a key the store makes
// once and keeps in the same bucket, in the JSON an account's counts are
// kept in (countsRecord); at most info.MaxTrySlots unlocked slots are
// kept, the one failed at longest ago forgotten first (info.ForgetFirst). A slot in the layout of
// earlier versions (the password's count only, its factors' other counts
// in slots of their own) is read, and those other slots carried over
// into it (carryOver). If change returns an error, nothing is saved and
// that error is returned as it is.
func (l *Local) UpdateTries(name string, change func(*info.Counts) error) error {
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
		slot := slotKey(key, name)
		var c info.Counts
		old := b.Get(slot)
		if old != nil {
			if c, err = decodeTries(old); err != nil {
				return fmt.Errorf("slot %x: %w", slot, err)
			}
		}
		if old == nil || !countsLayout(old) {
			if err := carryOver(b, key, name, &c); err != nil {
				return err
			}
		}
		if err := change(&c); err != nil {
			changeErr = err
			return err
		}
		if old == nil {
			if err := forgetOldestTries(b); err != nil {
				return err
			}
		}
		v, err := encodeTries(c)
		if err != nil {
			return err
		}
		return b.Put(slot, v)
	})
	if changeErr != nil {
		return changeErr
	}
	if err != nil {
		return fmt.Errorf("update tries: %w", err)
	}
	return nil
}

// slotKey is the bucket key of name's slot: info.TrySlot's two bytes.
func slotKey(key []byte, name string) []byte {
	return binary.BigEndian.AppendUint16(nil, info.TrySlot(key, name))
}

// carryOver adds to c the second factor's and app passwords' counts of
// name that earlier versions kept in slots of their own
// (info.OldFactorSlotNames), and deletes those slots, in the
// transaction that saves c. A slot there in this version's layout is
// another name's, and left alone.
func carryOver(b *bolt.Bucket, key []byte, name string, c *info.Counts) error {
	second, app := info.OldFactorSlotNames(name)
	for _, o := range []struct {
		name string
		to   *info.Tries
	}{{second, &c.SecondFactorTries}, {app, &c.AppPasswordTries}} {
		if info.TrySlot(key, o.name) == info.TrySlot(key, name) {
			continue // the name's own slot
		}
		k := slotKey(key, o.name)
		v := b.Get(k)
		if v == nil || countsLayout(v) {
			continue
		}
		t, err := decodeTries(v)
		if err != nil {
			return fmt.Errorf("slot %x: %w", k, err)
		}
		o.to.Add(info.Tries{Failures: t.Failures, LastFailure: t.LastFailure})
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// forgetOldestTries deletes the unlocked slot failed at longest ago if b
// keeps info.MaxTrySlots already, so that one more fits
// (info.ForgetFirst: a locked slot is never forgotten, and locked slots
// are bounded by the slot key's 16 bits).
func forgetOldestTries(b *bolt.Bucket) error {
	n := 0
	slots := map[string]info.Counts{}
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
		slots[string(k)] = t
	}
	if n < info.MaxTrySlots {
		return nil
	}
	if oldest, ok := info.ForgetFirst(maps.All(slots)); ok {
		return b.Delete([]byte(oldest))
	}
	return nil
}

// encodeTries is c as an account's counts are stored (countsRecord's
// JSON).
func encodeTries(c info.Counts) ([]byte, error) {
	v, err := json.Marshal(newCountsRecord(c))
	if err != nil {
		return nil, fmt.Errorf("encode tries: %w", err)
	}
	return v, nil
}

// countsLayout reports whether a slot's value is in this version's
// layout (encodeTries: a JSON object) rather than earlier versions' (8
// bytes of one count, whose first is 0, and a time's binary form).
func countsLayout(v []byte) bool { return len(v) > 0 && v[0] == '{' }

// decodeTries reads a slot's value in either layout; an earlier version's
// one count is the password's (the count of a slot carryOver reads is
// that of its factor).
func decodeTries(v []byte) (info.Counts, error) {
	if countsLayout(v) {
		var r countsRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return info.Counts{}, fmt.Errorf("damaged tries record: %w", err)
		}
		return r.counts(), nil
	}
	if len(v) < 8 {
		return info.Counts{}, errors.New("damaged tries record")
	}
	c := info.Counts{Failures: int(min(binary.BigEndian.Uint64(v), 1<<31))}
	if err := c.LastFailure.UnmarshalBinary(v[8:]); err != nil {
		return info.Counts{}, fmt.Errorf("damaged tries record: %w", err)
	}
	return c, nil
}

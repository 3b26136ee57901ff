package storage

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// A full table forgets the unlocked slot failed at longest ago, never a
// locked one however old (info.ForgetFirst): a name's lock outlasts a
// flood of other names, as a person's does.
func TestLocal_LockedTrySlotIsNeverForgotten(t *testing.T) {
	l, _ := openTest(t, NewMemoryKeyring())
	key := []byte("a fixed key, 32 bytes long......")
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	// Slot 7 locked and failed at longest ago, slot 8 the oldest unlocked.
	table := map[string][]byte{string(keyTriesKey): key}
	for i := range info.MaxTrySlots {
		c := info.Counts{Failures: 1, LastFailure: t0.Add(time.Duration(i+2) * time.Minute)}
		switch i {
		case 7:
			c = info.Counts{Failures: info.MaxFailures, LastFailure: t0}
		case 8:
			c.LastFailure = t0.Add(time.Minute)
		}
		v, err := encodeTries(c)
		if err != nil {
			t.Fatal(err)
		}
		table[string(binary.BigEndian.AppendUint16(nil, uint16(i)))] = v
	}
	putTries(t, l, table)
	name := ""
	for i := 0; name == ""; i++ {
		if n := fmt.Sprintf("Canary-Pw-%d", i); info.TrySlot(key, n) >= info.MaxTrySlots {
			name = n
		}
	}
	later := t0.Add(time.Hour)
	if err := l.UpdateTries(name, func(tr *info.Counts) error { tr.Failures++; tr.LastFailure = later; return nil }); err != nil {
		t.Fatal(err)
	}
	release, err := l.hold()
	if err != nil {
		t.Fatal(err)
	}
	slots, seven, eight := 0, false, false
	err = l.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTries).ForEach(func(k, _ []byte) error {
			if len(k) == 2 {
				slots++
				seven = seven || binary.BigEndian.Uint16(k) == 7
				eight = eight || binary.BigEndian.Uint16(k) == 8
			}
			return nil
		})
	})
	release()
	if err != nil {
		t.Fatal(err)
	}
	if slots != info.MaxTrySlots || !seven || eight {
		t.Errorf("%d slots kept (want %d), the locked kept: %v (want true), the oldest unlocked kept: %v (want false)", slots, info.MaxTrySlots, seven, eight)
	}
}

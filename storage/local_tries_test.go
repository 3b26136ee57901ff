package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// txID is the id of the data file's latest committed write transaction:
// each commit (each synced write) adds one.
func txID(t *testing.T, l *Local) int {
	t.Helper()
	release, err := l.hold()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	id := 0
	if err := l.db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		t.Fatal(err)
	}
	return id
}

// UpdateTries costs what UpdateAccount costs: one committed (synced)
// write transaction of the data file when it saves, none when its change
// refuses, so that a try at a name that names nobody costs what a try at
// an account does.
func TestLocal_UpdateTriesCommitsAsUpdateAccount(t *testing.T) {
	l, _ := openTest(t, NewMemoryKeyring())
	if err := l.CreateAccount(info.Account{Name: "alice@contoso.example"}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	fail := func(a *info.Account) error { a.Failures++; a.LastFailure = now; return nil }
	failTries := func(tr *info.Counts) error { tr.Failures++; tr.LastFailure = now; return nil }
	refused := errors.New("wait")
	commits := func(op func() error) int {
		t.Helper()
		before := txID(t, l)
		_ = op()
		return txID(t, l) - before
	}
	for i := range 3 {
		k := commits(func() error { return l.UpdateAccount("alice@contoso.example", fail) })
		u := commits(func() error { return l.UpdateTries("nobody@contoso.example", failTries) })
		if k != 1 || u != 1 {
			t.Errorf("failure %d: UpdateAccount committed %d times, UpdateTries %d, want 1 each", i+1, k, u)
		}
	}
	k := commits(func() error {
		return l.UpdateAccount("alice@contoso.example", func(*info.Account) error { return refused })
	})
	u := commits(func() error {
		return l.UpdateTries("nobody@contoso.example", func(*info.Counts) error { return refused })
	})
	if k != 0 || u != 0 {
		t.Errorf("refused: UpdateAccount committed %d times, UpdateTries %d, want 0 each", k, u)
	}
}

// The data file keeps at most info.MaxTrySlots slots, forgetting the one
// failed at longest ago, and never the name.
func TestLocal_TriesBoundedWithoutNames(t *testing.T) {
	l, path := openTest(t, NewMemoryKeyring())
	key := []byte("a fixed key, 32 bytes long......")
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	// A full table: slots 0..MaxTrySlots-1, slot 7 failed at longest ago.
	table := map[string][]byte{string(keyTriesKey): key}
	for i := range info.MaxTrySlots {
		when := t0.Add(time.Duration(i+1) * time.Minute)
		if i == 7 {
			when = t0
		}
		v, err := encodeTries(info.Counts{Failures: 1, LastFailure: when})
		if err != nil {
			t.Fatal(err)
		}
		table[string(binary.BigEndian.AppendUint16(nil, uint16(i)))] = v
	}
	putTries(t, l, table)
	// A name whose slot is not in the table yet.
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
	slots, seven := 0, false
	err = l.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTries).ForEach(func(k, _ []byte) error {
			if len(k) == 2 {
				slots++
				seven = seven || binary.BigEndian.Uint16(k) == 7
			}
			return nil
		})
	})
	release()
	if err != nil {
		t.Fatal(err)
	}
	if slots != info.MaxTrySlots || seven {
		t.Errorf("%d slots kept (want %d), the oldest kept: %v", slots, info.MaxTrySlots, seven)
	}
	data, err := os.ReadFile(filepath.Join(path, DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(name))) {
		t.Error("the data file holds the name")
	}
}

// A data file written by the version before (a name's password count in
// its slot, its second factor's and app passwords' in slots of their own,
// each 8 bytes of count and a time) keeps every failure: the name's old
// counts are carried into its one slot, and the old slots are deleted.
func TestLocal_OldTrySlotsAreCarriedOver(t *testing.T) {
	l, _ := openTest(t, NewMemoryKeyring())
	key := []byte("a fixed key, 32 bytes long......")
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	const name = "Nobody@Contoso.example"
	second, app := info.OldFactorSlotNames(name)
	old := func(n int, at time.Time) []byte {
		v, err := at.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return append(binary.BigEndian.AppendUint64(nil, uint64(n)), v...)
	}
	putTries(t, l, map[string][]byte{
		string(keyTriesKey):          key,
		string(slotKey(key, name)):   old(2, t0),
		string(slotKey(key, second)): old(30, t0.Add(time.Minute)),
		string(slotKey(key, app)):    old(67, t0.Add(2*time.Minute)),
	})
	var got info.Counts
	if err := l.UpdateTries(name, func(c *info.Counts) error { got = *c; c.Failures++; return nil }); err != nil {
		t.Fatal(err)
	}
	want := info.Counts{Failures: 2, LastFailure: t0,
		SecondFactorTries: info.Tries{Failures: 30, LastFailure: t0.Add(time.Minute)},
		AppPasswordTries:  info.Tries{Failures: 67, LastFailure: t0.Add(2 * time.Minute)}}
	if got != want {
		t.Errorf("read %+v, want %+v", got, want)
	}
	if err := l.UpdateTries(name, func(c *info.Counts) error { got = *c; return nil }); err != nil {
		t.Fatal(err)
	}
	want.Failures++
	if got != want {
		t.Errorf("after one more failure: %+v, want %+v", got, want)
	}
	release, err := l.hold()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	err = l.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTries)
		for _, n := range []string{second, app} {
			if v := b.Get(slotKey(key, n)); v != nil {
				t.Errorf("the old slot of %q is still there: %x", n, v)
			}
		}
		if v := b.Get(slotKey(key, name)); !countsLayout(v) {
			t.Errorf("the name's slot is not in this version's layout: %x", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// putTries writes kv into the tries bucket as they are: a data file's
// slots as a test wants them.
func putTries(t *testing.T, l *Local, kv map[string][]byte) {
	t.Helper()
	release, err := l.hold()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	err = l.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketTries)
		if err != nil {
			return err
		}
		for k, v := range kv {
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

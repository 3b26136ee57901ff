package info

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"iter"
	"maps"
	"sync"
	"time"
)

// Tries is one failure count: one of an account's Counts (or of the
// Counts kept for a name that names no account), or of anything else
// counted per name (a TriesTable).
type Tries struct {
	// Failures counts consecutive failures.
	Failures int
	// LastFailure is when the latest failure happened.
	LastFailure time.Time
}

// Add counts o's failures in t too, the later of the two latest
// failures t's latest: how a count an earlier version kept apart is
// carried over into the one kept now.
func (t *Tries) Add(o Tries) {
	t.Failures += o.Failures
	if o.LastFailure.After(t.LastFailure) {
		t.LastFailure = o.LastFailure
	}
}

// MaxTrySlots bounds how many unlocked slots a TriesTable (or a store's
// table of Tries) keeps; past it, the unlocked slot failed at longest ago
// is forgotten (ForgetFirst). Locked slots are never forgotten, so there
// may be more, but never more than the 16-bit slot key allows (65,536).
// It also bounds how often two names share a slot: a name never typed lands
// in a slot in use at most 1,024 times in 65,536 (1.6%), and then starts
// from that slot's failures, as an account someone else failed at does.
const MaxTrySlots = 1024

// TrySlot is where name's Tries are kept: 16 bits of a keyed hash (HMAC
// SHA-256 with key) of the name as accounts compare it (lower case,
// without surrounding spaces). People type passwords into the account
// field, so the name itself is never kept: any string shares its slot
// with one in 65,536 others, so the slot can't confirm what was typed,
// even to someone who also holds the key.
func TrySlot(key []byte, name string) uint16 {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(AccountKey(name)))
	return binary.BigEndian.Uint16(m.Sum(nil))
}

// OldFactorSlotNames are what the second factor's and app passwords'
// counts of name were kept under, each in a slot of its own, before a
// name's one slot kept all three Counts: the name as accounts compare it
// after "\x00F\x00", F being 1 for the second factor and 2 for app
// passwords. A store that finds a name's slot in the old layout (the
// password's count only) carries those two counts over, so that an
// upgrade forgets no failure.
func OldFactorSlotNames(name string) (secondFactor, appPassword string) {
	n := AccountKey(name)
	return "\x001\x00" + n, "\x002\x00" + n
}

// NewTryKey makes a key for TrySlot.
func NewTryKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never returns an error
	return k
}

// Latest is when t's latest failure happened (SlotTable forgets the slot
// with the earliest first).
func (t Tries) Latest() time.Time { return t.LastFailure }

// Locked is false: a count of asks (TriesTable) waits, it never locks.
func (t Tries) Locked() bool { return false }

// Slot is what ForgetFirst needs to know of a kept count.
type Slot interface {
	// Latest is when the slot's latest failure happened.
	Latest() time.Time
	// Locked says whether the slot's counts lock the names kept in it.
	Locked() bool
}

// ForgetFirst is the one rule by which every table of try slots (SlotTable,
// the local store's, the directory's ou=tries) makes room for one more:
// of the slots each yields, the unlocked one failed at longest ago; ok is
// false where every one is locked. A locked slot is never forgotten: a
// person's lock stays until a helpdesk clears it, and so must a name's
// that names nobody, or a flood of failures at other names would unlock
// it, which a person's never does, and tell the two apart. Locked slots
// are bounded all the same, by the slot key's 16 bits: at most 65,536
// (then every name lands in a locked slot).
func ForgetFirst[K any, T Slot](each iter.Seq2[K, T]) (oldest K, ok bool) {
	var when time.Time
	for k, v := range each {
		if v.Locked() {
			continue
		}
		if !ok || v.Latest().Before(when) {
			oldest, when, ok = k, v.Latest(), true
		}
	}
	return oldest, ok
}

// TriesTable is a SlotTable of Tries (the failures of one kind of thing
// asked for per name, such as a reset's sends).
type TriesTable = SlotTable[Tries]

// SlotTable keeps counts (Tries, or the Counts of names that name no
// account) in memory, by TrySlot, at most MaxTrySlots of them: for stores
// that have no place to keep them (Store.UpdateTries answers
// ErrNotSupported there) and for the memory store. The zero value is
// ready; its key is made at first use and kept for the table's life,
// since a new one would move every name to another slot, which is a reset
// of their back-off. It is safe for concurrent use.
type SlotTable[T Slot] struct {
	mu    sync.Mutex
	key   []byte
	slots map[uint16]T
}

// Update calls change on name's count and keeps the result, all under
// one lock; if change returns an error, nothing is kept and that error is
// returned.
func (t *SlotTable[T]) Update(name string, change func(*T) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.key == nil {
		t.key = NewTryKey()
	}
	k := TrySlot(t.key, name)
	cur, kept := t.slots[k]
	if err := change(&cur); err != nil {
		return err
	}
	if t.slots == nil {
		t.slots = map[uint16]T{}
	}
	if !kept && len(t.slots) >= MaxTrySlots {
		if oldest, ok := ForgetFirst(maps.All(t.slots)); ok {
			delete(t.slots, oldest)
		}
	}
	t.slots[k] = cur
	return nil
}

// Get returns name's count (zero if none are kept), changing nothing.
func (t *SlotTable[T]) Get(name string) T {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.key == nil {
		var zero T
		return zero
	}
	return t.slots[TrySlot(t.key, name)]
}

// Len says how many slots are kept.
func (t *SlotTable[T]) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.slots)
}

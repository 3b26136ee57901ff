package info

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"sync"
	"time"
)

// Tries is the failure count kept for names that name no account
// (Store.UpdateTries), so that trying such a name is gated, counted and
// paid for as trying an account is.
type Tries struct {
	// Failures counts consecutive failures.
	Failures int
	// LastFailure is when the latest failure happened.
	LastFailure time.Time
}

// MaxTrySlots bounds how many slots a TriesTable (or a store's table of
// Tries) keeps; past it, the slot failed at longest ago is forgotten. It
// also bounds how often two names share a slot: a name never typed lands
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
	m.Write([]byte(strings.ToLower(strings.TrimSpace(name))))
	return binary.BigEndian.Uint16(m.Sum(nil))
}

// NewTryKey makes a key for TrySlot.
func NewTryKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never returns an error
	return k
}

// TriesTable keeps Tries in memory, by TrySlot, at most MaxTrySlots of
// them: for stores that have no place to keep them (Store.UpdateTries
// answers ErrNotSupported there) and for the memory store. The zero value
// is ready; its key is made at first use and kept for the table's life,
// since a new one would move every name to another slot, which is a reset
// of their back-off. It is safe for concurrent use.
type TriesTable struct {
	mu    sync.Mutex
	key   []byte
	slots map[uint16]Tries
}

// Update calls change on name's Tries and keeps the result, all under
// one lock; if change returns an error, nothing is kept and that error is
// returned.
func (t *TriesTable) Update(name string, change func(*Tries) error) error {
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
		t.slots = map[uint16]Tries{}
	}
	if !kept && len(t.slots) >= MaxTrySlots {
		oldest, first := uint16(0), true
		for x, v := range t.slots {
			if first || v.LastFailure.Before(t.slots[oldest].LastFailure) {
				oldest, first = x, false
			}
		}
		delete(t.slots, oldest)
	}
	t.slots[k] = cur
	return nil
}

// Get returns name's Tries (zero if none are kept), changing nothing.
func (t *TriesTable) Get(name string) Tries {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.key == nil {
		return Tries{}
	}
	return t.slots[TrySlot(t.key, name)]
}

// Len says how many slots are kept.
func (t *TriesTable) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.slots)
}

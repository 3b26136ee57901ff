package info

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// A TriesTable keeps at most MaxTrySlots slots, the latest failed at.
func TestTriesTable_Bounded(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC)
	var tt TriesTable
	for i := range 3 * MaxTrySlots {
		now := t0.Add(time.Duration(i) * time.Second)
		tt.Update(fmt.Sprintf("Canary-Pw-%d", i), func(tr *Tries) error {
			tr.Failures++
			tr.LastFailure = now
			return nil
		})
	}
	if n := tt.Len(); n > MaxTrySlots {
		t.Errorf("%d slots kept, want at most %d", n, MaxTrySlots)
	}
	// The latest is kept (it may share its slot with another name: its
	// failure is the latest there).
	var got Tries
	tt.Update(fmt.Sprintf("canary-pw-%d", 3*MaxTrySlots-1), func(tr *Tries) error { got = *tr; return fmt.Errorf("read") })
	if want := t0.Add(time.Duration(3*MaxTrySlots-1) * time.Second); got.Failures < 1 || !got.LastFailure.Equal(want) {
		t.Errorf("the latest name's tries: %+v", got)
	}
}

// TestTrySlot_CantConfirmTheName: a slot can't tell the name typed (often
// a password in the wrong field) from other candidates, even to someone
// who holds the key.
func TestTrySlot_CantConfirmTheName(t *testing.T) {
	// A fixed key, so that the count is the same at every run; a real
	// key is as random, and the count the same on average.
	key := []byte("a fixed key, 32 bytes long......")
	typed := TrySlot(key, "Canary-Pw-4711")
	// 2^18 guesses in the typed name's own form (the typed one among
	// them) over 2^16 slots: about 4 fit, never 1 alone. The search
	// stops at the second fit (with this key the 95,429th guess): two
	// prove the point, and the rest were most of the package's time
	// under the race detector.
	const pool = 1 << 18
	n := 0
	for i := 0; i < pool && n < 2; i++ {
		if TrySlot(key, "Canary-Pw-"+strconv.Itoa(i)) == typed {
			n++
		}
	}
	if n < 2 {
		t.Errorf("%d of %d guesses fit the slot: it tells the typed name apart", n, pool)
	}
	if TrySlot(key, " canary-PW-4711 ") != typed {
		t.Error("a name's slot depends on its letter case or spaces")
	}
}

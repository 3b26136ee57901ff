package regulation

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// review6a: a person and a name that names nobody now lock alike at the
// total of their counts, but the unknown name's lock lives in a slot the
// store forgets once info.MaxTrySlots other names have failed since (the
// slot "failed at longest ago" goes first, locked or not). A person's
// lock stays until a helpdesk clears it. So: lock a name (100 failures),
// fail once at 2,048 made-up names (first failures: no back-off, about a
// minute of hashing), and try the name again: a person is still locked,
// a name that names nobody is not. The lock-out tells them apart.
func TestReview6a_UnknownNamesLockStaysAfterAFlood(t *testing.T) {
	dir := memory.New()
	const known, unknown = "alice@contoso.example", "nobody@contoso.example"
	if err := dir.CreateAccount(info.Account{Name: known}); err != nil {
		t.Fatal(err)
	}
	now := t0
	for i := range MaxFailures {
		now = now.Add(time.Hour) // past every back-off
		if err := Default.ReserveFactor(dir, known, Password, now); err != nil {
			t.Fatalf("%s: failure %d: %v", known, i+1, err)
		}
		if err := Default.ReserveUnknown(dir, unknown, Password, now); err != nil {
			t.Fatalf("%s: failure %d: %v", unknown, i+1, err)
		}
	}
	// Twice as many names as slots kept: some share a slot (16 bits).
	for i := range 2 * info.MaxTrySlots {
		now = now.Add(time.Second)
		err := Default.ReserveUnknown(dir, fmt.Sprintf("made-up-%d@contoso.example", i), Password, now)
		if err != nil && !errors.Is(err, ErrLocked) { // ErrLocked: shares the locked name's slot
			t.Fatalf("made-up name %d: %v", i, err)
		}
	}
	now = now.Add(time.Hour)
	for name, try := range map[string]func() error{
		known:   func() error { return Default.ReserveFactor(dir, known, Password, now) },
		unknown: func() error { return Default.ReserveUnknown(dir, unknown, Password, now) },
	} {
		if err := try(); !errors.Is(err, ErrLocked) {
			t.Errorf("%s, locked, after failures at %d other names: %v, want ErrLocked", name, 2*info.MaxTrySlots, err)
		}
	}
}

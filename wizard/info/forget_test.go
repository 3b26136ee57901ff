package info

import (
	"maps"
	"testing"
	"time"
)

// ForgetFirst picks the unlocked slot failed at longest ago, never a
// locked one, and nothing where every slot is locked.
func TestForgetFirst_NeverALockedSlot(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	slots := map[string]Counts{
		"locked, oldest":  {Failures: MaxFailures - 1, SecondFactorTries: Tries{Failures: 1, LastFailure: t0}},
		"oldest unlocked": {Failures: MaxFailures - 1, LastFailure: t0.Add(time.Minute)},
		"newer":           {Failures: 1, LastFailure: t0.Add(time.Hour)},
	}
	if got, ok := ForgetFirst(maps.All(slots)); !ok || got != "oldest unlocked" {
		t.Errorf("forgets %q (%v), want the oldest unlocked", got, ok)
	}
	delete(slots, "oldest unlocked")
	delete(slots, "newer")
	if got, ok := ForgetFirst(maps.All(slots)); ok {
		t.Errorf("forgets %q of locked slots only", got)
	}
}

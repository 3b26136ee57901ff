package storage

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestOSKeyring_LaterCallsFailAtOnceWhileOneIsAbandoned: after a call was
// abandoned at its time limit, later calls do not wait for the keyring at
// all, not even for their own time limit: they fail at once. The limit is
// raised to an hour for them, so a call that waited would hold the test
// for an hour; the watchdog of 30 s is a liveness bound, not a timing
// (a call that does not wait returns in microseconds).
func TestOSKeyring_LaterCallsFailAtOnceWhileOneIsAbandoned(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	be := &countingBackend{fakeBackend: &fakeBackend{block: true, release: release}}
	k := &OSKeyring{Timeout: 20 * time.Millisecond, backend: be}
	if _, err := k.Get("svc", "u"); !errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("first call: %v, want a time-out", err)
	}
	k.mu.Lock()
	k.Timeout = time.Hour
	k.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		_, err := k.Get("svc", "u")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, info.ErrKeyringUnavailable) || errors.Is(err, ErrKeyringTimeout) {
			t.Errorf("call while stuck: %v, want info.ErrKeyringUnavailable at once", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a call made while an abandoned one hangs waits for the keyring")
	}
	if n := be.n(); n != 1 {
		t.Errorf("backend reached %d times, want 1", n)
	}
}

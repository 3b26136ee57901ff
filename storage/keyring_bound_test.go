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

// slowBackend answers every call after a pause: a keyring that works, but
// slowly (a locked keyring being unlocked, a busy bus).
type slowBackend struct {
	fakeBackend
	pause time.Duration
}

func (s *slowBackend) Get(service, user string) (string, error) {
	time.Sleep(s.pause)
	return s.fakeBackend.Get(service, user)
}

// Bound makes one deadline for an action's calls, not one per call: five
// calls of 30 ms each under a per-call limit of an hour all answer, but
// not within one action bounded at 60 ms (they need 150 ms at least, so
// however slow the machine, some must be refused).
func TestOSKeyring_BoundIsPerAction(t *testing.T) {
	be := &slowBackend{pause: 30 * time.Millisecond}
	be.items = map[string]string{"svc|u": "c2VlZA=="}
	k := &OSKeyring{Timeout: time.Hour, backend: be}
	for i := range 5 {
		if _, err := k.Get("svc", "u"); err != nil {
			t.Fatalf("unbounded call %d: %v", i, err)
		}
	}
	end := k.Bound(60 * time.Millisecond)
	refused := 0
	for range 5 {
		if _, err := k.Get("svc", "u"); err != nil {
			if !errors.Is(err, info.ErrKeyringUnavailable) {
				t.Errorf("a call out of time: %v, want ErrKeyringUnavailable", err)
			}
			refused++
		}
	}
	end()
	if refused == 0 {
		t.Error("five 30 ms calls all answered within one 60 ms action")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.actions != 0 || !k.deadline.IsZero() {
		t.Errorf("after the action ended: %d actions, deadline %v", k.actions, k.deadline)
	}
}

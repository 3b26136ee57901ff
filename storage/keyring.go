package storage

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/zalando/go-keyring"
)

// SecretStore holds secrets by service and user name. OSKeyring is the real
// one; MemoryKeyring stands in for it in unit tests.
//
// Implementations report a missing item with an error matching
// info.ErrSecretNotFound, an unreachable keyring with ErrKeyringUnavailable and a
// locked one with ErrKeyringLocked. No error ever contains a secret.
type SecretStore interface {
	// Set stores secret under service and user, replacing any earlier one.
	Set(service, user string, secret []byte) error
	// Get returns the secret stored under service and user.
	Get(service, user string) ([]byte, error)
	// Delete removes the secret stored under service and user.
	Delete(service, user string) error
}

// DefaultKeyringTimeout bounds every OS keyring call when OSKeyring.Timeout
// is zero.
const DefaultKeyringTimeout = 3 * time.Second

var (
	// ErrKeyringTimeout means a keyring call was started but gave no
	// answer in time, so whether it took effect is unknown. Errors that
	// wrap it also match ErrKeyringUnavailable.
	ErrKeyringTimeout = errors.New("no answer in time")
)

// keyringBackend is the string-valued API of go-keyring; tests swap it.
type keyringBackend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// OSKeyring is a SecretStore over the operating system's keyring (Secret
// Service on Linux, Keychain on macOS, Credential Manager on Windows)
// through github.com/zalando/go-keyring. Use it through a pointer; the
// zero value is ready to use.
//
// Secrets are stored base64-encoded (standard encoding, with padding), so
// any bytes survive every platform's keyring, all of which store text; the
// keyring item's attributes are "service" and "username".
//
// Calls run one at a time, each in its own goroutine, and each is
// abandoned after Timeout: it then fails closed with an error matching
// ErrKeyringTimeout and ErrKeyringUnavailable, even though the abandoned
// call may still finish later (for example once a person answers an unlock
// prompt). Until it does, later calls fail at once with
// ErrKeyringUnavailable and do not reach the keyring, so that they cannot
// overtake it and goroutines do not pile up behind a hung keyring.
type OSKeyring struct {
	// Timeout bounds each call; zero means DefaultKeyringTimeout.
	Timeout time.Duration

	backend keyringBackend // nil means the real go-keyring

	mu    sync.Mutex
	slot  chan struct{} // holds a token while a call runs
	stuck bool          // the running call was abandoned
	// actions counts the Bound actions under way and deadline is when
	// their calls must be done by; zero without one.
	actions  int
	deadline time.Time
}

// Bound starts an action: until end is called, every call shares one
// deadline, d from now (0 means Timeout), instead of Timeout each, so
// that an action making several calls waits at most d in all. A call
// with no time left fails at once with ErrKeyringUnavailable, without
// reaching the keyring. Calls are made one at a time whoever makes them,
// so actions under way at once share the latest of their deadlines: one
// may then run past its own bound, but none is cut short by another's.
func (k *OSKeyring) Bound(d time.Duration) (end func()) {
	if d <= 0 {
		d = k.timeout()
	}
	at := time.Now().Add(d)
	k.mu.Lock()
	if k.actions == 0 || at.After(k.deadline) {
		k.deadline = at
	}
	k.actions++
	k.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			k.mu.Lock()
			defer k.mu.Unlock()
			if k.actions--; k.actions == 0 {
				k.deadline = time.Time{}
			}
		})
	}
}

// Set stores secret in the keyring under service and user.
func (k *OSKeyring) Set(service, user string, secret []byte) error {
	enc := base64.StdEncoding.EncodeToString(secret)
	_, err := k.call(func() (string, error) {
		return "", k.be().Set(service, user, enc)
	})
	if err != nil {
		return fmt.Errorf("save secret in keyring: %w", err)
	}
	return nil
}

// Get reads the secret stored under service and user.
func (k *OSKeyring) Get(service, user string) ([]byte, error) {
	enc, err := k.call(func() (string, error) {
		return k.be().Get(service, user)
	})
	if err != nil {
		return nil, fmt.Errorf("read secret from keyring: %w", err)
	}
	secret, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, fmt.Errorf("read secret from keyring: the item was not written by Security Info: %w", err)
	}
	return secret, nil
}

// Delete removes the secret stored under service and user.
func (k *OSKeyring) Delete(service, user string) error {
	_, err := k.call(func() (string, error) {
		return "", k.be().Delete(service, user)
	})
	if err != nil {
		return fmt.Errorf("delete secret from keyring: %w", err)
	}
	return nil
}

// CheckSecretStore reports whether s can be used right now by looking up an
// item that never exists under service: ErrSecretNotFound means the keyring
// answered, so CheckSecretStore returns nil.
func CheckSecretStore(s SecretStore, service string) error {
	_, err := s.Get(service, probeUser)
	if err == nil || errors.Is(err, info.ErrSecretNotFound) {
		return nil
	}
	return err
}

// probeUser is a keyring user name no method can have: method users are
// "<account>/<id>" with a non-empty account.
const probeUser = "/probe"

func (k *OSKeyring) be() keyringBackend {
	if k.backend != nil {
		return k.backend
	}
	return goKeyring{}
}

func (k *OSKeyring) timeout() time.Duration {
	if k.Timeout > 0 {
		return k.Timeout
	}
	return DefaultKeyringTimeout
}

// call runs f, one call at a time, within the time limit, and translates
// its error.
func (k *OSKeyring) call(f func() (string, error)) (string, error) {
	d := k.timeout()
	k.mu.Lock()
	if k.slot == nil {
		k.slot = make(chan struct{}, 1)
	}
	slot, stuck, deadline := k.slot, k.stuck, k.deadline
	k.mu.Unlock()
	if stuck {
		return "", fmt.Errorf("%w (an earlier request is still waiting for an answer): %s", info.ErrKeyringUnavailable, keyringHint)
	}
	if !deadline.IsZero() {
		left := time.Until(deadline)
		if left <= 0 {
			return "", fmt.Errorf("%w (no time left for this: it waited for the keyring before): %s", info.ErrKeyringUnavailable, keyringHint)
		}
		d = min(d, left)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case slot <- struct{}{}:
	case <-timer.C:
		return "", fmt.Errorf("%w (busy with another request for %s): %s", info.ErrKeyringUnavailable, d, keyringHint)
	}

	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned call must not block
	var finished, abandoned bool // guarded by k.mu
	go func() {
		s, err := f()
		k.mu.Lock()
		finished = true
		if abandoned {
			k.stuck = false
		}
		<-slot
		k.mu.Unlock()
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return finish(r.s, r.err)
	case <-timer.C:
		k.mu.Lock()
		if finished {
			k.mu.Unlock()
			r := <-done
			return finish(r.s, r.err)
		}
		abandoned = true
		k.stuck = true
		k.mu.Unlock()
		return "", fmt.Errorf("%w: %w (waited %s): %s", info.ErrKeyringUnavailable, ErrKeyringTimeout, d, keyringHint)
	}
}

func finish(s string, err error) (string, error) {
	if err != nil {
		return "", translateKeyringError(err)
	}
	return s, nil
}

// goKeyring is the real backend. It refuses to start when there is no
// session bus to talk to, so that the D-Bus library does not launch a
// private bus (and a keyring daemon) nobody will ever stop.
type goKeyring struct{}

func (goKeyring) Set(service, user, password string) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	return keyring.Set(service, user, password)
}

func (goKeyring) Get(service, user string) (string, error) {
	if err := sessionBusCheck(); err != nil {
		return "", err
	}
	return keyring.Get(service, user)
}

func (goKeyring) Delete(service, user string) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	return keyring.Delete(service, user)
}

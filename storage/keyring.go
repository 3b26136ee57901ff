package storage

import (
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// SecretStore holds secrets by service and user name. OSKeyring is the real
// one; MemoryKeyring stands in for it in unit tests.
//
// Implementations report a missing item with an error matching
// ErrSecretNotFound, an unreachable keyring with ErrKeyringUnavailable and a
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
	// ErrSecretNotFound means the keyring holds no item for the service and
	// user asked for.
	ErrSecretNotFound = errors.New("secret not found in the system keyring")
	// ErrKeyringTimeout means the keyring did not answer in time, so whether
	// the call took effect is unknown. Errors that wrap it also match
	// ErrKeyringUnavailable.
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
// through github.com/zalando/go-keyring.
//
// Secrets are stored base64-encoded (standard encoding, with padding), so
// any bytes survive every platform's keyring, all of which store text; the
// keyring item's attributes are "service" and "username".
//
// Every call runs in its own goroutine and is abandoned after Timeout: the
// call then fails closed with an error matching ErrKeyringTimeout and
// ErrKeyringUnavailable, even though the abandoned call may still finish
// later (for example once a person answers an unlock prompt).
type OSKeyring struct {
	// Timeout bounds each call; zero means DefaultKeyringTimeout.
	Timeout time.Duration

	backend keyringBackend // nil means the real go-keyring
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
	if err == nil || errors.Is(err, ErrSecretNotFound) {
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

// call runs f with the time limit and translates its error.
func (k *OSKeyring) call(f func() (string, error)) (string, error) {
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned call must not block
	go func() {
		s, err := f()
		done <- result{s, err}
	}()
	d := k.timeout()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			return "", translateKeyringError(r.err)
		}
		return r.s, nil
	case <-timer.C:
		return "", fmt.Errorf("%w: %w after %s: %s", ErrKeyringUnavailable, ErrKeyringTimeout, d, keyringHint)
	}
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

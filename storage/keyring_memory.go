package storage

import (
	"fmt"
	"sync"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// MemoryKeyring is an in-memory SecretStore for unit tests of packages
// that use storage. It is for tests only: its secrets live in process
// memory and are gone when the process ends. Use OSKeyring in the app.
//
// The zero value is ready to use and safe for concurrent use.
type MemoryKeyring struct {
	mu    sync.Mutex
	items map[memoryKey][]byte
	fail  error
}

type memoryKey struct{ service, user string }

// NewMemoryKeyring returns an empty MemoryKeyring.
func NewMemoryKeyring() *MemoryKeyring { return &MemoryKeyring{} }

// SetFailure makes every later call fail with err (for example
// ErrKeyringUnavailable) and change nothing, until SetFailure(nil).
func (m *MemoryKeyring) SetFailure(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

// Set stores a copy of secret under service and user.
func (m *MemoryKeyring) Set(service, user string, secret []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return fmt.Errorf("save secret in memory keyring: %w", m.fail)
	}
	if m.items == nil {
		m.items = make(map[memoryKey][]byte)
	}
	m.items[memoryKey{service, user}] = append([]byte{}, secret...)
	return nil
}

// Get returns a copy of the secret stored under service and user, or an
// error matching ErrSecretNotFound.
func (m *MemoryKeyring) Get(service, user string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, fmt.Errorf("read secret from memory keyring: %w", m.fail)
	}
	s, ok := m.items[memoryKey{service, user}]
	if !ok {
		return nil, info.ErrSecretNotFound
	}
	return append([]byte{}, s...), nil
}

// Delete removes the secret stored under service and user, or returns an
// error matching ErrSecretNotFound.
func (m *MemoryKeyring) Delete(service, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return fmt.Errorf("delete secret from memory keyring: %w", m.fail)
	}
	k := memoryKey{service, user}
	if _, ok := m.items[k]; !ok {
		return info.ErrSecretNotFound
	}
	delete(m.items, k)
	return nil
}

// Len returns how many secrets are stored.
func (m *MemoryKeyring) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}

package storage

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// fileKeyring is a test-only SecretStore keeping each secret in a file of
// its own under dir, so that what a child process writes survives it being
// killed.
type fileKeyring struct{ dir string }

func (f fileKeyring) path(service, user string) string {
	return filepath.Join(f.dir, hex.EncodeToString([]byte(service+"\x00"+user)))
}

func (f fileKeyring) Set(service, user string, secret []byte) error {
	tmp, err := os.CreateTemp(f.dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(secret); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.path(service, user))
}

func (f fileKeyring) Get(service, user string) ([]byte, error) {
	b, err := os.ReadFile(f.path(service, user))
	if errors.Is(err, os.ErrNotExist) {
		return nil, info.ErrSecretNotFound
	}
	return b, err
}

func (f fileKeyring) Delete(service, user string) error {
	err := os.Remove(f.path(service, user))
	if errors.Is(err, os.ErrNotExist) {
		return info.ErrSecretNotFound
	}
	return err
}

// items returns every stored secret by "service\x00user".
func (f fileKeyring) items(t *testing.T) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			continue
		}
		name, err := hex.DecodeString(e.Name())
		if err != nil {
			t.Fatalf("stray file %s in fake keyring", e.Name())
		}
		b, err := os.ReadFile(filepath.Join(f.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[string(name)] = string(b)
	}
	return out
}

// faultyKeyring wraps a MemoryKeyring and fails chosen operations. If
// setWrites is true, a failing Set still stores the secret, like a call
// that gave up waiting while the keyring went on to do the work.
type faultyKeyring struct {
	*MemoryKeyring

	mu                        sync.Mutex
	failSet, failGet, failDel error
	setWrites                 bool
	sets, gets, deletes       int
}

func newFaultyKeyring() *faultyKeyring {
	return &faultyKeyring{MemoryKeyring: NewMemoryKeyring()}
}

func (k *faultyKeyring) fail(set, get, del error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.failSet, k.failGet, k.failDel = set, get, del
}

func (k *faultyKeyring) Set(service, user string, secret []byte) error {
	k.mu.Lock()
	k.sets++
	err, writes := k.failSet, k.setWrites
	k.mu.Unlock()
	if err != nil {
		if writes {
			_ = k.MemoryKeyring.Set(service, user, secret)
		}
		return err
	}
	return k.MemoryKeyring.Set(service, user, secret)
}

func (k *faultyKeyring) Get(service, user string) ([]byte, error) {
	k.mu.Lock()
	k.gets++
	err := k.failGet
	k.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return k.MemoryKeyring.Get(service, user)
}

func (k *faultyKeyring) Delete(service, user string) error {
	k.mu.Lock()
	k.deletes++
	err := k.failDel
	k.mu.Unlock()
	if err != nil {
		return err
	}
	return k.MemoryKeyring.Delete(service, user)
}

// timeoutErr is what OSKeyring returns when the keyring does not answer.
var timeoutErr = errors.Join(info.ErrKeyringUnavailable, ErrKeyringTimeout)

// openTest opens a store in a new temporary directory.
func openTest(t *testing.T, secrets SecretStore) (*Local, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	l, err := OpenLocal(dir, secrets)
	if err != nil {
		t.Fatalf("OpenLocal: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l, dir
}

// reopen closes l and opens its directory again with secrets.
func reopen(t *testing.T, l *Local, dir string, secrets SecretStore) *Local {
	t.Helper()
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	l2, err := OpenLocal(dir, secrets)
	if err != nil {
		t.Fatalf("OpenLocal again: %v", err)
	}
	t.Cleanup(func() { l2.Close() })
	return l2
}

// journalLen counts pending journal entries.
func journalLen(t *testing.T, l *Local) int {
	t.Helper()
	release, err := l.hold()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ins, err := l.intents()
	if err != nil {
		t.Fatal(err)
	}
	return len(ins)
}

// methodIDs lists the ids Methods returns, in order.
func methodIDs(t *testing.T, l *Local, account string) []string {
	t.Helper()
	ms, err := l.Methods(account)
	if err != nil {
		t.Fatalf("Methods(%q): %v", account, err)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

// allAccounts collects every account of s, in order.
func allAccounts(s info.Store) ([]info.Account, error) {
	var out []info.Account
	err := s.EachAccount("", 0, func(a info.Account) error { out = append(out, a); return nil })
	return out, err
}

// auditOf collects the entries s.EachAudit visits.
func auditOf(s info.Store, account string, since time.Time) ([]info.AuditEntry, error) {
	var out []info.AuditEntry
	err := s.EachAudit(account, since, func(e info.AuditEntry) error { out = append(out, e); return nil })
	return out, err
}

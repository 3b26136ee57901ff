// Package memory is an info.Store held in process memory, for tests and
// demos: everything in it is gone when the process ends, and its
// "keyring" is a map in the same memory. It implements the whole of
// info.Store with the local store's rules (account names compare
// case-insensitively, a method is saved only with its secret, the audit log
// is append-only), so the wizard's flow can be walked thousands of times a
// second. Never use it to keep anyone's real security info.
package memory

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// Store is an in-memory info.Store. The zero value is not ready: use New.
// It is safe for concurrent use. A callback given to an Update method runs
// while the store is locked, so it must not call the store.
type Store struct {
	// Now is the clock for Created times left zero and audit entries
	// without a time; nil means time.Now.
	Now func() time.Time

	mu        sync.Mutex
	accounts  map[string]*info.Account // by key
	methods   map[string][]info.Method // by account key, in insertion order
	secrets   map[string][]byte        // by account key + "/" + method id
	passes    map[string]info.Pass     // by account key
	audit     []info.AuditEntry
	station   map[string][]byte
	secretErr error
	tries     info.SlotTable[info.Counts] // names that name no account, by slot
}

var _ info.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		accounts: map[string]*info.Account{},
		methods:  map[string][]info.Method{},
		secrets:  map[string][]byte{},
		passes:   map[string]info.Pass{},
		station:  map[string][]byte{},
	}
}

// FailSecrets makes every later use of secrets (saving or reading a
// method's secret, removing a method that has one, CheckSecrets, station
// secrets) fail with err and change nothing, as a locked or missing
// keyring does, until FailSecrets(nil).
func (s *Store) FailSecrets(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secretErr = err
}

// SecretCount returns how many method secrets are kept, as a test looks
// into the keyring.
func (s *Store) SecretCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.secrets)
}

// key is an account name as the store compares it: info.AccountKey.
func key(name string) string { return info.AccountKey(name) }

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// keyringErr returns the failure set with FailSecrets, wrapped as op.
func (s *Store) keyringErr(op string) error {
	if s.secretErr != nil {
		return fmt.Errorf("%s: %w", op, s.secretErr)
	}
	return nil
}

// CreateAccount adds an account; ErrAccountExists if the name is taken.
func (s *Store) CreateAccount(a info.Account) error {
	k := key(a.Name)
	if k == "" {
		return errors.New("create account: the name is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[k]; ok {
		return fmt.Errorf("create account: account %q: %w", a.Name, info.ErrAccountExists)
	}
	if a.Created.IsZero() {
		a.Created = s.now()
	}
	s.accounts[k] = &a
	return nil
}

// Account returns the named account or ErrNoAccount.
func (s *Store) Account(name string) (info.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[key(name)]
	if !ok {
		return info.Account{}, fmt.Errorf("read account: %w", info.ErrNoAccount)
	}
	return *a, nil
}

// EachAccount visits the accounts whose names contain query, in name
// order, at most limit of them (all if limit <= 0).
func (s *Store) EachAccount(query string, limit int, visit func(info.Account) error) error {
	want := key(query)
	s.mu.Lock()
	var keys []string
	for k := range s.accounts {
		if strings.Contains(k, want) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if limit > 0 && len(keys) > limit {
		keys = keys[:limit]
	}
	list := make([]info.Account, 0, len(keys))
	for _, k := range keys {
		list = append(list, *s.accounts[k])
	}
	s.mu.Unlock()
	for _, a := range list {
		if err := visit(a); err != nil {
			return err
		}
	}
	return nil
}

// UpdateAccount changes an account; an error from change saves nothing
// and is returned as it is.
func (s *Store) UpdateAccount(name string, change func(*info.Account) error) error {
	k := key(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.accounts[k]
	if !ok {
		return fmt.Errorf("update account: %w", info.ErrNoAccount)
	}
	a := *cur
	if err := change(&a); err != nil {
		return err
	}
	if key(a.Name) != k {
		return fmt.Errorf("update account: account %q cannot be renamed to %q", name, a.Name)
	}
	*cur = a
	return nil
}

// Unlock clears an account's failed sign-ins and lock.
func (s *Store) SetPassword(name, password string) error {
	hash, err := secret.Hash(password, rand.Reader)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return s.UpdateAccount(name, func(a *info.Account) error {
		a.PasswordHash = hash
		a.Failures, a.LastFailure = 0, time.Time{}
		return nil
	})
}

// Unlock clears an account's failed sign-ins: every count.
func (s *Store) Unlock(name string) error {
	return s.UpdateAccount(name, func(a *info.Account) error {
		a.Failures, a.LastFailure, a.Locked = 0, time.Time{}, false
		a.SecondFactorTries, a.AppPasswordTries = info.Tries{}, info.Tries{}
		return nil
	})
}

// ClearPasswordFailures clears an account's count of wrong passwords and
// its lock, and no other count (info.Store).
func (s *Store) ClearPasswordFailures(name string) error {
	return s.UpdateAccount(name, func(a *info.Account) error {
		a.Failures, a.LastFailure, a.Locked = 0, time.Time{}, false
		return nil
	})
}

// Bind is not supported: like the local store, this one keeps password
// hashes, which the sign-in rules check themselves.
func (s *Store) Bind(string, string) (info.Account, error) {
	return info.Account{}, info.ErrNotSupported
}

// UnknownCodeAtBind is not supported: no code is checked at a bind here.
func (s *Store) UnknownCodeAtBind(string) (bool, error) {
	return false, info.ErrNotSupported
}

// BindProved is not supported either (Bind).
func (s *Store) BindProved(string, string) (info.Account, error) {
	return info.Account{}, info.ErrNotSupported
}

// Methods lists an account's methods, oldest first.
func (s *Store) Methods(account string) ([]info.Method, error) {
	k := key(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[k]; !ok {
		return nil, fmt.Errorf("list methods: %w", info.ErrNoAccount)
	}
	out := make([]info.Method, 0, len(s.methods[k]))
	for _, m := range s.methods[k] {
		out = append(out, cloneMethod(m))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// checkMethodID refuses ids the local store refuses.
func checkMethodID(id string) error {
	if id == "" {
		return errors.New("method id is empty")
	}
	for _, r := range id {
		if r == '/' || r < 0x20 || r == 0x7f {
			return fmt.Errorf("method id %q contains a slash or a control character", id)
		}
	}
	return nil
}

// AddMethod saves a method, and its secret if not nil (a copy: the caller
// may zero its own).
func (s *Store) AddMethod(account string, m info.Method, secret []byte) error {
	if err := checkMethodID(m.ID); err != nil {
		return fmt.Errorf("add method: %w", err)
	}
	if m.HasSecret && secret == nil {
		return fmt.Errorf("add method: method %q has HasSecret set but no secret was given", m.ID)
	}
	m.HasSecret = secret != nil
	k := key(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[k]; !ok {
		return fmt.Errorf("add method: %w", info.ErrNoAccount)
	}
	for _, o := range s.methods[k] {
		if o.ID == m.ID {
			return fmt.Errorf("add method: method %q: %w", m.ID, info.ErrMethodExists)
		}
	}
	if m.HasSecret {
		if err := s.keyringErr("add method"); err != nil {
			return err
		}
		s.secrets[k+"/"+m.ID] = append([]byte(nil), secret...)
	}
	if m.Created.IsZero() {
		m.Created = s.now()
	}
	s.methods[k] = append(s.methods[k], cloneMethod(m))
	return nil
}

// find returns the index of method id of account key k, or an error.
func (s *Store) find(account, id string) (int, error) {
	k := key(account)
	if _, ok := s.accounts[k]; !ok {
		return 0, info.ErrNoAccount
	}
	for i, m := range s.methods[k] {
		if m.ID == id {
			return i, nil
		}
	}
	return 0, fmt.Errorf("method %q: %w", id, info.ErrNoMethod)
}

// UpdateMethod changes a method's record; its id and whether it has a
// secret can't change.
func (s *Store) UpdateMethod(account, id string, change func(*info.Method) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.find(account, id)
	if err != nil {
		return fmt.Errorf("update method: %w", err)
	}
	ms := s.methods[key(account)]
	m := cloneMethod(ms[i])
	if err := change(&m); err != nil {
		return err
	}
	if m.ID != ms[i].ID || m.HasSecret != ms[i].HasSecret {
		return fmt.Errorf("update method: method %q: the id and whether it has a secret cannot change", id)
	}
	ms[i] = cloneMethod(m)
	return nil
}

// RemoveMethod removes a method and its secret.
func (s *Store) RemoveMethod(account, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.find(account, id)
	if err != nil {
		return fmt.Errorf("remove method: %w", err)
	}
	k := key(account)
	if s.methods[k][i].HasSecret {
		if err := s.keyringErr("remove method"); err != nil {
			return err
		}
		delete(s.secrets, k+"/"+id)
	}
	s.methods[k] = append(s.methods[k][:i:i], s.methods[k][i+1:]...)
	return nil
}

// RemoveAllMethods removes every method of an account. Methods with a
// secret stay while secrets fail (FailSecrets), and the error says how
// many of all were removed.
func (s *Store) RemoveAllMethods(account string) (int, error) {
	k := key(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[k]; !ok {
		return 0, fmt.Errorf("remove all methods: %w", info.ErrNoAccount)
	}
	var kept []info.Method
	n, all := 0, len(s.methods[k])
	for _, m := range s.methods[k] {
		if m.HasSecret && s.secretErr != nil {
			kept = append(kept, m)
			continue
		}
		delete(s.secrets, k+"/"+m.ID)
		n++
	}
	s.methods[k] = kept
	if len(kept) > 0 {
		return n, fmt.Errorf("remove all methods: %d of %d removed: %w", n, all, s.secretErr)
	}
	return n, nil
}

// ReplaceMethods replaces the account's methods of kind with ms under the
// store's lock, so nobody sees a part of either set.
func (s *Store) ReplaceMethods(account string, kind info.Kind, ms []info.Method) error {
	if err := info.CheckReplacement(kind, ms); err != nil {
		return err
	}
	for _, m := range ms {
		if err := checkMethodID(m.ID); err != nil {
			return fmt.Errorf("replace methods: %w", err)
		}
	}
	k := key(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[k]; !ok {
		return fmt.Errorf("replace methods: %w", info.ErrNoAccount)
	}
	ids := make(map[string]bool, len(ms))
	for _, m := range ms {
		ids[m.ID] = true
	}
	kept := make([]info.Method, 0, len(s.methods[k])+len(ms))
	for _, o := range s.methods[k] {
		if o.Kind != kind {
			if ids[o.ID] {
				return fmt.Errorf("replace methods: method %q: %w", o.ID, info.ErrMethodExists)
			}
			kept = append(kept, o)
			continue
		}
		if o.HasSecret {
			return fmt.Errorf("replace methods: method %q has a secret; only methods without one can be replaced as a set", o.ID)
		}
	}
	for _, m := range ms {
		if m.Created.IsZero() {
			m.Created = s.now()
		}
		kept = append(kept, cloneMethod(m))
	}
	s.methods[k] = kept
	return nil
}

// Secret returns a copy of a method's secret.
func (s *Store) Secret(account, id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.find(account, id)
	if err != nil {
		return nil, fmt.Errorf("read secret: %w", err)
	}
	if !s.methods[key(account)][i].HasSecret {
		return nil, fmt.Errorf("read secret: method %q has none: %w", id, info.ErrSecretNotFound)
	}
	if err := s.keyringErr("read secret"); err != nil {
		return nil, err
	}
	return append([]byte(nil), s.secrets[key(account)+"/"+id]...), nil
}

// Bound does nothing: there is no keyring to wait on.
func (s *Store) Bound(time.Duration) (end func()) { return func() {} }

// CheckSecrets fails as FailSecrets says, else succeeds.
func (s *Store) CheckSecrets() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keyringErr("check keyring")
}

// SetPass gives an account its Temporary Access Pass in place of the one
// whose hash is replaces ("" for none); ErrPassChanged otherwise.
func (s *Store) SetPass(account, replaces string, p info.Pass) error {
	if p.Hash == "" {
		return errors.New("save Temporary Access Pass: the hash is empty")
	}
	k := key(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[k]; !ok {
		return fmt.Errorf("save Temporary Access Pass: %w", info.ErrNoAccount)
	}
	if subtle.ConstantTimeCompare([]byte(s.passes[k].Hash), []byte(replaces)) != 1 {
		return fmt.Errorf("save Temporary Access Pass: account %q: %w", account, info.ErrPassChanged)
	}
	s.passes[k] = p
	return nil
}

// GetPass returns an account's pass or ErrNoPass.
func (s *Store) GetPass(account string) (info.Pass, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.passes[key(account)]
	if !ok {
		return info.Pass{}, fmt.Errorf("read Temporary Access Pass: %w", info.ErrNoPass)
	}
	return p, nil
}

// UpdatePass changes an account's pass; ErrNoPass if it has none.
func (s *Store) UpdatePass(account string, change func(*info.Pass) error) error {
	k := key(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.passes[k]
	if !ok {
		return fmt.Errorf("update Temporary Access Pass: %w", info.ErrNoPass)
	}
	if err := change(&p); err != nil {
		return err
	}
	if p.Hash == "" {
		return errors.New("update Temporary Access Pass: the hash is empty")
	}
	s.passes[k] = p
	return nil
}

// DeletePass removes an account's pass; ErrNoPass if it has none.
func (s *Store) DeletePass(account string) error {
	k := key(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.passes[k]; !ok {
		return fmt.Errorf("remove Temporary Access Pass: %w", info.ErrNoPass)
	}
	delete(s.passes, k)
	return nil
}

// AppendAudit adds an entry at the end of the audit log, in UTC.
func (s *Store) AppendAudit(e info.AuditEntry) error {
	if strings.TrimSpace(e.Action) == "" {
		return errors.New("append audit entry: the action is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Time.IsZero() {
		e.Time = s.now()
	}
	e.Time = e.Time.UTC()
	for _, f := range []*string{&e.Actor, &e.Account, &e.Action, &e.Station, &e.Detail} {
		*f = info.CleanAuditField(*f)
	}
	s.audit = append(s.audit, e)
	return nil
}

// EachAudit visits entries oldest first, of account unless it is empty,
// at or after since unless it is zero.
func (s *Store) EachAudit(account string, since time.Time, visit func(info.AuditEntry) error) error {
	want := key(account)
	s.mu.Lock()
	var out []info.AuditEntry
	for _, e := range s.audit {
		if want != "" && key(e.Account) != want {
			continue
		}
		if !since.IsZero() && e.Time.Before(since) {
			continue
		}
		out = append(out, e)
	}
	s.mu.Unlock() // visit may call back into the store
	for _, e := range out {
		if err := visit(e); err != nil {
			return err
		}
	}
	return nil
}

// SetStationSecret keeps one of the station's own credentials.
func (s *Store) SetStationSecret(name string, secret []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.keyringErr("save " + name + " credentials"); err != nil {
		return err
	}
	s.station[name] = append([]byte(nil), secret...)
	return nil
}

// StationSecret reads it; ErrSecretNotFound if none was set.
func (s *Store) StationSecret(name string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.keyringErr("read " + name + " credentials"); err != nil {
		return nil, err
	}
	b, ok := s.station[name]
	if !ok {
		return nil, fmt.Errorf("read %s credentials: %w", name, info.ErrSecretNotFound)
	}
	return append([]byte(nil), b...), nil
}

// DeleteStationSecret removes it; removing one never set is not an error.
func (s *Store) DeleteStationSecret(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.keyringErr("remove " + name + " credentials"); err != nil {
		return err
	}
	delete(s.station, name)
	return nil
}

// Close does nothing: there is nothing to release.
func (s *Store) Close() error { return nil }

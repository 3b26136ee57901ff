package authapp

import (
	"errors"
	"io"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// t0 is the fixed time tests start from (step 56666666 begins at
// 1699999980).
var t0 = time.Unix(1700000000, 0).UTC()

// seeded returns a deterministic reader for randomness.
func seeded(seed int64) io.Reader { return rand.New(rand.NewSource(seed)) }

// clock is a settable fixed clock.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time      { return c.t }
func (c *clock) Add(d time.Duration) { c.t = c.t.Add(d) }
func newClock(t time.Time) *clock    { return &clock{t: t} }
func cloneMethod(m info.Method) info.Method {
	return m
}

// fakeDir is an in-memory info.Store for tests: it copies method
// records in and out, as a real store would, but keeps the secret slice
// AddMethod is given.
type fakeDir struct {
	// Store is nil: the fake answers only what a method setup asks.
	info.Store
	mu       sync.Mutex
	methods  map[string][]info.Method
	secrets  map[string][]byte // account+"/"+id
	addCalls int
	failAdd  error // returned by AddMethod when set
	failRead error // returned by Secret when set
}

func newFakeDir() *fakeDir {
	return &fakeDir{methods: map[string][]info.Method{}, secrets: map[string][]byte{}}
}

var errFake = errors.New("fake failure")

func key(account, id string) string { return strings.ToLower(account) + "/" + id }

func (d *fakeDir) CreateAccount(info.Account) error { return nil }
func (d *fakeDir) Account(name string) (info.Account, error) {
	return info.Account{Name: name}, nil
}
func (d *fakeDir) Accounts() ([]info.Account, error)                     { return nil, nil }
func (d *fakeDir) UpdateAccount(string, func(*info.Account) error) error { return nil }
func (d *fakeDir) CheckSecrets() error                                   { return nil }
func (d *fakeDir) Close() error                                          { return nil }
func (d *fakeDir) RemoveAllMethods(account string) (int, error)          { panic("unused") }
func (d *fakeDir) RemoveMethod(account, id string) error                 { panic("unused") }

func (d *fakeDir) Methods(account string) ([]info.Method, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []info.Method
	for _, m := range d.methods[strings.ToLower(account)] {
		out = append(out, cloneMethod(m))
	}
	return out, nil
}

func (d *fakeDir) AddMethod(account string, m info.Method, secret []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.addCalls++
	if d.failAdd != nil {
		return d.failAdd
	}
	a := strings.ToLower(account)
	for _, o := range d.methods[a] {
		if o.ID == m.ID {
			return info.ErrMethodExists
		}
	}
	if secret != nil {
		// Keep the caller's slice, as an implementation may: a caller
		// that zeroes it afterwards would destroy the stored key.
		d.secrets[key(account, m.ID)] = secret
	}
	d.methods[a] = append(d.methods[a], cloneMethod(m))
	return nil
}

func (d *fakeDir) UpdateMethod(account, id string, change func(*info.Method) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	ms := d.methods[strings.ToLower(account)]
	for i := range ms {
		if ms[i].ID == id {
			m := cloneMethod(ms[i])
			if err := change(&m); err != nil {
				return err
			}
			ms[i] = m
			return nil
		}
	}
	return info.ErrNoMethod
}

func (d *fakeDir) Secret(account, id string) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failRead != nil {
		return nil, d.failRead
	}
	s, ok := d.secrets[key(account, id)]
	if !ok {
		return nil, info.ErrNoMethod
	}
	return append([]byte(nil), s...), nil
}

var _ info.Store = (*fakeDir)(nil)

// addApp registers an authenticator app directly in d.
func (d *fakeDir) addApp(t *testing.T, account, id, label string, secret []byte) {
	t.Helper()
	m := info.Method{ID: id, Kind: info.KindAuthenticatorApp, Label: label, HasSecret: true}
	if err := d.AddMethod(account, m, secret); err != nil {
		t.Fatal(err)
	}
}

const testAccount = "alice@contoso.example"

// newTestSetup starts a setup with the fake directory, clock and a seeded
// reader.
func newTestSetup(t *testing.T, dir info.Store, c *clock) *Setup {
	t.Helper()
	ws, err := NewSetup(method.Context{
		Organisation: "Contoso",
		Account:      testAccount,
		Dir:          dir,
		Now:          c.Now,
		Rand:         seeded(42),
	})
	if err != nil {
		t.Fatalf("NewSetup: %v", err)
	}
	return ws.(*Setup)
}

// toTry walks a fresh setup to the try screen.
func toTry(t *testing.T, s *Setup) {
	t.Helper()
	for s.Screen() != ScreenTry {
		if err := s.Next(); err != nil {
			t.Fatalf("Next from %s: %v", s.Screen(), err)
		}
	}
}

// pendingSecret reads the pending key back from the URI, as a phone would.
func pendingSecret(t *testing.T, s *Setup) []byte {
	t.Helper()
	_, _, secret, err := ParseURI(s.URI())
	if err != nil {
		t.Fatalf("ParseURI(%q): %v", s.URI(), err)
	}
	return secret
}

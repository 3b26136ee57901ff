// Package testkit is the helpers Security Info's tests share, instead of a
// copy in each package: a settable clock, seeded randomness, an in-memory
// store (storage/memory) with accounts in it and switches to make it fail,
// cheap password hashes, and a phone that keeps the messages it is sent.
// It is for tests only.
package testkit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Seeded returns deterministic randomness: the same seed, the same bytes.
// It is not safe for concurrent use.
func Seeded(seed int64) io.Reader { return &stream{seed: uint64(seed)} }

// stream is SHA-256 of the seed and a counter, block after block: the
// same bytes for the same seed, without math/rand (which no package of
// the module imports: see internal/randsource).
type stream struct {
	mu   sync.Mutex
	seed uint64
	ctr  uint64
	buf  []byte
}

// Read fills p with the stream's next bytes.
func (s *stream) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for n := 0; n < len(p); {
		if len(s.buf) == 0 {
			var block [16]byte
			binary.BigEndian.PutUint64(block[:8], s.seed)
			binary.BigEndian.PutUint64(block[8:], s.ctr)
			s.ctr++
			sum := sha256.Sum256(block[:])
			s.buf = sum[:]
		}
		c := copy(p[n:], s.buf)
		s.buf = s.buf[c:]
		n += c
	}
	return len(p), nil
}

// CheapHash is an argon2id hash of password in the form secret.Hash
// writes, with the cheapest parameters secret.Check accepts, so that tests
// sign in quickly. The app never writes such a hash.
func CheapHash(tb testing.TB, password string) string {
	tb.Helper()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		tb.Fatal(err)
	}
	key := argon2.IDKey([]byte(password), salt, 1, 8, 1, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=8,t=1,p=1$%s$%s", argon2.Version, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// Store is an in-memory store that counts the methods it is asked to save
// and can be made to refuse saving or reading them. It keeps the secret
// slice AddMethod is given, as a store may: a caller that zeroes its slice
// afterwards destroys the stored secret, and a test sees it.
type Store struct {
	*memory.Store

	mu       sync.Mutex
	adds     int
	failAdd  error
	failRead error
	given    map[string][]byte
}

var _ info.Store = (*Store)(nil)

// NewStore returns an empty store with the named accounts in it (no
// passwords; see AddAccount).
func NewStore(tb testing.TB, accounts ...string) *Store {
	tb.Helper()
	s := &Store{Store: memory.New(), given: map[string][]byte{}}
	for _, name := range accounts {
		if err := s.CreateAccount(info.Account{Name: name}); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// AddAccount adds an account that signs in with password (CheapHash).
func (s *Store) AddAccount(tb testing.TB, name, password string) {
	tb.Helper()
	if err := s.CreateAccount(info.Account{Name: name, PasswordHash: CheapHash(tb, password)}); err != nil {
		tb.Fatal(err)
	}
}

// FailAdd makes AddMethod fail with err, saving nothing, until
// FailAdd(nil).
func (s *Store) FailAdd(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failAdd = err
}

// FailRead makes Secret fail with err until FailRead(nil).
func (s *Store) FailRead(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failRead = err
}

// Adds returns how many times AddMethod was called.
func (s *Store) Adds() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.adds
}

// AddMethod counts the call, fails if FailAdd says so, and saves m.
func (s *Store) AddMethod(account string, m info.Method, secret []byte) error {
	s.mu.Lock()
	s.adds++
	fail := s.failAdd
	s.mu.Unlock()
	if fail != nil {
		return fail
	}
	if err := s.Store.AddMethod(account, m, secret); err != nil {
		return err
	}
	if secret != nil {
		s.mu.Lock()
		s.given[info.AccountKey(account)+"/"+m.ID] = secret
		s.mu.Unlock()
	}
	return nil
}

// Secret fails if FailRead says so, else returns a copy of the slice
// AddMethod was given.
func (s *Store) Secret(account, id string) ([]byte, error) {
	s.mu.Lock()
	fail, given := s.failRead, s.given[info.AccountKey(account)+"/"+id]
	s.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	b, err := s.Store.Secret(account, id)
	if err != nil || given == nil {
		return b, err
	}
	return append([]byte(nil), given...), nil
}

// Phone is a method.Sender for tests: it keeps what it is sent, can fail,
// and can hold a send until released. It is safe for concurrent use.
type Phone struct {
	mu       sync.Mutex
	sent     []method.Message // delivered
	tried    []method.Message // every call, delivered or not
	attempts int
	fail     error
	deadline time.Duration
	block    chan struct{}
}

var _ method.Sender = (*Phone)(nil)

// Send records m; it waits for Block's channel (or ctx) if one is set,
// then fails with the error SetFail gave, if any.
func (p *Phone) Send(ctx context.Context, m method.Message) error {
	p.mu.Lock()
	p.attempts++
	p.tried = append(p.tried, m)
	if d, ok := ctx.Deadline(); ok {
		p.deadline = time.Until(d)
	}
	block, fail := p.block, p.fail
	p.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if fail != nil {
		return fail
	}
	p.mu.Lock()
	p.sent = append(p.sent, m)
	p.mu.Unlock()
	return nil
}

// SetFail makes every later Send fail with err (nil: succeed).
func (p *Phone) SetFail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fail = err
}

// Block makes later sends wait until release is closed.
func (p *Phone) Block(release chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.block = release
}

// Attempts returns how many sends were tried since ResetAttempts.
func (p *Phone) Attempts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.attempts
}

// ResetAttempts starts counting sends again from 0.
func (p *Phone) ResetAttempts() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.attempts = 0
}

// Deadline returns how long the last send's context had left.
func (p *Phone) Deadline() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.deadline
}

// Count returns how many messages were delivered.
func (p *Phone) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sent)
}

// Sent returns the messages delivered, oldest first.
func (p *Phone) Sent() []method.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]method.Message(nil), p.sent...)
}

// Last returns the last message delivered.
func (p *Phone) Last(tb testing.TB) method.Message {
	tb.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.sent) == 0 {
		tb.Fatal("nothing was sent")
	}
	return p.sent[len(p.sent)-1]
}

// LastCode reads the code out of the last message delivered, as a person
// would.
func (p *Phone) LastCode(tb testing.TB) string {
	tb.Helper()
	return CodeOf(tb, p.Last(tb))
}

// LastTried returns the code of the last message tried, delivered or not.
func (p *Phone) LastTried(tb testing.TB) string {
	tb.Helper()
	p.mu.Lock()
	if len(p.tried) == 0 {
		p.mu.Unlock()
		tb.Fatal("nothing was tried")
	}
	m := p.tried[len(p.tried)-1]
	p.mu.Unlock()
	return CodeOf(tb, m)
}

// codeRE finds a code in a text ("123456") or a call ("1, 2, 3, 4, 5, 6").
var codeRE = regexp.MustCompile(`(\d(, )?){6}`)

// CodeOf reads the code out of m.
func CodeOf(tb testing.TB, m method.Message) string {
	tb.Helper()
	c := codeRE.FindString(m.Text)
	if c == "" {
		tb.Fatalf("no code in %q", m.Text)
	}
	return strings.ReplaceAll(c, ", ", "")
}

package phone

import (
	"context"
	"errors"
	"io"
	"math/rand"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// t0 is the fixed time tests start from.
var t0 = time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)

// seeded returns a deterministic reader for randomness.
func seeded(seed int64) io.Reader { return rand.New(rand.NewSource(seed)) }

// clock is a settable fixed clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeSender records the messages it is given and fails while fail is set.
type fakeSender struct {
	mu       sync.Mutex
	sent     []method.Message // delivered
	tried    []method.Message // every call, delivered or not
	attempts int
	fail     error
	deadline time.Duration // deadline left on the last call's context
	block    chan struct{} // if set, Send waits for it or ctx
}

var errProvider = errors.New("provider said no")

func (f *fakeSender) Send(ctx context.Context, m method.Message) error {
	f.mu.Lock()
	f.attempts++
	f.tried = append(f.tried, m)
	if d, ok := ctx.Deadline(); ok {
		f.deadline = time.Until(d)
	}
	block, fail := f.block, f.fail
	f.mu.Unlock()
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
	f.mu.Lock()
	f.sent = append(f.sent, m)
	f.mu.Unlock()
	return nil
}

func (f *fakeSender) setFail(err error) {
	f.mu.Lock()
	f.fail = err
	f.mu.Unlock()
}

// last returns the last message delivered.
func (f *fakeSender) last(t *testing.T) method.Message {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sent) == 0 {
		t.Fatal("nothing was sent")
	}
	return f.sent[len(f.sent)-1]
}

func (f *fakeSender) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

var codeRE = regexp.MustCompile(`(\d(, )?){6}`)

// lastCode reads the code out of the last message delivered, as a person
// would.
func (f *fakeSender) lastCode(t *testing.T) string {
	t.Helper()
	return codeOf(t, f.last(t))
}

// lastTried returns the code of the last message attempted.
func (f *fakeSender) lastTried(t *testing.T) string {
	t.Helper()
	f.mu.Lock()
	m := f.tried[len(f.tried)-1]
	f.mu.Unlock()
	return codeOf(t, m)
}

// codeOf reads the code out of m.
func codeOf(t *testing.T, m method.Message) string {
	t.Helper()
	c := codeRE.FindString(m.Text)
	if c == "" {
		t.Fatalf("no code in %q", m.Text)
	}
	return strings.ReplaceAll(c, ", ", "")
}

// fakeDir is an in-memory info.Store holding methods only.
type fakeDir struct {
	// Store is nil: the fake answers only what a method setup asks.
	info.Store
	mu       sync.Mutex
	methods  map[string][]info.Method
	addCalls int
	secrets  int
	failAdd  error
}

func newFakeDir() *fakeDir { return &fakeDir{methods: map[string][]info.Method{}} }

var errFake = errors.New("fake failure")

func (d *fakeDir) CreateAccount(info.Account) error { return nil }
func (d *fakeDir) Account(name string) (info.Account, error) {
	return info.Account{Name: name}, nil
}
func (d *fakeDir) Accounts() ([]info.Account, error)                     { return nil, nil }
func (d *fakeDir) UpdateAccount(string, func(*info.Account) error) error { return nil }
func (d *fakeDir) CheckSecrets() error                                   { return nil }
func (d *fakeDir) Close() error                                          { return nil }
func (d *fakeDir) RemoveAllMethods(string) (int, error)                  { panic("unused") }
func (d *fakeDir) RemoveMethod(string, string) error                     { panic("unused") }
func (d *fakeDir) Secret(string, string) ([]byte, error)                 { panic("unused") }
func (d *fakeDir) UpdateMethod(string, string, func(*info.Method) error) error {
	panic("unused")
}

func (d *fakeDir) Methods(account string) ([]info.Method, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []info.Method
	for _, m := range d.methods[strings.ToLower(account)] {
		out = append(out, m)
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
	if secret != nil {
		d.secrets++
	}
	a := strings.ToLower(account)
	d.methods[a] = append(d.methods[a], m)
	return nil
}

var _ info.Store = (*fakeDir)(nil)

const testAccount = "alice@contoso.example"

// testNumber is a valid US number; testMasked is how it is shown.
const (
	testNumber = "(201) 555-0123"
	testE164   = "+12015550123"
	testMasked = "+1 ••• ••• 0123"
)

// env is a setup with its fakes.
type env struct {
	s     *Setup
	dir   *fakeDir
	send  *fakeSender
	clock *clock
}

// newEnv starts a setup with fakes, a fixed clock, seeded randomness, the
// US region and a limiter of its own.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{dir: newFakeDir(), send: &fakeSender{}, clock: newClock(t0)}
	e.s = e.start(t)
	return e
}

// start makes another setup in e's world.
func (e *env) start(t *testing.T) *Setup {
	t.Helper()
	ws, err := NewSetup(method.Context{
		Organisation: "Contoso",
		Account:      testAccount,
		Dir:          e.dir,
		Now:          e.clock.Now,
		Rand:         seeded(42),
		Send:         e.send,
	})
	if err != nil {
		t.Fatalf("NewSetup: %v", err)
	}
	s := ws.(*Setup)
	s.limiter = NewLimiter(MaxSendsPerHour, SendWindow)
	if err := s.SetRegion("US"); err != nil {
		t.Fatal(err)
	}
	return s
}

// toCode sends a text to testNumber.
func (e *env) toCode(t *testing.T) {
	t.Helper()
	if err := e.s.Send(testNumber, method.ChannelSMS); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if e.s.Screen() != ScreenCode {
		t.Fatalf("screen %s after Send", e.s.Screen())
	}
}

// wrong returns a 6-digit code other than code.
func wrong(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// stored returns the account's methods.
func (e *env) stored(t *testing.T) []info.Method {
	t.Helper()
	ms, err := e.dir.Methods(testAccount)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

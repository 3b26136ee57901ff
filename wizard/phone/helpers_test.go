package phone

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// t0 is the fixed time tests start from.
var t0 = time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)

// seeded returns deterministic randomness.
func seeded(seed int64) io.Reader { return testkit.Seeded(seed) }

// newClock returns a settable clock at t.
func newClock(t time.Time) *testkit.Clock { return testkit.NewClock(t) }

// codeOf reads the code out of m.
func codeOf(t *testing.T, m method.Message) string { return testkit.CodeOf(t, m) }

var (
	errFake     = errors.New("fake failure")
	errProvider = errors.New("provider said no")
)

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
	ctx   method.Context // what setups start with; Rand is seeded anew each time
	dir   *testkit.Store
	send  *testkit.Phone
	clock *testkit.Clock
}

// newEnv starts a setup with fakes, a fixed clock, seeded randomness, the
// US region and a limiter of its own.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{dir: testkit.NewStore(t, testAccount), send: &testkit.Phone{}, clock: newClock(t0)}
	e.ctx = method.Context{
		Organisation: "Contoso",
		Account:      testAccount,
		Dir:          e.dir,
		Now:          e.clock.Now,
		Send:         e.send,
	}
	e.s = e.start(t)
	return e
}

// start makes another setup in e's world.
func (e *env) start(t *testing.T) *Setup { t.Helper(); return e.startWith(t, e.ctx.Send) }

// startWith makes another setup in e's world that sends through send.
func (e *env) startWith(t *testing.T, send method.Sender) *Setup {
	t.Helper()
	ctx := e.ctx
	ctx.Rand, ctx.Send = seeded(42), send
	ws, err := NewSetup(ctx)
	if err != nil {
		t.Fatalf("NewSetup: %v", err)
	}
	s := ws.(*Setup)
	s.SetLimiter(NewLimiter(MaxSendsPerHour, SendWindow))
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

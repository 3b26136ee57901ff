package email

import (
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

var t0 = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)

const (
	testAccount = "alice@contoso.example"
	testTyped   = "  Alice.Smith+reset@Fabrikam.EXAMPLE "
	testAddr    = "Alice.Smith+reset@fabrikam.example"
	testMasked  = "A•••@fabrikam.example"
)

// env is a world for a Setup or Prover: a store with the account, a
// mailbox that keeps what it is sent, a settable clock and a limiter of
// its own.
type env struct {
	dir     *testkit.Store
	box     *testkit.Phone
	clock   *testkit.Clock
	limiter *Limiter
	cfg     Config
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{dir: testkit.NewStore(t, testAccount), box: &testkit.Phone{}, clock: testkit.NewClock(t0),
		limiter: NewLimiter(MaxSendsPerHour, SendWindow)}
	e.cfg = Config{RefuseDomains: []string{"contoso.example"}, Station: "kiosk-7", Limiter: e.limiter}
	return e
}

func (e *env) ctx(seed int64) method.Context {
	return method.Context{Account: testAccount, Organisation: "Contoso", Dir: e.dir, Now: e.clock.Now,
		Rand: testkit.Seeded(seed), Send: e.box}
}

// setup starts a registration.
func (e *env) setup(t *testing.T) *Setup {
	t.Helper()
	s, err := Factory(e.cfg)(e.ctx(42))
	if err != nil {
		t.Fatalf("Factory: %v", err)
	}
	return s.(*Setup)
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

// audit returns the account's audit entries' actions.
func (e *env) audit(t *testing.T) []info.AuditEntry {
	t.Helper()
	var out []info.AuditEntry
	if err := e.dir.EachAudit(testAccount, time.Time{}, func(a info.AuditEntry) error { out = append(out, a); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// wrong returns a 6-digit code other than code.
func wrong(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

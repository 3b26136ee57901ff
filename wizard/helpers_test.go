package wizard_test

import (
	"io"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// t0 is the fixed time every test starts at.
var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// newClock returns a settable clock at t.
func newClock(t time.Time) *testkit.Clock { return testkit.NewClock(t) }

// newStore returns an empty in-memory store.
func newStore(t *testing.T) *testkit.Store { return testkit.NewStore(t) }

// seeded is deterministic randomness for tests.
func seeded() io.Reader { return testkit.Seeded(1) }

// addAccount creates an account with a password (hashed cheaply).
func addAccount(t *testing.T, dir info.Store, name, pw string) {
	t.Helper()
	if err := dir.CreateAccount(info.Account{Name: name, PasswordHash: testkit.CheapHash(t, pw), Created: t0}); err != nil {
		t.Fatal(err)
	}
}

// fakeSetup is a method with two screens whose "test" always succeeds
// when Complete is called; it stores the method like a real one would.
type fakeSetup struct {
	ctx     wizard.SetupContext
	kind    info.Kind
	screen  int
	done    bool
	aborted bool
}

func (f *fakeSetup) Kind() info.Kind { return f.kind }
func (f *fakeSetup) Screen() string  { return []string{"first", "second", "done"}[f.screen] }
func (f *fakeSetup) Back() bool {
	if f.screen == 0 || f.done {
		return false
	}
	f.screen--
	return true
}
func (f *fakeSetup) CanBack() bool { return f.screen > 0 && !f.done }
func (f *fakeSetup) Done() bool    { return f.done }
func (f *fakeSetup) Abort()        { f.aborted = true }
func (f *fakeSetup) Next()         { f.screen = min(f.screen+1, 1) }
func (f *fakeSetup) Complete() error {
	err := f.ctx.Dir.AddMethod(f.ctx.Account, info.Method{
		ID: string(f.kind) + "-1", Kind: f.kind, Label: "fake " + string(f.kind), Created: f.ctx.Now(),
	}, nil)
	if err == nil {
		f.done, f.screen = true, 2
	}
	return err
}

// fakes builds setup factories for kinds, remembering every setup made.
func fakes(made *[]*fakeSetup, kinds ...info.Kind) map[info.Kind]wizard.SetupFactory {
	m := map[info.Kind]wizard.SetupFactory{}
	for _, k := range kinds {
		m[k] = func(ctx wizard.SetupContext) (wizard.Setup, error) {
			s := &fakeSetup{ctx: ctx, kind: k}
			*made = append(*made, s)
			return s, nil
		}
	}
	return m
}

// mustPolicy parses a policy or fails the test.
func mustPolicy(t *testing.T, text string) wizard.Policy {
	t.Helper()
	p, err := wizard.ParsePolicy("test.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

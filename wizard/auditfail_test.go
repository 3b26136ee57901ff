package wizard_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// errLogDown is the audit log refusing a write (a full disk, a directory
// that stopped answering).
var errLogDown = errors.New("audit log down")

// failingAudit is an audit hook that fails while down is set.
func failingAudit(down *atomic.Bool) func(actor, action, account, detail string) error {
	return func(actor, action, account, detail string) error {
		if down.Load() {
			return errLogDown
		}
		return nil
	}
}

// Nothing happens unrecorded: a sign-in whose entry can't be written is
// refused, a method whose entry can't be written is taken back, and the
// flow says why.
func TestFlow_ActionsThatCantBeRecordedDontHappen(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, "alice@contoso.example", "correct-horse")
	var down atomic.Bool
	var made []*fakeSetup
	c := newClock(t0)
	f := wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy), Dir: dir, Now: c.Now, Rand: seeded(),
		Setups: fakes(&made, app, phone), Audit: failingAudit(&down)})

	down.Store(true)
	if err := f.SignIn("alice@contoso.example", "correct-horse"); !errors.Is(err, wizard.ErrNotRecorded) || !errors.Is(err, errLogDown) {
		t.Fatalf("sign-in with the log down: %v, want ErrNotRecorded", err)
	}
	if f.Page() != wizard.PageSignIn || f.Account() != "" {
		t.Fatalf("an unrecorded sign-in reached %v as %q", f.Page(), f.Account())
	}

	down.Store(false)
	if err := f.SignIn("alice@contoso.example", "correct-horse"); err != nil {
		t.Fatal(err)
	}
	if err := f.Next(); err != nil {
		t.Fatal(err)
	}
	s, ok := f.Setup().(*fakeSetup)
	if !ok {
		t.Fatalf("setup is %T", f.Setup())
	}
	down.Store(true)
	if err := s.Complete(); !errors.Is(err, wizard.ErrNotRecorded) {
		t.Errorf("a method saved with the log down: %v, want ErrNotRecorded", err)
	}
	if ms, _ := dir.Methods("alice@contoso.example"); len(ms) != 0 {
		t.Errorf("an unrecorded method stayed: %+v", ms)
	}
	down.Store(false)
	if err := s.Complete(); err != nil {
		t.Fatalf("the same method once the log is back: %v", err)
	}
	if ms, _ := dir.Methods("alice@contoso.example"); len(ms) != 1 {
		t.Errorf("methods after a recorded save: %+v", ms)
	}
}

// A helpdesk pass whose issue can't be recorded is taken back; a removal
// that can't be undone fails, saying it was done.
func TestHelpdesk_ActionsThatCantBeRecorded(t *testing.T) {
	dir := newStore(t)
	f, _ := helpdesk(t, dir)
	var down atomic.Bool
	f2 := wizard.New(wizard.Config{Policy: f.Policy(), Dir: dir, Now: newClock(t0.Add(time.Minute)).Now, Rand: seeded(),
		Provers: map[info.Kind]method.ProverFactory{app: authapp.NewProver}, Audit: failingAudit(&down)})
	operatorSignIn(t, f2, t0.Add(time.Minute))
	down.Store(true)

	if p, err := f2.IssuePass("alice@contoso.example", time.Hour, false); !errors.Is(err, wizard.ErrNotRecorded) || p.Pass != "" {
		t.Errorf("IssuePass with the log down: %q %v, want ErrNotRecorded", p.Pass, err)
	}
	// Taken back by ending it (only while it is still the account's pass).
	if p, err := dir.GetPass("alice@contoso.example"); err == nil && p.Expires.After(t0.Add(time.Minute)) {
		t.Errorf("an unrecorded pass still works, until %v", p.Expires)
	}
	if err := f2.RemoveMethodOf("alice@contoso.example", info.Method{ID: "p1", Kind: phone}); !errors.Is(err, wizard.ErrDoneNotRecorded) {
		t.Errorf("RemoveMethodOf with the log down: %v, want ErrDoneNotRecorded", err)
	}
}

package email

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// registered is the account's email method, as stored.
var registered = info.Method{ID: "e1", Kind: info.KindEmail, Label: testMasked, Created: t0, Email: testAddr}

func (e *env) prover(t *testing.T, seed int64) *Prover {
	t.Helper()
	p, err := ProverFactory(e.cfg)(e.ctx(seed), registered)
	if err != nil {
		t.Fatal(err)
	}
	return p.(*Prover)
}

func (e *env) failures(t *testing.T) int {
	t.Helper()
	a, err := e.dir.Account(testAccount)
	if err != nil {
		t.Fatal(err)
	}
	return a.SecondFactorTries.Failures
}

func TestProver_ProvesOnceWithTheEmailedCode(t *testing.T) {
	e := newEnv(t)
	p := e.prover(t, 1)
	if p.Kind() != info.KindEmail || len(p.Fields()) != 1 || p.Prompt() != "We emailed a 6 digit code to "+testMasked+". Enter it below." {
		t.Fatalf("prover %v %q %q", p.Kind(), p.Fields(), p.Prompt())
	}
	if err := p.Check([]string{"123456"}); !errors.Is(err, ErrNotBegun) {
		t.Fatalf("Check before Begin: %v", err)
	}
	if err := p.Begin(); err != nil {
		t.Fatal(err)
	}
	m := e.box.Last(t)
	code := e.box.LastCode(t)
	if m.To != testAddr || m.Channel != method.ChannelEmail || strings.Contains(m.Subject, code) ||
		!strings.HasPrefix(m.Text, "Use verification code "+code+" to prove it's you and reset your Contoso password.") {
		t.Fatalf("sent %+v", m)
	}
	var wce *WrongCodeError
	// The flow counts checks on the account (wizard.Flow.Prove); a
	// Prover that counted too made each wrong code two failures.
	if err := p.Check([]string{wrong(code)}); !errors.As(err, &wce) || wce.Left != 4 || e.failures(t) != 0 {
		t.Fatalf("wrong code: %v, %d failures counted", err, e.failures(t))
	}
	if err := p.Check([]string{"12"}); !errors.Is(err, ErrCodeFormat) || e.failures(t) != 0 {
		t.Fatalf("not a code: %v, %d failures counted", err, e.failures(t))
	}
	if err := p.Check([]string{code}); err != nil {
		t.Fatal(err)
	}
	if err := p.Check([]string{code}); !errors.Is(err, ErrProven) {
		t.Errorf("the code twice: %v", err)
	}
	var actions []string
	for _, a := range e.audit(t) {
		actions = append(actions, a.Action)
		if strings.Contains(a.Detail, code) || a.Station != "kiosk-7" || a.Account != testAccount {
			t.Errorf("audit entry %+v", a)
		}
	}
	if strings.Join(actions, " ") != "email-code-sent email-code-refused email-code-used" {
		t.Errorf("audited %v", actions)
	}
}

func TestProver_RegulatedOnTheAccount(t *testing.T) {
	e := newEnv(t)
	p := e.prover(t, 1)
	if err := p.Begin(); err != nil {
		t.Fatal(err)
	}
	code := e.box.LastCode(t)
	// Three second-factor failures elsewhere (authenticator codes, say):
	// the next try waits.
	for i := 0; i < 3; i++ {
		if err := regulation.RecordFactor(e.dir, testAccount, regulation.SecondFactor, false, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var we *regulation.WaitError
	if err := p.Check([]string{code}); !errors.As(err, &we) || p.code.Left() != MaxAttempts || e.failures(t) != 3 {
		t.Fatalf("during the back-off: %v", err)
	}
	e.clock.Add(regulation.Backoff(3))
	if err := p.Check([]string{code}); err != nil {
		t.Fatalf("after the back-off: %v", err)
	}
	// Five wrong codes end a code.
	e = newEnv(t)
	p = e.prover(t, 2)
	if err := p.Begin(); err != nil {
		t.Fatal(err)
	}
	code = e.box.LastCode(t)
	for i := 0; i < MaxAttempts; i++ {
		e.clock.Add(regulation.Backoff(i)) // past the back-off
		err := p.Check([]string{wrong(code)})
		if want := ErrWrongCode; i == MaxAttempts-1 {
			want = ErrCodeUsedUp
			if !errors.Is(err, want) {
				t.Fatalf("wrong code %d: %v", i+1, err)
			}
		} else if !errors.Is(err, want) {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	e.clock.Add(regulation.Backoff(MaxAttempts))
	if err := p.Check([]string{code}); !errors.Is(err, ErrCodeUsedUp) || e.failures(t) != 0 {
		t.Fatalf("the right code after five wrong: %v, %d failures", err, e.failures(t))
	}
}

// A newer code, from any Prover, replaces the older; the cooldown and cap
// are the registration's, shared.
func TestProver_NewerCodeReplacesAndWaitsApply(t *testing.T) {
	e := newEnv(t)
	old := e.prover(t, 1)
	if err := old.Begin(); err != nil {
		t.Fatal(err)
	}
	oldCode := e.box.LastCode(t)
	fresh := e.prover(t, 2)
	if err := fresh.Begin(); !errors.Is(err, ErrCooldown) {
		t.Fatalf("a second code at once: %v", err)
	}
	e.clock.Add(FirstCooldown)
	if err := fresh.Begin(); err != nil {
		t.Fatal(err)
	}
	if err := old.Check([]string{oldCode}); !errors.Is(err, ErrReplaced) {
		t.Errorf("the replaced code: %v", err)
	}
	if err := fresh.Check([]string{e.box.LastCode(t)}); err != nil {
		t.Errorf("the newest code: %v", err)
	}
	// A registration's Setup waits on the same count.
	if err := e.setup(t).Send(testAddr); !errors.Is(err, ErrCooldown) {
		t.Errorf("a registration code right after: %v", err)
	}
}

func TestProver_RefusesOtherMethodsAndAbort(t *testing.T) {
	e := newEnv(t)
	if _, err := ProverFactory(e.cfg)(e.ctx(1), info.Method{ID: "p1", Kind: info.KindPhone, Phone: "+12015550123"}); !errors.Is(err, ErrNotEmail) {
		t.Errorf("a phone: %v", err)
	}
	ctx := e.ctx(1)
	ctx.Send = nil
	if _, err := ProverFactory(e.cfg)(ctx, registered); !errors.Is(err, ErrNoDelivery) {
		t.Errorf("no sender: %v", err)
	}
	p := e.prover(t, 3)
	if err := p.Begin(); err != nil {
		t.Fatal(err)
	}
	key, code := p.key, p.code
	p.Abort()
	if !allZero(key) || !code.Zeroed() {
		t.Error("Abort left the key or the code's hash")
	}
	if err := p.Check([]string{e.box.LastCode(t)}); !errors.Is(err, ErrAborted) {
		t.Errorf("Check after Abort: %v", err)
	}
}

// Abort during a slow send returns at once, and the send keeps nothing.
func TestProver_AbortWhileSending(t *testing.T) {
	e := newEnv(t)
	p := e.prover(t, 4)
	release := make(chan struct{})
	defer close(release)
	e.box.Block(release)
	done := make(chan error, 1)
	go func() { done <- p.Begin() }()
	for i := 0; e.box.Attempts() == 0; i++ {
		if i > 5000 {
			t.Fatal("the sender was never called")
		}
		time.Sleep(time.Millisecond)
	}
	if err := p.Check([]string{"123456"}); !errors.Is(err, ErrBusy) {
		t.Errorf("Check while sending: %v", err)
	}
	p.Abort() // cancels the send's context
	if err := <-done; !errors.Is(err, ErrAborted) || p.code != nil {
		t.Fatalf("Begin aborted: %v", err)
	}
}

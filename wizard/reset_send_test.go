package wizard_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	phonemethod "github.com/securityinfo/securityinfo/wizard/phone"
)

// gateway is a Sender that says when a send starts and holds it until
// released, as a slow SMS gateway does.
type gateway struct {
	started chan method.Message
	release chan struct{}
}

func newGateway() *gateway {
	return &gateway{started: make(chan method.Message, 8), release: make(chan struct{})}
}

func (g *gateway) Send(ctx context.Context, m method.Message) error {
	g.started <- m
	select {
	case <-g.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// auditLog keeps what a flow audits; Audit may be called from any
// goroutine.
type auditLog struct {
	mu      sync.Mutex
	entries []string
}

func (l *auditLog) add(actor, action, account, detail string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, action+" "+account+" "+detail)
	return nil
}

func (l *auditLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.entries...)
}

// gatedReset is newResetRig (alice with an app and a phone, bob with
// nothing) on a flow whose codes go through send.
func gatedReset(t *testing.T, send wizard.Sender) (*useRig, *auditLog) {
	t.Helper()
	r, _ := newResetRig(t, "app", "phone")
	audit := &auditLog{}
	r.flow = wizard.New(wizard.Config{
		Policy: mustPolicy(t, usePolicy), Dir: r.dir, Now: r.c.Now, Rand: seeded(), Send: send,
		Provers: map[info.Kind]method.ProverFactory{
			info.KindAuthenticatorApp: authapp.NewProver,
			info.KindPhone:            phonemethod.NewProver,
		},
		Audit: audit.add,
	})
	return r, audit
}

// "Send a code to my phone" at a reset shows the code page while the
// gateway is still sending, for a real phone as for a name without one
// (review: StartProof waited for the gateway for a real phone only, so a
// kiosk showed which names have one); a code typed before the send ends
// is checked once it has.
func TestReset_CodePageDoesNotWaitForTheGateway(t *testing.T) {
	g := newGateway()
	r, _ := gatedReset(t, g)
	var challenges []wizard.Challenge
	for _, name := range []string{mallory, bob} {
		nextReset(t, r, name)
		ch, err := r.flow.StartProof(r.option(info.KindPhone))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		challenges = append(challenges, ch)
		wizard.WaitForSends(r.flow)
	}

	nextReset(t, r, alice)
	// Nothing releases the gateway until StartProof has returned: had
	// it waited for the send, it would return only at the send's
	// timeout, with no code sent.
	ch, err := r.flow.StartProof(r.option(info.KindPhone))
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range challenges {
		if ch.Prompt != other.Prompt || strings.Join(ch.Fields, ",") != strings.Join(other.Fields, ",") {
			t.Errorf("alice's code page %+v, a name without a phone's %+v", ch, other)
		}
	}
	m := <-g.started // the send has begun, and is held
	if m.To != "+12015550123" {
		t.Fatalf("sent to %q", m.To)
	}
	code := testkit.CodeOf(t, m)
	proved := make(chan error, 1)
	go func() { proved <- r.flow.Prove([]string{code}) }()
	close(g.release)
	if err := <-proved; err != nil {
		t.Fatalf("the code, typed while it was being sent: %v", err)
	}
	if r.flow.ResetStage() != wizard.ResetPassword {
		t.Fatalf("stage %s", r.flow.ResetStage())
	}
}

// A send that fails is audited, never shown, as before it ran in the
// background: the code page is a name without a phone's, and what is
// typed fails as a wrong code does.
func TestReset_FailedBackgroundSendIsAudited(t *testing.T) {
	r, audit := gatedReset(t, failing{})
	resetTo(t, r, alice)
	if _, err := r.flow.StartProof(r.option(info.KindPhone)); err != nil {
		t.Fatalf("a failed send reached the person: %v", err)
	}
	wizard.WaitForSends(r.flow)
	if got := audit.list(); len(got) != 1 || !strings.HasPrefix(got[0], info.ActionSecondFactorFailed+" "+alice+" phone for a password reset: not sent: ") {
		t.Fatalf("audit %q", got)
	}
	if err := r.flow.Prove([]string{"123456"}); err != wizard.ErrResetProofFailed {
		t.Fatalf("a code with none sent: %v", err)
	}
}

// failing is a gateway that is down.
type failing struct{}

func (failing) Send(context.Context, method.Message) error {
	return errors.New("the SMS gateway is down")
}

// A reset abandoned while its code is still being sent (Cancel, a kiosk
// wipe) ends at once, without waiting for the gateway; once the send
// ends, its code proves nothing, not even to a check that was waiting
// for it, and nothing is counted or audited as proved.
func TestReset_WipeWhileSendingLeavesNothing(t *testing.T) {
	for _, end := range []string{"cancel", "wipe"} {
		t.Run(end, func(t *testing.T) {
			g := newGateway()
			r, audit := gatedReset(t, g)
			resetTo(t, r, alice)
			if _, err := r.flow.StartProof(r.option(info.KindPhone)); err != nil {
				t.Fatal(err)
			}
			code := testkit.CodeOf(t, <-g.started)
			proved := make(chan error, 1)
			go func() { proved <- r.flow.Prove([]string{code}) }()
			if end == "wipe" {
				r.flow.Wipe()()
			} else if err := r.flow.Back(); err != nil {
				t.Fatal(err)
			}
			if r.flow.Page() != wizard.PageSignIn || r.flow.ResetStage() != "" {
				t.Fatalf("after the %s: page %s, stage %q", end, r.flow.Page(), r.flow.ResetStage())
			}
			close(g.release)
			wizard.WaitForSends(r.flow)
			if err := <-proved; err == nil {
				t.Fatal("the abandoned reset's code proved the person")
			}
			for _, a := range audit.list() {
				if strings.HasPrefix(a, info.ActionSecondFactor+" ") {
					t.Errorf("audited %q", a)
				}
			}
			if a, _ := r.dir.Account(alice); a.Failures != 0 || a.SecondFactorTries.Failures != 0 {
				t.Errorf("%d password and %d second-factor failures counted", a.Failures, a.SecondFactorTries.Failures)
			}
			// A new reset starts afresh: the old code is not the new one's.
			r.c.Add(phonemethod.MaxCooldown)
			resetTo(t, r, alice)
			if err := r.flow.Prove([]string{code}); !errors.Is(err, wizard.ErrProofNotStarted) {
				t.Fatalf("the old code in a new reset: %v", err)
			}
		})
	}
}

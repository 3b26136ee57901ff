package securitykey

import (
	"errors"
	"sync/atomic"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// Prover proves a person with one of their registered security keys
// (Verifier: a fresh challenge signed by the key, the counter checked);
// it is a method.Prover.
type Prover struct {
	v       *Verifier
	account string
	// askPIN is set once a key asked for its PIN though the policy
	// doesn't (a key with alwaysUv): from then on Fields has it.
	askPIN atomic.Bool
	// standIn marks the stand-in a password reset uses for a name with
	// no key (Verifier.standIn).
	standIn bool
}

var _ method.Prover = (*Prover)(nil)

// ProverFactory returns the method.ProverFactory for security keys under
// cfg. Given a method with no credential (info.Method{Kind:
// info.KindSecurityKey}), it makes the stand-in a password reset asks for
// a name with no key: it asks the key plugged in as the real Prover does,
// and fails as it does for a key that isn't the account's.
func ProverFactory(cfg Config) method.ProverFactory {
	return func(ctx method.Context, m info.Method) (method.Prover, error) {
		return &Prover{account: ctx.Account, standIn: len(m.CredentialID) == 0,
			v: &Verifier{Policy: cfg.Policy, Open: cfg.Open, Dir: ctx.Dir, Now: ctx.Now, Rand: ctx.Rand, Station: cfg.Station}}, nil
	}
}

// Kind is info.KindSecurityKey.
func (p *Prover) Kind() info.Kind { return info.KindSecurityKey }

// Begin has nothing to do before the key is asked.
func (p *Prover) Begin() error { return nil }

// Prompt says what to do with the key.
func (p *Prover) Prompt() string {
	return "Insert your security key, choose Verify and touch the key when it blinks."
}

// Fields asks for the key's PIN when the policy wants it every time, or
// once the key asked for it.
func (p *Prover) Fields() []string {
	if p.v.NeedsPIN() || p.askPIN.Load() {
		return []string{"Security key PIN"}
	}
	return nil
}

// Check asks the key (Verifier.Verify); it waits for the touch.
func (p *Prover) Check(answers []string) error {
	pin := ""
	if len(answers) > 0 {
		pin = answers[0]
	}
	if p.standIn {
		return p.v.standIn(p.account, pin)
	}
	_, err := p.v.Verify(p.account, pin)
	if errors.Is(err, ErrPINNeeded) {
		p.askPIN.Store(true)
	}
	return err
}

// Abort stops waiting for a touch.
func (p *Prover) Abort() { p.v.Cancel() }

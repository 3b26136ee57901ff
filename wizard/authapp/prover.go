package authapp

import (
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// Prover proves a person with a code from one of their registered
// authenticator apps; it is a method.Prover. The code must be right for
// that app's key (current step ±1) and later than the last code the app
// gave (persisted: each code once only, also across stations).
type Prover struct {
	ctx method.Context
	m   info.Method
}

var _ method.Prover = (*Prover)(nil)

// NewProver is a method.ProverFactory for authenticator apps.
func NewProver(ctx method.Context, m info.Method) (method.Prover, error) {
	if ctx.Now == nil {
		ctx.Now = time.Now
	}
	return &Prover{ctx: ctx, m: m}, nil
}

// Kind is info.KindAuthenticatorApp.
func (p *Prover) Kind() info.Kind { return info.KindAuthenticatorApp }

// Begin has nothing to send: the app shows the code.
func (p *Prover) Begin() error { return nil }

// Prompt asks for the app's code.
func (p *Prover) Prompt() string {
	if p.m.Label == DefaultDeviceName {
		return "Enter the code from your authenticator app."
	}
	return "Enter the code from your authenticator app (" + p.m.Label + ")."
}

// Fields asks for one code.
func (p *Prover) Fields() []string { return []string{"Code"} }

// Check verifies the code against the app's key and records its step.
// Errors: ErrCodeFormat, ErrWrongCode, ErrReplayed, a *ClockSkewError, or
// a wrapped error from reading the key.
func (p *Prover) Check(answers []string) error {
	if len(answers) != 1 {
		return ErrCodeFormat
	}
	code, ok := secret.NormaliseCode(answers[0], Digits)
	if !ok {
		return ErrCodeFormat
	}
	// Read the method again: its last step may have moved on.
	ms, err := p.ctx.Dir.Methods(p.ctx.Account)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID == p.m.ID {
			step, err := checkOne(p.ctx.Dir, p.ctx.Account, m, code, p.ctx.Now())
			if err != nil {
				return err
			}
			return persistStep(p.ctx.Dir, p.ctx.Account, m.ID, step)
		}
	}
	return ErrWrongCode
}

// Abort does nothing: the Prover holds no secret.
func (p *Prover) Abort() {}

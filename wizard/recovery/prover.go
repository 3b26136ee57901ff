package recovery

import (
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// Prover proves a person with one of their recovery codes; it is a
// method.Prover. Any unused code of the account will do, whichever of
// the set's methods it was made for.
type Prover struct {
	ctx method.Context
}

var _ method.Prover = (*Prover)(nil)

// NewProver is a method.ProverFactory for recovery codes.
func NewProver(ctx method.Context, m info.Method) (method.Prover, error) {
	return &Prover{ctx: ctx}, nil
}

// Kind is info.KindRecoveryCodes.
func (p *Prover) Kind() info.Kind { return info.KindRecoveryCodes }

// Begin has nothing to do: the person has the codes.
func (p *Prover) Begin() error { return nil }

// Prompt asks for a code.
func (p *Prover) Prompt() string {
	return "Enter one of your recovery codes. Each code works once."
}

// Fields asks for one code.
func (p *Prover) Fields() []string { return []string{"Recovery code"} }

// Check uses the code typed (Use).
func (p *Prover) Check(answers []string) error {
	if len(answers) != 1 {
		return ErrCodeFormat
	}
	return Use(p.ctx.Dir, p.ctx.Account, answers[0])
}

// Abort does nothing: a Prover of recovery codes holds nothing.
func (p *Prover) Abort() {}

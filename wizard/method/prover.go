package method

import "github.com/securityinfo/securityinfo/wizard/info"

// Prover proves, with one method the person registered, that whoever is
// at the station holds it: a code from the authenticator app or sent to
// the phone or email address, answers to security questions, a recovery
// code, a security key. Signing in with a second factor, stepping up
// before a change and resetting a forgotten password all ask through it,
// so every kind of method proves the same way everywhere. Each Check
// applies the method's own rules (single use, attempts, back-off) and
// audits what happened; a Prover is used once.
type Prover interface {
	// Kind is the kind of method it proves with.
	Kind() info.Kind
	// Begin starts a proof: sends a code, draws the questions, asks the
	// key. It may be slow: call it off the UI thread.
	Begin() error
	// Prompt is what the person is told once Begin has succeeded
	// ("We texted a code to +1 ••• ••• 0123.").
	Prompt() string
	// Fields label the answers asked for, in order: one ("Code") for a
	// code, one per drawn question, none for a security key.
	Fields() []string
	// Check takes the answers, in the order of Fields: nil when they
	// prove the method. It may be slow: call it off the UI thread.
	Check(answers []string) error
	// Abort discards anything pending (zeroing what it holds).
	Abort()
}

// ProverFactory makes a Prover for one of the account's registered
// methods (ctx.Account); an error says this method can't prove now.
type ProverFactory func(ctx Context, m info.Method) (Prover, error)

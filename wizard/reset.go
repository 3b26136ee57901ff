package wizard

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/newpassword"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/tap"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// ResetStage is where a self-service password reset is.
type ResetStage string

// The stages of a password reset, in order.
const (
	ResetAccount  ResetStage = "account"  // which account
	ResetProve    ResetStage = "prove"    // prove it's you with a method (or two)
	ResetPassword ResetStage = "password" // choose a new password
	ResetHelpdesk ResetStage = "helpdesk" // too few methods registered for a reset
	ResetDone     ResetStage = "done"     // the password is changed
)

// Errors of a password reset, checked with errors.Is.
var (
	// ErrResetProofFailed is every failed proof at a reset, whatever the
	// reason, so that an account that doesn't exist, or lacks the method,
	// fails the same way as a wrong code.
	ErrResetProofFailed = words.New("that didn't prove it's you",
		"That didn't work. Check what you entered and try again, or choose another way to confirm it's you.")
	// ErrNoAccountName means the account field was empty.
	ErrNoAccountName = words.New("enter the account name",
		"Enter your account name, for example someone@example.com.")
)

// resetState is a password reset in progress.
type resetState struct {
	stage  ResetStage
	name   string // as typed, or as stored when the account exists
	known  bool   // the account exists
	proved []info.Kind
}

// OpenReset starts "Forgot my password?" from the sign-in page.
func (f *Flow) OpenReset() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.page != PageSignIn {
		return ErrNotNow
	}
	f.rs = &resetState{stage: ResetAccount}
	f.page = PageReset
	return nil
}

// ResetStage returns where the password reset is; "" outside one.
func (f *Flow) ResetStage() ResetStage {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rs == nil || f.page != PageReset {
		return ""
	}
	return f.rs.stage
}

// ResetProgress says how many methods were proved and how many a reset
// needs.
func (f *Flow) ResetProgress() (proved, needed int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rs != nil {
		proved = len(f.rs.proved)
	}
	return proved, f.cfg.Policy.ResetMethods
}

// ResetFor names the account being reset, as the person typed it.
func (f *Flow) ResetFor() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rs == nil {
		return ""
	}
	return f.rs.name
}

// ResetName takes the account to reset and moves on to proving it's
// the person's, whether or not the account exists: an unknown name walks
// the same pages and fails the same way. It reads storage.
func (f *Flow) ResetName(name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return ErrNoAccountName
	}
	f.mu.Lock()
	gen := f.gen
	if f.rs == nil || f.page != PageReset || f.rs.stage != ResetAccount {
		f.mu.Unlock()
		return ErrNotNow
	}
	f.mu.Unlock()
	known := true
	acct, err := f.cfg.Dir.Account(name)
	switch {
	case errors.Is(err, info.ErrNoAccount):
		known = false
	case err != nil:
		return fmt.Errorf("reading the account: %w", err)
	default:
		name = acct.Name
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != gen || f.rs == nil || f.rs.stage != ResetAccount {
		return ErrNotNow
	}
	f.rs.name, f.rs.known, f.rs.stage = name, known, ResetProve
	f.proof = &proof{purpose: proveReset, account: name, known: known}
	return nil
}

// resetOptions lists the kinds of method a reset may be proved with: the
// policy's, that prove a person here and count for a reset, less those
// already proved. They are the same for every account.
func (f *Flow) resetOptions() ([]ProofOption, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rs == nil || f.rs.stage != ResetProve {
		return nil, ErrNotNow
	}
	var out []ProofOption
	for _, k := range f.cfg.Policy.Allowed {
		if f.offeredAtReset(k) {
			out = append(out, ProofOption{Kind: k, Title: resetTitle(k)})
		}
	}
	return out, nil
}

// offeredAtReset reports whether the reset in progress offers kind k: the
// policy allows it, it can prove a person at a reset, the station has its
// Prover, and it hasn't proved the person yet (reset_methods counts
// different methods). f.mu is held.
func (f *Flow) offeredAtReset(k info.Kind) bool {
	return containsKind(f.cfg.Policy.Allowed, k) && f.cfg.Provers[k] != nil && Describe(k).Reset &&
		!containsKind(f.rs.proved, k)
}

// resetTitle offers a kind of method at a reset, naming nothing of the
// account's.
func resetTitle(k info.Kind) string {
	switch k {
	case info.KindAuthenticatorApp:
		return "Enter a code from my authenticator app"
	case info.KindPhone:
		return "Send a code to my phone"
	case info.KindEmail:
		return "Email a code to me"
	case info.KindSecurityQuestions:
		return "Answer my security questions"
	case info.KindSecurityKey:
		return "Use my security key"
	case info.KindRecoveryCodes:
		return "Enter a recovery code"
	}
	return Describe(k).Title
}

// resetPrompt is what a reset asks for k, the same whether or not the
// account has such a method.
func resetPrompt(k info.Kind) string {
	switch k {
	case info.KindAuthenticatorApp:
		return "Enter the code from your authenticator app."
	case info.KindPhone:
		return "If a phone is registered for this account, we've sent a code to it. Enter it below."
	case info.KindEmail:
		return "If an email address is registered for this account, we've sent a code to it. Enter it below."
	case info.KindRecoveryCodes:
		return "Enter one of your recovery codes. Each code works once."
	case info.KindSecurityKey:
		return "Insert your security key, choose Verify and touch the key when it blinks."
	}
	return "Answer to confirm it's you."
}

// resetFields are the answers a reset asks for k, the same whether or
// not the account has such a method; nil means the Prover's own.
func resetFields(k info.Kind) []string {
	switch k {
	case info.KindAuthenticatorApp, info.KindPhone, info.KindEmail:
		return []string{"Code"}
	case info.KindRecoveryCodes:
		return []string{"Recovery code"}
	}
	return nil
}

// resetChallenge is what a reset shows for k.
func (f *Flow) resetChallenge(k info.Kind, p method.Prover) Challenge {
	fields := resetFields(k)
	if fields == nil {
		fields = p.Fields()
	}
	return Challenge{Kind: k, Prompt: resetPrompt(k), Fields: fields}
}

// resetProver makes the Prover a reset checks kind with: one over the
// account's methods of that kind, or a decoy that fails as a wrong answer
// does when the account or the method isn't there.
func (f *Flow) resetProver(account string, known bool, kind info.Kind) (method.Prover, error) {
	factory := f.cfg.Provers[kind]
	if factory == nil || !Describe(kind).Reset {
		return nil, ErrNoProver
	}
	if known {
		ms, err := f.cfg.Dir.Methods(account)
		if err != nil {
			return nil, fmt.Errorf("reading security info: %w", err)
		}
		var ps anyProver
		for _, m := range ms {
			if m.Kind != kind {
				continue
			}
			p, err := factory(f.proverContext(account), m)
			if err != nil {
				continue
			}
			ps = append(ps, p)
			if kind == info.KindRecoveryCodes || kind == info.KindSecurityKey {
				break // one Prover checks every code, every key
			}
		}
		if len(ps) == 1 {
			return ps[0], nil
		}
		if len(ps) > 1 {
			return ps, nil
		}
	}
	if kind == info.KindSecurityQuestions || kind == info.KindSecurityKey {
		// Their own stand-ins: security questions asks shipped questions,
		// as many as an account is asked, and checks them as slowly; a
		// security key asks the key plugged in, as a real account's check
		// does, so that "no key found" (not counted) and a key that isn't
		// the account's (counted) read and count alike.
		if p, err := factory(f.proverContext(account), info.Method{Kind: kind}); err == nil {
			return p, nil
		}
	}
	return &decoy{kind: kind}, nil
}

// anyProver proves with any of several methods of one kind (two
// authenticator apps): the first that accepts the answers.
type anyProver []method.Prover

func (a anyProver) Kind() info.Kind { return a[0].Kind() }
func (a anyProver) Prompt() string  { return a[0].Prompt() }
func (a anyProver) Fields() []string {
	return a[0].Fields()
}

func (a anyProver) Begin() error {
	for _, p := range a {
		if err := p.Begin(); err != nil {
			return err
		}
	}
	return nil
}

func (a anyProver) Check(answers []string) error {
	var first error
	for _, p := range a {
		err := p.Check(answers)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	return first
}

func (a anyProver) Abort() {
	for _, p := range a {
		p.Abort()
	}
}

// decoy stands for a method an account doesn't have (or an account that
// doesn't exist) at a reset: it asks what the real one would and fails
// every check, doing the work a real check of a wrong answer does and
// failing as it would (decoyCheck).
type decoy struct {
	kind info.Kind
	work decoyWork
}

func (d *decoy) Kind() info.Kind  { return d.kind }
func (d *decoy) Begin() error     { return d.work.begin() }
func (d *decoy) Prompt() string   { return resetPrompt(d.kind) }
func (d *decoy) Fields() []string { return resetFields(d.kind) }
func (d *decoy) Abort()           { d.work.abort() }

func (d *decoy) Check(answers []string) error { return d.work.check(d.kind, answers) }

// errDecoy is a decoy's failure; the person reads ErrResetProofFailed.
var errDecoy = errors.New("no such method for this account")

// resetFailure is what the person reads of a failed proof at a reset: a
// wait or a lock as they are, anything else ErrResetProofFailed alone.
// The cause (audited by Prove) is not wrapped: a host looking for a typed
// error in it (a wrong code's tries left, an app's clock skew) would find
// one for a real method and none for a decoy.
func resetFailure(err error) error {
	var w *regulation.WaitError
	if errors.As(err, &w) || errors.Is(err, regulation.ErrLocked) {
		return err
	}
	return ErrResetProofFailed
}

// resetProved moves a reset on after kind proved the person: to the new
// password once enough methods did, else to another proof, or to the
// helpdesk when the account has no other method to prove with. f.mu is
// held.
func (f *Flow) resetProved(kind info.Kind) error {
	rs := f.rs
	if rs == nil {
		return ErrNotNow
	}
	rs.proved = append(rs.proved, kind)
	if len(rs.proved) >= f.cfg.Policy.ResetMethods {
		rs.stage = ResetPassword
		f.proof = nil
		return nil
	}
	// The person proved a method of this account: what it has may now
	// be told.
	ms, err := f.cfg.Dir.Methods(rs.name)
	if err != nil {
		return fmt.Errorf("reading security info: %w", err)
	}
	for _, m := range ms {
		if containsKind(f.cfg.Policy.Allowed, m.Kind) && Describe(m.Kind).Reset && f.cfg.Provers[m.Kind] != nil && !containsKind(rs.proved, m.Kind) {
			f.proof = &proof{purpose: proveReset, account: rs.name, known: rs.known}
			return nil
		}
	}
	rs.stage = ResetHelpdesk
	f.proof = nil
	f.auditFailure("", info.ActionSecondFactorFailed, rs.name, "password reset: too few methods registered")
	return nil
}

// SetNewPassword sets the account's new password after the reset's
// proofs: typed twice, newpassword's rule with the policy's minimum, then
// the store (the directory's password policy may refuse it: its reason in
// plain words). An account the counts lock, or an administrator disabled
// (Account.Disabled), is refused with ErrLocked and keeps its password.
// The password's failure count and the directory's lock
// are cleared, and no other count: the reset proved the person's methods
// and replaced the password, but nothing of the app passwords, whose
// wrong guesses at a mail server stay counted; the second factor's count
// was cleared already by each proof that succeeded (regulation), and its
// failures since, if any, are not proved away. Any Temporary Access Pass
// is revoked and the reset audited. It is slow on purpose (argon2id, or the
// directory): call it off the UI thread.
func (f *Flow) SetNewPassword(password, again string) error {
	f.mu.Lock()
	rs, gen := f.rs, f.gen
	if rs == nil || f.page != PageReset || rs.stage != ResetPassword {
		f.mu.Unlock()
		return ErrNotNow
	}
	name := rs.name
	f.mu.Unlock()
	if subtle.ConstantTimeCompare([]byte(password), []byte(again)) != 1 {
		return newpassword.ErrMismatch
	}
	if err := newpassword.Check(password, f.cfg.Policy.MinPassword, name, f.cfg.Policy.Organisation); err != nil {
		return err
	}
	// The reset clears the password's count, not the others': an account
	// they lock (app passwords guessed at since the last proof) keeps its
	// password and its lock until the helpdesk unlocks it.
	acct, err := f.cfg.Dir.Account(name)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	acct.Failures = 0
	if regulation.Default.AccountLocked(acct) || acct.Disabled {
		// A new password set by the station would lift the directory's
		// lock (ppolicy drops pwdAccountLockedTime on a password change):
		// a reset never undoes an administrator's lock.
		return ErrLocked
	}
	if err := f.cfg.Dir.SetPassword(name, password); err != nil {
		var pr *info.PasswordRejectedError
		if errors.As(err, &pr) {
			return fmt.Errorf("%w: %w", rejectedWords(pr.Reason), err)
		}
		return fmt.Errorf("set the new password: %w", err)
	}
	detail := "with " + kindsText(rs.proved)
	if err := f.cfg.Dir.ClearPasswordFailures(name); err != nil {
		detail += "; failed sign-ins not cleared: " + err.Error()
	}
	if err := tap.Revoke(f.cfg.Dir, name); err != nil && !errors.Is(err, tap.ErrNoPass) {
		detail += "; Temporary Access Pass not revoked: " + err.Error()
	} else if err == nil {
		if aerr := f.auditDone("", info.ActionTAPRevoked, name, "password reset"); aerr != nil {
			detail += "; the pass's revocation not recorded"
		}
	}
	aerr := f.auditDone("", info.ActionPasswordReset, name, detail)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen == gen && f.rs == rs {
		rs.stage = ResetDone
	}
	return aerr
}

// kindsText names kinds for the audit log.
func kindsText(ks []info.Kind) string {
	var s []string
	for _, k := range ks {
		s = append(s, string(k))
	}
	return strings.Join(s, " and ")
}

// rejectedWords says why the directory refused a new password.
func rejectedWords(reason string) error {
	switch reason {
	case "too-short":
		return words.New("the directory wants a longer password", "Your organisation's directory asks for a longer password. Choose a longer one.")
	case "in-history":
		return words.New("the password was used before", "You have used this password before. Choose one you haven't used.")
	case "too-young":
		return words.New("the password was changed too recently", "Your password was changed too recently to change it again. Try again later, or ask your helpdesk.")
	case "quality":
		return words.New("the directory refused the password's quality", "Your organisation's directory didn't accept this password. Choose a longer one, or one less like your old passwords.")
	}
	return words.New("the directory refused the password", "Your organisation's directory didn't accept this password. Choose another, or ask your helpdesk.")
}

package email

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/sentcode"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Audit actions of a Prover. Their details name the masked address, never
// a code.
const (
	ActionCodeSent    = "email-code-sent"
	ActionCodeUsed    = "email-code-used"
	ActionCodeRefused = "email-code-refused"
)

// Errors of a Prover, checked with errors.Is.
var (
	// ErrNotEmail means the method given is not a registered email
	// address (a host bug).
	ErrNotEmail = errors.New("not a registered email address")
	// ErrNotBegun means Check came before a successful Begin.
	ErrNotBegun = words.New("no code was sent yet", "No code was sent yet. Choose Send code first.")
	// ErrReplaced means a newer code was sent to the address since: only
	// the newest works.
	ErrReplaced = words.New("a newer code was sent to this address",
		"A newer code was sent to this address. Enter that one.")
	// ErrProven means the code was already used: a Prover proves once.
	ErrProven = errors.New("this code was already used")
)

// latest holds, for each account and address, the generation of the
// newest code a Prover sent: a new code makes every older one stop
// working, whichever Prover sent it.
var latest = struct {
	sync.Mutex
	next uint64
	gen  map[string]uint64
}{gen: map[string]uint64{}}

// Prover proves a person holds a registered email address, for a
// password reset only: Begin emails a fresh code (the registration's
// rules: 6 digits, 10 minutes, single use, 5 tries, the cooldown and the
// hourly cap on SharedLimiter), Check takes it. Every check waits out
// the account's back-off (regulation.Default) and is audited; the flow
// (wizard.Flow.Prove), not the Prover, counts it on the account.
// A Prover is safe for concurrent use.
type Prover struct {
	mu      sync.Mutex
	ctx     method.Context
	cfg     Config
	limiter *Limiter
	addr    Address
	key     []byte
	code    *sentcode.Sent
	ended   error
	gen     uint64
	proven  bool
	aborted bool
	sending bool
	cancel  context.CancelFunc // cancels the send in flight
}

var _ method.Prover = (*Prover)(nil)

// ProverFactory returns the method.ProverFactory for email addresses:
// ctx.Send delivers the code (ErrNoDelivery without one), cfg.Station
// names the station in the audit log.
func ProverFactory(cfg Config) method.ProverFactory {
	return func(ctx method.Context, m info.Method) (method.Prover, error) {
		if m.Kind != info.KindEmail || m.Email == "" {
			return nil, ErrNotEmail
		}
		a, err := ParseAddress(m.Email)
		if err != nil {
			return nil, fmt.Errorf("the registered address: %w", err)
		}
		if ctx.Dir == nil {
			return nil, errors.New("email prover: no directory")
		}
		if ctx.Send == nil {
			return nil, ErrNoDelivery
		}
		if ctx.Now == nil {
			ctx.Now = time.Now
		}
		if ctx.Rand == nil {
			ctx.Rand = rand.Reader
		}
		p := &Prover{ctx: ctx, cfg: cfg, limiter: cfg.limiter(), addr: a, key: make([]byte, 32)}
		if _, err := io.ReadFull(ctx.Rand, p.key); err != nil {
			return nil, fmt.Errorf("email prover: make a key: %w", err)
		}
		return p, nil
	}
}

// Kind returns info.KindEmail.
func (p *Prover) Kind() info.Kind { return info.KindEmail }

// Prompt says where the code went.
func (p *Prover) Prompt() string {
	return fmt.Sprintf("We emailed a %d digit code to %s. Enter it below.", CodeDigits, p.addr.Masked())
}

// Fields is one: the code.
func (p *Prover) Fields() []string { return []string{"Code"} }

// slot names the account's address in latest.
func (p *Prover) slot() string { return info.AccountKey(p.ctx.Account) + "\x00" + p.addr.Addr }

// Begin emails a new code; a code this Prover or any other sent before to
// the address stops working. It may block up to SendTimeout. Errors: a
// *CooldownError or *LimitError (nothing sent), a *SendError (nothing
// valid, no wait started), ErrAborted (also when Abort came while
// sending), ErrProven, ErrBusy (a Begin is sending).
func (p *Prover) Begin() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.aborted:
		return ErrAborted
	case p.proven:
		return ErrProven
	case p.sending:
		return ErrBusy
	}
	now := p.ctx.Now()
	code, err := sentcode.NewCode(p.ctx.Rand)
	if err != nil {
		return err
	}
	release, err := reserve(p.limiter, p.addr.Addr, p.ctx.Account, now)
	if err != nil {
		return err
	}
	p.discard(ErrNoCode)
	m := method.Message{To: p.addr.Addr, Channel: method.ChannelEmail, Subject: CodeSubject(p.ctx.Translate, p.ctx.Organisation),
		Text: ResetText(p.ctx.Translate, p.ctx.Organisation, code), Language: p.ctx.Translate.Language()}
	ctx, cancel := context.WithTimeout(context.Background(), SendTimeout)
	p.sending, p.cancel = true, cancel
	p.mu.Unlock() // Abort may come meanwhile: it cancels the send
	err = p.ctx.Send.Send(ctx, m)
	p.mu.Lock()
	cancel()
	p.sending, p.cancel = false, nil
	if p.aborted {
		if err != nil {
			release()
		}
		return ErrAborted
	}
	if err != nil {
		release()
		return sentcode.NewSendError(err, code)
	}
	latest.Lock()
	latest.next++
	p.gen = latest.next
	latest.gen[p.slot()] = p.gen
	latest.Unlock()
	p.code, p.ended = sentcode.NewSent(p.key, p.addr.Addr, method.ChannelEmail, code, now), nil
	p.ctx.AuditCheck(p.cfg.Station, ActionCodeSent, p.addr.Masked())
	return nil
}

// Check takes the code (answers[0]). nil proves the address, once. It
// returns, in the order checked: ErrAborted, ErrProven; the account's
// regulation (*regulation.WaitError, regulation.ErrLocked: nothing is
// checked or counted); ErrNotBegun, ErrNoCode, ErrCodeUsedUp,
// ErrCodeExpired or ErrReplaced when no code of this Prover is waiting;
// ErrCodeFormat (not counted); a *WrongCodeError with the tries left, or
// ErrCodeUsedUp on the last (each audited).
func (p *Prover) Check(answers []string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.aborted:
		return ErrAborted
	case p.proven:
		return ErrProven
	case p.sending:
		return ErrBusy
	}
	now := p.ctx.Now()
	acct, err := p.ctx.Dir.Account(p.ctx.Account)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	if err := regulation.Default.CheckAccount(acct, regulation.SecondFactor, now); err != nil {
		return err
	}
	if p.code == nil {
		if p.ended == nil {
			return ErrNotBegun
		}
		return p.ended
	}
	latest.Lock()
	current := latest.gen[p.slot()] == p.gen
	latest.Unlock()
	if !current {
		p.discard(ErrReplaced)
		return ErrReplaced
	}
	typed := ""
	if len(answers) == 1 {
		typed = answers[0]
	}
	used, err := p.code.Check(p.key, typed, now)
	switch {
	case errors.Is(err, ErrCodeFormat):
		return err
	case errors.Is(err, ErrCodeExpired):
		p.discard(err)
		return err
	case err != nil:
		if used {
			p.discard(err)
		}
		// Counted on the account by the flow (wizard.Flow.Prove), the
		// one place checks are counted: counting here too made each wrong
		// code two failures.
		p.ctx.AuditCheck(p.cfg.Station, ActionCodeRefused, p.addr.Masked()+": wrong code")
		return err
	}
	p.discard(ErrProven)
	p.proven = true
	p.ctx.AuditCheck(p.cfg.Station, ActionCodeUsed, p.addr.Masked())
	return nil
}

// discard zeroes and forgets the code waiting.
func (p *Prover) discard(why error) {
	if p.code != nil {
		p.code.Zero()
		p.code = nil
	}
	p.ended = why
}

// Abort discards the code and the key, zeroing both, and cancels a send
// in flight. It does not wait for the send.
func (p *Prover) Abort() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		p.cancel()
	}
	p.discard(ErrAborted)
	secret.Zero(p.key)
	p.aborted = true
	latest.Lock()
	if latest.gen[p.slot()] == p.gen {
		delete(latest.gen, p.slot())
	}
	latest.Unlock()
}

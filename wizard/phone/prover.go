package phone

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/sentcode"
)

// Prover proves a person with a code sent to their registered phone, by
// text or call as they registered it; it is a method.Prover. A code
// follows the registration's rules: 6 random digits kept only as a keyed
// hash, valid CodeLifetime, single use, MaxAttempts wrong entries end
// it; Begin again sends a new one (which replaces the old) after the
// resend wait, and every phone counts against SharedLimiter's hourly
// limit.
type Prover struct {
	ctx method.Context
	m   info.Method

	mu    sync.Mutex
	key   []byte
	code  *sentcode.Sent
	ended error
	sends []time.Time
}

var _ method.Prover = (*Prover)(nil)

// NewProver is a method.ProverFactory for phones. It fails with
// ErrNoDelivery when codes can't be sent.
func NewProver(ctx method.Context, m info.Method) (method.Prover, error) {
	if ctx.Send == nil {
		return nil, ErrNoDelivery
	}
	if ctx.Now == nil {
		ctx.Now = time.Now
	}
	if ctx.Rand == nil {
		ctx.Rand = rand.Reader
	}
	p := &Prover{ctx: ctx, m: m, key: make([]byte, 32), ended: ErrNoCode}
	if _, err := io.ReadFull(ctx.Rand, p.key); err != nil {
		return nil, fmt.Errorf("phone: make a key: %w", err)
	}
	return p, nil
}

// Kind is info.KindPhone.
func (p *Prover) Kind() info.Kind { return info.KindPhone }

// channel is how the phone gets its codes.
func (p *Prover) channel() method.Channel {
	if p.m.Channel == string(method.ChannelVoice) {
		return method.ChannelVoice
	}
	return method.ChannelSMS
}

// Begin sends a new code to the phone, replacing any sent before.
// Errors: a *CooldownError, a *LimitError, a *SendError. It waits up to
// SendTimeout for the Sender: call it off the UI thread.
func (p *Prover) Begin() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.ctx.Now()
	number := p.m.Phone
	if n := len(p.sends); n > 0 {
		if wait := p.sends[n-1].Add(sentcode.Cooldown(n)).Sub(now); wait > 0 {
			return &CooldownError{Wait: wait}
		}
	}
	if wait := SharedLimiter.CooldownLeft(number, now); wait > 0 {
		return &CooldownError{Wait: wait}
	}
	code, err := NewCode(p.ctx.Rand)
	if err != nil {
		return err
	}
	release, err := SharedLimiter.Reserve(number, p.ctx.Account, now)
	if err != nil {
		return err
	}
	p.discard(ErrNoCode)
	ch := p.channel()
	msg := method.Message{To: number, Channel: ch, Text: proofText(ch, p.ctx.Translate, p.ctx.Organisation, code),
		Language: p.ctx.Translate.Language()}
	ctx, cancel := context.WithTimeout(context.Background(), SendTimeout)
	defer cancel()
	if err := p.ctx.Send.Send(ctx, msg); err != nil {
		release()
		return sentcode.NewSendError(err, code)
	}
	p.sends = append(p.sends, now)
	p.code, p.ended = sentcode.NewSent(p.key, number, ch, code, now), nil
	return nil
}

// Prompt says where the code went.
func (p *Prover) Prompt() string {
	if p.channel() == method.ChannelVoice {
		return fmt.Sprintf("We're calling %s. Enter the code you hear.", Mask(p.m.Phone))
	}
	return fmt.Sprintf("We texted a code to %s. Enter it below.", Mask(p.m.Phone))
}

// Fields asks for one code.
func (p *Prover) Fields() []string { return []string{"Code"} }

// Check takes the code. Errors, in the order checked: ErrNoCode,
// ErrCodeUsedUp or ErrCodeExpired when no code is waiting (Begin sends
// another); ErrCodeExpired; ErrCodeFormat (not an attempt); a
// *WrongCodeError with the tries left, the last one ErrCodeUsedUp. A
// right code is used up.
func (p *Prover) Check(answers []string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.code == nil {
		return p.ended
	}
	typed := "" // more or fewer answers than one: not a code
	if len(answers) == 1 {
		typed = answers[0]
	}
	used, err := p.code.Check(p.key, typed, p.ctx.Now())
	if used {
		why := err // expired or used up
		if why == nil {
			why = ErrNoCode // a right code is used up too
		}
		p.discard(why)
	}
	return err
}

// Abort forgets the code and the key.
func (p *Prover) Abort() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.discard(ErrNoCode)
	secret.Zero(p.key)
}

// discard forgets the code waiting; why says why none is.
func (p *Prover) discard(why error) {
	if p.code != nil {
		p.code.Zero()
	}
	p.code, p.ended = nil, why
}

// proofText is the message carrying a code that proves the person, in
// tr's language.
func proofText(ch method.Channel, tr method.Translator, org, code string) string {
	if ch == method.ChannelVoice {
		return VoiceText(tr, org, code)
	}
	if org = strings.TrimSpace(org); org != "" {
		return tr.Say("Use verification code {{.Code}} to confirm it's you at {{.Organisation}} security info.", map[string]any{"Code": code, "Organisation": org})
	}
	return tr.Say("Use verification code {{.Code}} to confirm it's you at security info.", map[string]any{"Code": code})
}

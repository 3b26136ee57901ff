package email

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The screens of an email registration, in order.
const (
	// ScreenAddress asks for the address.
	ScreenAddress = "email.address"
	// ScreenCode asks for the code that was sent.
	ScreenCode = "email.code"
	// ScreenDone says the address is registered.
	ScreenDone = "email.done"
)

// Errors of a Setup, checked with errors.Is.
var (
	// ErrEmailExists means the account has an email address already;
	// NewSetup refuses to start.
	ErrEmailExists = words.New("an email address is already registered",
		"You already have an email address registered. To use another one, ask your helpdesk to remove the old one.")
	// ErrNoDelivery means the station can't send email (no Sender).
	ErrNoDelivery = words.New("email can't be sent from this station",
		"Email can't be sent from this computer. Choose a different method.")
	// ErrSendFailed is matched by every failed send (it is
	// delivery.ErrDeliveryFailed).
	ErrSendFailed = delivery.ErrDeliveryFailed
	// ErrBusy means a code is being sent right now.
	ErrBusy = words.New("a code is being sent: wait a moment",
		"A code is being sent. Wait a moment.")
	// ErrWrongScreen means the operation is not possible on the current
	// screen (a host bug).
	ErrWrongScreen = errors.New("not possible on this screen")
	// ErrCancelled means Change email was chosen while a code was being
	// sent; that code is not kept.
	ErrCancelled = words.New("sending the code was cancelled",
		"Sending the code was cancelled.")
	// ErrAborted means the setup was aborted.
	ErrAborted = errors.New("this setup was cancelled")
)

// Config is what the station adds to a method.Context for email: the
// policy's refused domains, and where Provers audit.
type Config struct {
	// RefuseDomains are the policy's email_refuse_domains (lower case,
	// ASCII form): addresses at them or under them are refused.
	RefuseDomains []string
	// Station names this machine in the audit entries Provers write.
	Station string
	// Limiter counts sends; nil means SharedLimiter.
	Limiter *Limiter
}

func (c Config) limiter() *Limiter {
	if c.Limiter != nil {
		return c.Limiter
	}
	return SharedLimiter
}

// Setup is one email registration in progress; it implements
// method.Setup and method.Backer. It is safe for concurrent use, as the
// phone's: Send and Resend may run in the background (up to SendTimeout)
// while CooldownLeft is read; a second Send, Resend or Submit meanwhile
// returns ErrBusy, and ChangeAddress or Abort cancel the send.
type Setup struct {
	mu      sync.Mutex
	ctx     method.Context
	cfg     Config
	limiter *Limiter
	key     []byte // per-Setup HMAC key; zeroed when finished

	screen string
	addr   Address  // the address last sent to, successfully
	typed  string   // what was typed for it, for Change email
	code   *pending // the code waiting, or nil
	ended  error    // why none is waiting

	sending bool
	gen     int
	cancel  context.CancelFunc

	done, aborted bool
}

var _ method.Backer = (*Setup)(nil)

// Factory returns the method.Factory that starts email registrations
// with cfg's rules.
func Factory(cfg Config) method.Factory {
	return func(ctx method.Context) (method.Setup, error) { return newSetup(ctx, cfg) }
}

// NewSetup starts an email registration without refused domains, on
// SharedLimiter; see Factory.
func NewSetup(ctx method.Context) (method.Setup, error) { return newSetup(ctx, Config{}) }

// newSetup fails with ErrNoDelivery without a Sender and with
// ErrEmailExists if the account has an address already. ctx.Now defaults
// to time.Now and ctx.Rand to crypto/rand.
func newSetup(ctx method.Context, cfg Config) (*Setup, error) {
	if ctx.Dir == nil {
		return nil, errors.New("email setup: no directory")
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
	s := &Setup{ctx: ctx, cfg: cfg, limiter: cfg.limiter(), screen: ScreenAddress}
	if err := s.checkNoEmail(); err != nil {
		return nil, err
	}
	s.key = make([]byte, 32)
	if _, err := io.ReadFull(ctx.Rand, s.key); err != nil {
		return nil, fmt.Errorf("email setup: make a key: %w", err)
	}
	return s, nil
}

// checkNoEmail returns ErrEmailExists if the account has an address.
func (s *Setup) checkNoEmail() error {
	ms, err := s.ctx.Dir.Methods(s.ctx.Account)
	if err != nil {
		return fmt.Errorf("read your registered methods: %w", err)
	}
	for _, m := range ms {
		if m.Kind == info.KindEmail {
			return ErrEmailExists
		}
	}
	return nil
}

// Kind returns info.KindEmail.
func (s *Setup) Kind() info.Kind { return info.KindEmail }

// Screen returns the current screen, one of the Screen constants.
func (s *Setup) Screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.screen
}

// Typed returns the address as typed for the last successful send, to
// fill the field again after Change email; "" before one.
func (s *Setup) Typed() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.typed
}

// Masked returns the address the code was last sent to, masked; "" before
// the first successful send.
func (s *Setup) Masked() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addr.Addr == "" {
		return ""
	}
	return s.addr.Masked()
}

// SentText is the code screen's first line: "We just sent a 6 digit code
// to a•••@fabrikam.example. Enter the code below."
func (s *Setup) SentText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sentText(s.addr.Masked())
}

// Send validates the typed address and emails it a new code, then moves
// to the code screen. It may block up to SendTimeout. It returns, in the
// order checked:
//   - ErrAborted, ErrWrongScreen, ErrBusy;
//   - ErrAddressEmpty, ErrAddressInvalid, or a *RefusedError
//     (ErrAddressRefused) for a domain the policy refuses: nothing is sent;
//   - a *CooldownError or *LimitError (ErrCooldown, ErrTooManySends);
//   - a *SendError (ErrSendFailed): nothing is valid, no wait starts;
//   - ErrAborted or ErrCancelled if Abort or ChangeAddress was called
//     while sending.
func (s *Setup) Send(typed string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ScreenAddress); err != nil {
		return err
	}
	a, err := ParseAddress(typed)
	if err != nil {
		return err
	}
	if err := a.Refused(s.cfg.RefuseDomains); err != nil {
		return err
	}
	if err := s.send(a); err != nil {
		return err
	}
	s.typed = strings.TrimSpace(typed)
	return nil
}

// Resend emails a new code to the same address; the old one stops
// working at once. Errors as Send's, from *CooldownError on; after a
// failed resend no code is valid and the person may resend at once.
func (s *Setup) Resend() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ScreenCode); err != nil {
		return err
	}
	return s.send(s.addr)
}

// ready checks the setup can take input on screen.
func (s *Setup) ready(screen string) error {
	switch {
	case s.aborted:
		return ErrAborted
	case s.screen != screen:
		return fmt.Errorf("on %s: %w", s.screen, ErrWrongScreen)
	case s.sending:
		return ErrBusy
	}
	return nil
}

// CooldownLeft returns how long until Resend may send again; 0 if it may
// now. For the countdown beside Resend code.
func (s *Setup) CooldownLeft() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addr.Addr == "" {
		return 0
	}
	return s.limiter.CooldownLeft(s.addr.Addr, s.ctx.Now())
}

// SendError is a failed send: errors.Is(err, ErrSendFailed) holds, and the
// Sender's error is wrapped.
type SendError struct {
	Err  error
	text string // Err's text with the code removed
}

// Error is the sender's text, without the code.
func (e *SendError) Error() string {
	if errors.Is(e.Err, ErrSendFailed) {
		return e.text
	}
	return fmt.Sprintf("%s (%s)", ErrSendFailed.Error(), e.text)
}

// Words say the code wasn't sent and what to do.
func (e *SendError) Words() string { return ErrSendFailed.Words() }

// Unwrap returns ErrSendFailed and the Sender's error.
func (e *SendError) Unwrap() []error { return []error{ErrSendFailed, e.Err} }

// send emails a new code to a; s.mu is held, and released while the
// Sender works.
func (s *Setup) send(a Address) error {
	now := s.ctx.Now()
	code, err := newCode(s.ctx.Rand)
	if err != nil {
		return err
	}
	release, err := reserve(s.limiter, a.Addr, s.ctx.Account, now)
	if err != nil {
		return err
	}
	// From here the old code is gone, whatever happens.
	s.discardCode(ErrNoCode)
	p := &pending{mac: codeMAC(s.key, a.Addr, code), addr: a.Addr, sent: now}
	m := method.Message{To: a.Addr, Channel: method.ChannelEmail, Subject: CodeSubject(s.ctx.Organisation),
		Text: RegisterText(s.ctx.Organisation, code)}

	ctx, cancel := context.WithTimeout(context.Background(), SendTimeout)
	s.sending, s.cancel = true, cancel
	gen := s.gen
	s.mu.Unlock()
	err = s.ctx.Send.Send(ctx, m)
	s.mu.Lock()
	cancel()
	s.sending, s.cancel = false, nil

	if gen != s.gen || s.aborted {
		secret.Zero(p.mac)
		if err != nil {
			release()
		}
		if s.aborted {
			return ErrAborted
		}
		return ErrCancelled
	}
	if err != nil {
		release()
		secret.Zero(p.mac)
		return &SendError{Err: err, text: strings.ReplaceAll(err.Error(), code, "••••••")}
	}
	s.code, s.ended = p, nil
	s.addr = a
	s.screen = ScreenCode
	return nil
}

// Back moves from the code screen to the address screen, as ChangeAddress
// does; false on the address screen, once done and after Abort.
func (s *Setup) Back() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted || s.done || s.screen != ScreenCode {
		return false
	}
	s.changeAddress()
	return true
}

// CanBack reports whether Back has a screen of this method to go back to.
func (s *Setup) CanBack() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.aborted && !s.done && s.screen == ScreenCode
}

// ChangeAddress goes back to the address screen for "Change email": the
// code waiting is discarded at once and a send in flight is cancelled.
func (s *Setup) ChangeAddress() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted || s.done || s.screen != ScreenCode {
		return
	}
	s.changeAddress()
}

func (s *Setup) changeAddress() {
	s.stopSend()
	s.discardCode(ErrNoCode)
	s.screen = ScreenAddress
}

// stopSend cancels and disowns a send in flight.
func (s *Setup) stopSend() {
	s.gen++
	if s.cancel != nil {
		s.cancel()
	}
}

// Done reports whether the address has been registered.
func (s *Setup) Done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// Abort discards the code waiting and the key, zeroing both, and cancels
// a send in flight. Nothing is stored.
func (s *Setup) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopSend()
	s.discardCode(ErrAborted)
	secret.Zero(s.key)
	s.aborted = true
}

// discardCode zeroes and forgets the code waiting; why says why there is
// none now.
func (s *Setup) discardCode(why error) {
	if s.code != nil {
		secret.Zero(s.code.mac)
		s.code = nil
	}
	s.ended = why
}

// Submit checks a code typed on the code screen and, if it is the code
// waiting, registers the address and moves to the done screen. It
// returns, in the order checked: ErrAborted, ErrWrongScreen, ErrBusy;
// ErrNoCode, ErrCodeUsedUp or ErrCodeExpired when no code is waiting;
// ErrCodeExpired (the code is then discarded); ErrCodeFormat (not an
// attempt); a *WrongCodeError with the tries left, or ErrCodeUsedUp on the
// last; ErrEmailExists if the account got an address meanwhile; a wrapped
// storage error if saving fails (the code stays; submit it again).
func (s *Setup) Submit(code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ScreenCode); err != nil {
		return err
	}
	if s.code == nil {
		if s.ended == nil {
			return ErrNoCode
		}
		return s.ended
	}
	used, err := s.code.check(s.key, code, s.ctx.Now())
	if err != nil {
		if used {
			s.discardCode(err)
		}
		return err
	}
	if err := s.store(); err != nil {
		return err
	}
	s.discardCode(nil)
	secret.Zero(s.key)
	s.screen, s.done = ScreenDone, true
	return nil
}

// store saves the verified address.
func (s *Setup) store() error {
	if err := s.checkNoEmail(); err != nil {
		return err
	}
	id, err := secret.NewID(s.ctx.Rand)
	if err != nil {
		return err
	}
	m := info.Method{ID: id, Kind: info.KindEmail, Label: s.addr.Masked(), Created: s.ctx.Now(), Email: s.addr.Addr}
	if err := s.ctx.Dir.AddMethod(s.ctx.Account, m, nil); err != nil {
		return fmt.Errorf("save your email address: %w", err)
	}
	return nil
}

// AttemptsLeft returns how many wrong entries the code waiting still
// allows; 0 if none is waiting.
func (s *Setup) AttemptsLeft() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.code == nil {
		return 0
	}
	return MaxAttempts - s.code.attempts
}

// CodeComplete reports whether typed is a whole code as Submit reads it,
// so that a page can submit it on its last digit.
func (s *Setup) CodeComplete(typed string) bool { return secret.CodeComplete(typed, CodeDigits) }

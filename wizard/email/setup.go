package email

import (
	"strings"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/sentcode"
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
	ErrSendFailed = sentcode.ErrSendFailed
	// ErrBusy means a code is being sent right now.
	ErrBusy = sentcode.ErrBusy
	// ErrWrongScreen means the operation is not possible on the current
	// screen (a host bug).
	ErrWrongScreen = sentcode.ErrWrongScreen
	// ErrCancelled means Change email was chosen while a code was being
	// sent; that code is not kept.
	ErrCancelled = sentcode.ErrCancelled
	// ErrAborted means the setup was aborted.
	ErrAborted = sentcode.ErrAborted
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

// sentTo is where a registration's code went: the address, and how it
// was typed (for Change email).
type sentTo struct {
	Address
	typed string
}

// spec is what an email registration says for itself; the rest is
// sentcode.Setup's.
var spec = &sentcode.Spec[sentTo]{
	Kind:        info.KindEmail,
	Name:        "email",
	EntryScreen: ScreenAddress, SentScreen: ScreenCode, DoneScreen: ScreenDone,
	NoDelivery: ErrNoDelivery,
	Exists:     ErrEmailExists,
	NoCode:     ErrNoCode,
	To:         func(t sentTo) string { return t.Addr },
	Message: func(t sentTo, _ method.Channel, tr method.Translator, org, code string) method.Message {
		return method.Message{To: t.Addr, Channel: method.ChannelEmail, Subject: CodeSubject(tr, org), Text: RegisterText(tr, org, code),
			Language: tr.Language()}
	},
	Method: func(t sentTo, _ method.Channel) info.Method {
		return info.Method{Kind: info.KindEmail, Label: t.Masked(), Email: t.Addr}
	},
	Saving:     "your email address",
	LimitError: func(e *sentcode.LimitError) error { return &LimitError{Wait: e.Wait} },
}

// Setup is one email registration in progress; it implements
// method.Setup and method.Backer. The sending, resending, waits, Submit,
// Back and Abort are sentcode.Setup's, as the phone's (safe for concurrent
// use: Send may run in the background while CooldownLeft is read;
// ChangeAddress or Abort cancel it); the address, the policy's refused
// domains and the texts are the email's.
type Setup struct {
	*sentcode.Setup[sentTo]
	cfg Config
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
	core, err := sentcode.New(spec, ctx, cfg.limiter())
	if err != nil {
		return nil, err
	}
	return &Setup{Setup: core, cfg: cfg}, nil
}

// Typed returns the address as typed for the last successful send, to
// fill the field again after Change email; "" before one.
func (s *Setup) Typed() string {
	t, _ := s.Sent()
	return t.typed
}

// Masked returns the address the code was last sent to, masked; "" before
// the first successful send.
func (s *Setup) Masked() string {
	t, _ := s.Sent()
	if t.Addr == "" {
		return ""
	}
	return t.Masked()
}

// SentText is the code screen's first line: "We just sent a 6 digit code
// to a•••@fabrikam.example. Enter the code below."
func (s *Setup) SentText() string {
	t, _ := s.Sent()
	return sentText(t.Masked())
}

// Send validates the typed address and emails it a new code, then moves
// to the code screen. It may block up to SendTimeout. It returns
// ErrAborted, ErrWrongScreen or ErrBusy; then ErrAddressEmpty,
// ErrAddressInvalid, or a *RefusedError (ErrAddressRefused) for a domain
// the policy refuses: nothing is sent; then the errors of
// sentcode.Setup.SendTo from *LimitError (ErrTooManySends) on.
func (s *Setup) Send(typed string) error {
	return s.SendTo(func() (sentTo, method.Channel, error) {
		a, err := ParseAddress(typed)
		if err != nil {
			return sentTo{}, "", err
		}
		if err := a.Refused(s.cfg.RefuseDomains); err != nil {
			return sentTo{}, "", err
		}
		return sentTo{Address: a, typed: strings.TrimSpace(typed)}, method.ChannelEmail, nil
	})
}

// ChangeAddress goes back to the address screen for "Change email": the
// code waiting is discarded at once and a send in flight is cancelled.
func (s *Setup) ChangeAddress() { s.Change() }

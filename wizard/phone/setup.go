package phone

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The screens of a phone registration, in order.
const (
	// ScreenNumber asks for the country or region and the number, and
	// whether to text or call.
	ScreenNumber = "phone.number"
	// ScreenCode asks for the code that was sent.
	ScreenCode = "phone.code"
	// ScreenDone says the phone is registered.
	ScreenDone = "phone.done"
)

// SendTimeout bounds each send: the Sender gets a context with this
// deadline.
const SendTimeout = 10 * time.Second

// Errors from Setup, checked with errors.Is. Their texts are written for
// the person.
var (
	// ErrPhoneExists means the account already has a phone; NewSetup
	// refuses to start. Changing the number is removing the phone and
	// registering a new one.
	ErrPhoneExists = words.New("you already have a phone registered: to use another number, ask your helpdesk to remove the old one",
		"You already have a phone registered. To use another number, ask your helpdesk to remove the old one.")
	// ErrNoDelivery means the host has no way to send codes (no Sender).
	ErrNoDelivery = words.New("codes can't be sent from this computer: choose a different method",
		"Codes can't be sent from this computer. Choose a different method.")
	// ErrSendFailed is matched by every failed send (it is
	// delivery.ErrDeliveryFailed): nothing is registered, no code is left
	// valid and no wait started, so the person can try again at once or
	// choose another method.
	ErrSendFailed = delivery.ErrDeliveryFailed
	// ErrChannel means a channel other than SMS or voice (a host bug).
	ErrChannel = words.New("choose Text me a code or Call me",
		"Choose Text me a code or Call me.")
	// ErrBusy means a code is being sent right now.
	ErrBusy = words.New("a code is being sent: wait a moment",
		"A code is being sent. Wait a moment.")
	// ErrWrongScreen means the operation is not possible on the current
	// screen (a host bug, not something a person can cause).
	ErrWrongScreen = errors.New("not possible on this screen")
	// ErrCancelled means Change number was chosen while a code was being
	// sent; that code is not kept.
	ErrCancelled = words.New("sending the code was cancelled",
		"Sending the code was cancelled.")
	// ErrAborted means the setup was aborted.
	ErrAborted = errors.New("this setup was cancelled")
)

// Setup is one phone registration in progress; it implements method.Setup.
// It is safe for concurrent use: the host may run Send or Resend (which
// wait up to SendTimeout for the Sender) in the background while reading
// CooldownLeft for a countdown; a second Send, Resend or Submit meanwhile
// returns ErrBusy, and ChangeNumber or Abort cancel the send.
type Setup struct {
	mu      sync.Mutex
	ctx     method.Context
	limiter *Limiter
	key     []byte // per-Setup HMAC key for codes; zeroed when finished

	screen  string
	region  Region
	number  Number         // the number last sent to, successfully
	channel method.Channel // how it was last sent
	code    *pending       // the code waiting to be entered, or nil
	ended   error          // why no code is waiting: ErrCodeUsedUp, ErrCodeExpired, ErrNoCode
	sends   map[string][]time.Time

	sending bool
	gen     int                // bumped by ChangeNumber and Abort to disown a send in flight
	cancel  context.CancelFunc // cancels the send in flight

	done, aborted bool
}

var _ method.Backer = (*Setup)(nil)

// NewSetup starts registering a phone for ctx.Account; it is a
// method.Factory. ctx.Now defaults to time.Now and ctx.Rand to
// crypto/rand. It fails with ErrNoDelivery if ctx.Send is nil and with
// ErrPhoneExists if the account has a phone already. The picker starts on
// the policy's DefaultRegion, else DefaultRegion() (the system locale),
// else FallbackRegion, whichever first is a region phonenumbers knows.
// Sends are counted in SharedLimiter.
func NewSetup(ctx method.Context) (method.Setup, error) {
	if ctx.Dir == nil {
		return nil, errors.New("phone setup: no directory")
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
	s := &Setup{ctx: ctx, limiter: SharedLimiter, screen: ScreenNumber, sends: map[string][]time.Time{}}
	if err := s.checkNoPhone(); err != nil {
		return nil, err
	}
	s.region = startRegion(ctx.DefaultRegion)
	s.key = make([]byte, 32)
	if _, err := io.ReadFull(ctx.Rand, s.key); err != nil {
		return nil, fmt.Errorf("phone setup: make a key: %w", err)
	}
	return s, nil
}

// startRegion returns the region the picker starts on.
func startRegion(policy string) Region {
	for _, code := range []string{policy, DefaultRegion(), FallbackRegion} {
		if r, ok := LookupRegion(code); ok && code != "" {
			return r
		}
	}
	return Region{}
}

// checkNoPhone returns ErrPhoneExists if the account has a phone.
func (s *Setup) checkNoPhone() error {
	ms, err := s.ctx.Dir.Methods(s.ctx.Account)
	if err != nil {
		return fmt.Errorf("read your registered methods: %w", err)
	}
	for _, m := range ms {
		if m.Kind == info.KindPhone {
			return ErrPhoneExists
		}
	}
	return nil
}

// Kind returns info.KindPhone.
func (s *Setup) Kind() info.Kind { return info.KindPhone }

// Screen returns the current screen, one of the Screen constants.
func (s *Setup) Screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.screen
}

// Regions returns every region for the picker (the package's Regions).
func (s *Setup) Regions() []Region { return Regions() }

// SearchRegions filters the picker (the package's SearchRegions).
func (s *Setup) SearchRegions(query string) []Region { return SearchRegions(query) }

// Region returns the region chosen in the picker. After a successful send
// it is the number's own region (a "+44…" number typed with United States
// chosen makes it United Kingdom), so that Change number shows it.
func (s *Setup) Region() Region {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.region
}

// SetRegion chooses the picker's region by code ("GB"); ErrUnknownRegion if
// phonenumbers does not know it.
func (s *Setup) SetRegion(code string) error {
	r, ok := LookupRegion(code)
	if !ok {
		return ErrUnknownRegion
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted {
		return ErrAborted
	}
	s.region = r
	return nil
}

// Number returns the E.164 number the code was last sent to ("" before the
// first successful send), to fill the number field after Change number.
func (s *Setup) Number() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.number.E164
}

// Masked returns the number the code was last sent to, masked
// ("+1 ••• ••• 1234"); "" before the first successful send.
func (s *Setup) Masked() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.number.E164 == "" {
		return ""
	}
	return s.number.Masked()
}

// Channel returns how the code was last sent (method.ChannelSMS or
// method.ChannelVoice); "" before the first successful send.
func (s *Setup) Channel() method.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.channel
}

// SentText is the code screen's first line: "We just sent a 6 digit code
// to +1 ••• ••• 1234. Enter the code below." or, for a call, "We're
// calling +1 ••• ••• 1234 now. Enter the code you hear below."
func (s *Setup) SentText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sentText(s.channel, s.number.Masked())
}

// DoneText is the done screen's line: "SMS verified. Your phone was
// registered successfully." or "Call answered. Your phone was registered
// successfully."
func (s *Setup) DoneText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return doneText(s.channel)
}

// Back moves from the code screen to the number screen, as ChangeNumber
// does; it returns false on the number screen, once done and after Abort.
func (s *Setup) Back() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted || s.done || s.screen != ScreenCode {
		return false
	}
	s.changeNumber()
	return true
}

// ChangeNumber goes back to the number screen for "Change number": the
// code waiting is discarded at once, and a send in flight is cancelled.
// It does nothing on the number screen, once done, or after Abort.
func (s *Setup) ChangeNumber() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted || s.done || s.screen != ScreenCode {
		return
	}
	s.changeNumber()
}

func (s *Setup) changeNumber() {
	s.stopSend()
	s.discardCode(ErrNoCode)
	s.screen = ScreenNumber
}

// stopSend cancels and disowns a send in flight.
func (s *Setup) stopSend() {
	s.gen++
	if s.cancel != nil {
		s.cancel()
	}
}

// Done reports whether the phone has been registered.
func (s *Setup) Done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// Abort discards the code waiting and the key its hash was made with,
// zeroing both, and cancels a send in flight. Nothing is stored.
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

// CanBack reports whether Back has a screen of this method to go back to
// (the code screen goes back to the number).
func (s *Setup) CanBack() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.aborted && !s.done && s.screen == ScreenCode
}

package phone

import (
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/sentcode"
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
	// ErrChannel means a channel other than SMS or voice (a host bug).
	ErrChannel = words.New("choose Text me a code or Call me",
		"Choose Text me a code or Call me.")
	// ErrBusy means a code is being sent right now.
	ErrBusy = sentcode.ErrBusy
	// ErrWrongScreen means the operation is not possible on the current
	// screen (a host bug, not something a person can cause).
	ErrWrongScreen = sentcode.ErrWrongScreen
	// ErrCancelled means Change number was chosen while a code was being
	// sent; that code is not kept.
	ErrCancelled = sentcode.ErrCancelled
	// ErrAborted means the setup was aborted.
	ErrAborted = sentcode.ErrAborted
)

// spec is what a phone registration says for itself; the rest is
// sentcode.Setup's.
var spec = &sentcode.Spec[Number]{
	Kind:        info.KindPhone,
	Name:        "phone",
	EntryScreen: ScreenNumber, SentScreen: ScreenCode, DoneScreen: ScreenDone,
	NoDelivery: ErrNoDelivery,
	Exists:     ErrPhoneExists,
	NoCode:     ErrNoCode,
	To:         func(n Number) string { return n.E164 },
	Message: func(n Number, ch method.Channel, tr method.Translator, org, code string) method.Message {
		return method.Message{To: n.E164, Channel: ch, Text: messageText(ch, tr, org, code), Language: tr.Language()}
	},
	Method: func(n Number, ch method.Channel) info.Method {
		return info.Method{Kind: info.KindPhone, Label: n.Masked(), Phone: n.E164, Channel: string(ch)}
	},
	Saving: "your phone",
}

// Setup is one phone registration in progress; it implements method.Setup
// and method.Backer. The sending, resending, waits, Submit, Back and Abort
// are sentcode.Setup's (safe for concurrent use: Send may run in the
// background while CooldownLeft is read; ChangeNumber or Abort cancel it);
// the number, its region picker and the texts are the phone's.
type Setup struct {
	*sentcode.Setup[Number]
	region Region // the picker's; under the sentcode.Setup's lock
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
	core, err := sentcode.New(spec, ctx, SharedLimiter)
	if err != nil {
		return nil, err
	}
	s := &Setup{Setup: core, region: startRegion(ctx.DefaultRegion)}
	// After a send the picker shows the number's own region (a "+44…"
	// number typed with United States chosen makes it United Kingdom), so
	// that Change number shows it.
	core.OnSent(func(n Number) {
		if r, ok := LookupRegion(n.Region); ok {
			s.region = r
		}
	})
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

// Regions returns every region for the picker (the package's Regions).
func (s *Setup) Regions() []Region { return Regions() }

// SearchRegions filters the picker (the package's SearchRegions).
func (s *Setup) SearchRegions(query string) []Region { return SearchRegions(query) }

// Region returns the region chosen in the picker. After a successful send
// it is the number's own region (a "+44…" number typed with United States
// chosen makes it United Kingdom), so that Change number shows it.
func (s *Setup) Region() Region {
	var r Region
	s.Locked(func(bool) { r = s.region })
	return r
}

// SetRegion chooses the picker's region by code ("GB"); ErrUnknownRegion if
// phonenumbers does not know it.
func (s *Setup) SetRegion(code string) error {
	r, ok := LookupRegion(code)
	if !ok {
		return ErrUnknownRegion
	}
	err := error(nil)
	s.Locked(func(aborted bool) {
		if aborted {
			err = ErrAborted
			return
		}
		s.region = r
	})
	return err
}

// Send validates number (typed with the picker's region, see ParseNumber)
// and sends it a new code over ch (method.ChannelSMS: "Text me a code",
// method.ChannelVoice: "Call me"), then moves to the code screen. It may
// block up to SendTimeout. It returns ErrAborted, ErrWrongScreen or
// ErrBusy, then ErrChannel, then a ParseNumber error (ErrNumberLetters,
// ErrNumberInvalid, ErrNumberPremium…: nothing is sent), then the errors
// of sentcode.Setup.SendTo from *LimitError on.
func (s *Setup) Send(number string, ch method.Channel) error {
	return s.SendTo(func() (Number, method.Channel, error) {
		if ch != method.ChannelSMS && ch != method.ChannelVoice {
			return Number{}, "", ErrChannel
		}
		n, err := ParseNumber(number, s.region.Code)
		return n, ch, err
	})
}

// Number returns the E.164 number the code was last sent to ("" before the
// first successful send), to fill the number field after Change number.
func (s *Setup) Number() string {
	n, _ := s.Sent()
	return n.E164
}

// Masked returns the number the code was last sent to, masked
// ("+1 ••• ••• 1234"); "" before the first successful send.
func (s *Setup) Masked() string {
	n, _ := s.Sent()
	if n.E164 == "" {
		return ""
	}
	return n.Masked()
}

// Channel returns how the code was last sent (method.ChannelSMS or
// method.ChannelVoice); "" before the first successful send.
func (s *Setup) Channel() method.Channel {
	_, ch := s.Sent()
	return ch
}

// SentText is the code screen's first line: "We just sent a 6 digit code
// to +1 ••• ••• 1234. Enter the code below." or, for a call, "We're
// calling +1 ••• ••• 1234 now. Enter the code you hear below."
func (s *Setup) SentText() string {
	n, ch := s.Sent()
	return sentText(ch, n.Masked())
}

// DoneText is the done screen's line: "SMS verified. Your phone was
// registered successfully." or "Call answered. Your phone was registered
// successfully."
func (s *Setup) DoneText() string { return doneText(s.Channel()) }

// ChangeNumber goes back to the number screen for "Change number": the
// code waiting is discarded at once, and a send in flight is cancelled.
// It does nothing on the number screen, once done, or after Abort.
func (s *Setup) ChangeNumber() { s.Change() }

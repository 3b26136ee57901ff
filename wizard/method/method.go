// Package method is the contract between the wizard's flow and each kind
// of security info it registers, declared in one place: Setup (one
// registration in progress, its screens driven by the UI), the optional
// interfaces a Setup may also implement (Backer, LeaveWarner), the Context
// a registration starts with, and the Sender it delivers codes through.
// Method packages (wizard/authapp, wizard/phone, wizard/apppassword)
// depend on this package only, never on the flow, so the flow can use
// their rules in turn.
package method

import (
	"context"
	"io"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Setup is one method's registration in progress, driven by the wizard's
// flow. A method package implements it with its own screens and input
// operations (which the UI calls on the concrete type); the flow needs
// only these. Unless a method says otherwise, a Setup is not safe for
// concurrent use.
type Setup interface {
	// Kind says which method this registers.
	Kind() info.Kind
	// Screen names the method's current screen, e.g. "authapp.scan".
	Screen() string
	// Back moves to the method's previous screen; it returns false on the
	// first screen, where the flow takes over.
	Back() bool
	// Done reports whether the method has been registered: its test passed
	// and it was stored.
	Done() bool
	// Abort discards anything pending (zeroing secrets held in memory).
	// Nothing is stored by an aborted setup.
	Abort()
}

// Backer is a Setup that says whether Back has a screen of the method to
// go back to, so that a Back button is offered only where it does
// something. A Setup that is not a Backer has no screen to go back to.
type Backer interface {
	Setup
	CanBack() bool
}

// LeaveWarner is a Setup that loses something if it is left other than by
// its own way forward (an app password is shown only once). LeaveWarning
// returns what the person must be told before leaving, or "" when nothing
// is lost now.
type LeaveWarner interface {
	Setup
	LeaveWarning() string
}

// Context is what the flow hands a method when it starts registering.
type Context struct {
	// Account is the signed-in account's name.
	Account string
	// Organisation is the organisation's name, as shown on every page and
	// in messages with codes ("Contoso").
	Organisation string
	// Issuer names the organisation inside authenticator apps; empty means
	// Organisation.
	Issuer string
	// DefaultRegion preselects a phone number's country or region ("GB");
	// empty means from the system locale.
	DefaultRegion string
	// Dir is where a method is stored once its test succeeds. Every method
	// the setup saves there (AddMethod) is recorded in the audit log as it
	// is saved.
	Dir info.Store
	// Now is the injected clock.
	Now func() time.Time
	// Rand is the injected source of randomness (crypto/rand in the app).
	Rand io.Reader
	// Send delivers codes for the phone and e-mail methods; nil when no
	// delivery is configured.
	Send Sender
	// Translate says the messages Send delivers in the language the
	// person is using; nil sends them in English.
	Translate Translator
}

// Factory starts a fresh registration of one method.
type Factory func(Context) (Setup, error)

// Channel is how a code reaches a person.
type Channel string

// The delivery channels.
const (
	ChannelSMS   Channel = "sms"
	ChannelVoice Channel = "voice"
	ChannelEmail Channel = "email"
)

// Message is a one-time code, or a notice of a change to their security
// info, on its way to a person: a text, a call that speaks it, or an
// e-mail.
type Message struct {
	// To is an E.164 phone number or an e-mail address.
	To string
	// Channel says how it is delivered.
	Channel Channel
	// Text is what the person reads or hears; it contains the code.
	Text string
	// Subject is an email's subject line; it never contains the code.
	// Empty for texts and calls.
	Subject string
	// Language is the language Text is in ("de", one of the policy's
	// languages), so that a call is spoken with a voice for it; empty for
	// English.
	Language string
}

// Sender delivers messages: the demo outbox, or a real provider. It must
// honour ctx's deadline and never log Text.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

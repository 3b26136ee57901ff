package wizard

import (
	"context"
	"io"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Setup is one method's registration in progress, driven by the wizard host.
// A method package (for example wizard/authapp) implements it with its own
// screens and input operations; the host only needs these.
type Setup interface {
	// Kind says which method this registers.
	Kind() info.Kind
	// Screen names the method's current screen, e.g. "authapp.scan".
	Screen() string
	// Back moves to the method's previous screen; it returns false on the
	// first screen, where the host takes over.
	Back() bool
	// Done reports whether the method has been registered: its test passed
	// and it was stored.
	Done() bool
	// Abort discards anything pending (zeroing secrets held in memory).
	// Nothing is stored by an aborted setup.
	Abort()
}

// SetupContext is what the host hands a method when it starts registering.
type SetupContext struct {
	// Policy is the organisation's policy in force.
	Policy Policy
	// Account is the signed-in account's name.
	Account string
	// Dir is where a method is stored once its test succeeds.
	Dir info.Store
	// Now is the injected clock.
	Now func() time.Time
	// Rand is the injected source of randomness (crypto/rand in the app).
	Rand io.Reader
	// Send delivers codes for the phone and e-mail methods; nil when no
	// delivery is configured.
	Send Sender
}

// SetupFactory starts a fresh registration of one method.
type SetupFactory func(SetupContext) (Setup, error)

// Channel is how a code reaches a person.
type Channel string

// The delivery channels.
const (
	ChannelSMS   Channel = "sms"
	ChannelVoice Channel = "voice"
	ChannelEmail Channel = "email"
)

// Message is a one-time code on its way to a person: a text, a call that
// speaks it, or an e-mail.
type Message struct {
	// To is an E.164 phone number or an e-mail address.
	To string
	// Channel says how it is delivered.
	Channel Channel
	// Text is what the person reads or hears; it contains the code.
	Text string
}

// Sender delivers messages: the demo outbox, or a real provider. It must
// honour ctx's deadline and never log Text.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

package wizard

import "github.com/securityinfo/securityinfo/wizard/method"

// The method contract lives in package method, which the method packages
// depend on instead of this one; these names are the same types.
type (
	// Setup is method.Setup: one method's registration in progress.
	Setup = method.Setup
	// SetupContext is method.Context: what a registration starts with.
	SetupContext = method.Context
	// SetupFactory is method.Factory: it starts a registration.
	SetupFactory = method.Factory
	// Channel is method.Channel: how a code reaches a person.
	Channel = method.Channel
	// Message is method.Message: a code on its way to a person.
	Message = method.Message
	// Sender is method.Sender: it delivers messages.
	Sender = method.Sender
)

// The delivery channels (method.ChannelSMS…).
const (
	ChannelSMS   = method.ChannelSMS
	ChannelVoice = method.ChannelVoice
	ChannelEmail = method.ChannelEmail
)

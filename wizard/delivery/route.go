package delivery

import (
	"context"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// ByChannel sends email through one sender (the organisation's mail
// server) and texts and calls through another (the demo outbox, Twilio,
// a webhook).
type ByChannel struct {
	// Email sends method.ChannelEmail messages.
	Email method.Sender
	// Phone sends every other channel.
	Phone method.Sender
}

var _ method.Sender = ByChannel{}

// Send hands m to the sender for its channel.
func (b ByChannel) Send(ctx context.Context, m method.Message) error {
	if m.Channel == method.ChannelEmail {
		return b.Email.Send(ctx, m)
	}
	return b.Phone.Send(ctx, m)
}

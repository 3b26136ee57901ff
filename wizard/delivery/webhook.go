package delivery

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// SignatureHeader carries the webhook body's signature.
const SignatureHeader = "X-Signature-SHA256"

// Webhook posts each message to the organisation's own endpoint, which sends
// it on. The body is the JSON object {"to": …, "channel": …, "message": …}
// (and "subject" for an email)
// sent with Content-Type application/json and the header
// X-Signature-SHA256: hex(HMAC-SHA256(Key, body)), so that the endpoint
// can check the message came from this app. Any 2xx reply is success.
type Webhook struct {
	// URL must be https; plain http is accepted only to a loopback address
	// (127.0.0.0/8, ::1, localhost), for tests and local relays.
	URL string
	// Key signs each body; read by the caller from the OS keyring. An
	// empty key is refused.
	Key []byte
	// Client is the HTTP client; nil means one with Timeout. Redirects are
	// never followed.
	Client *http.Client
	// Timeout overrides the time limit (default Timeout); for tests.
	Timeout time.Duration
}

var _ method.Sender = (*Webhook)(nil)

// WebhookBody is the JSON a webhook receives.
type WebhookBody struct {
	To      string         `json:"to"`
	Channel method.Channel `json:"channel"`
	// Subject is an email's subject; absent for texts and calls.
	Subject string `json:"subject,omitempty"`
	Message string `json:"message"`
}

// Sign returns hex(HMAC-SHA256(key, body)), the X-Signature-SHA256 value.
func Sign(key, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// Send posts m to the webhook.
func (w *Webhook) Send(ctx context.Context, m method.Message) error {
	const provider = "webhook"
	if len(w.Key) == 0 {
		return configError(provider, "no signing key is configured")
	}
	u, cerr := checkURL(provider, w.URL)
	if cerr != nil {
		return cerr
	}
	body, err := json.Marshal(WebhookBody{To: m.To, Channel: m.Channel, Subject: m.Subject, Message: m.Text})
	if err != nil {
		return configError(provider, "the message could not be encoded")
	}
	req, err := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return configError(provider, "the request could not be made")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(w.Key, body))
	r, derr := do(ctx, provider, w.Client, limit(w.Timeout), req)
	if derr != nil {
		return derr
	}
	if !ok(r.status) {
		return &Error{Provider: provider, Reason: ReasonStatus, Status: r.status,
			Detail: fmt.Sprintf("HTTP %d", r.status)}
	}
	return nil
}

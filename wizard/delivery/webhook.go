package delivery

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// The webhook's signature headers: the time of sending (Unix seconds)
// and hex(HMAC-SHA256(key, timestamp + "." + body)). Signing the time
// lets the receiver refuse a captured request replayed later (see
// VerifyWebhook).
const (
	SignatureHeader = "X-Signature-SHA256"
	TimestampHeader = "X-Signature-Timestamp"
)

// WebhookTolerance is how old a webhook request VerifyWebhook accepts.
const WebhookTolerance = 5 * time.Minute

// MaxWebhookKey is the longest signing key accepted: keys are kept in the
// OS keyring, whose items stay small on every platform.
const MaxWebhookKey = 1000

// ErrWebhookSignature and ErrWebhookStale are VerifyWebhook's refusals.
var (
	ErrWebhookSignature = errors.New("the webhook signature does not match")
	ErrWebhookStale     = errors.New("the webhook request is too old or from the future")
)

// Webhook posts each message to the organisation's own endpoint, which sends
// it on. The body is the JSON object {"to": …, "channel": …, "message": …}
// (and "subject" for an email, "language" for a message not in English:
// "de", "fr" or "es")
// sent with Content-Type application/json and the header
// X-Signature-Timestamp (the time of sending, Unix seconds) and
// X-Signature-SHA256: hex(HMAC-SHA256(Key, timestamp + "." + body)), so
// that the endpoint can check the message came from this app and is not
// a replay (VerifyWebhook is that check). Any 2xx reply is success.
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
	// Now is the clock for the timestamp; nil means time.Now.
	Now func() time.Time
}

var _ method.Sender = (*Webhook)(nil)

// WebhookBody is the JSON a webhook receives.
type WebhookBody struct {
	To      string         `json:"to"`
	Channel method.Channel `json:"channel"`
	// Subject is an email's subject; absent for texts and calls.
	Subject string `json:"subject,omitempty"`
	Message string `json:"message"`
	// Language is the language of Message and Subject ("de"); absent for
	// English.
	Language string `json:"language,omitempty"`
}

// Sign returns hex(HMAC-SHA256(key, body)).
func Sign(key, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// signed is what the X-Signature-SHA256 header signs.
func signed(timestamp string, body []byte) []byte {
	return append([]byte(timestamp+"."), body...)
}

// VerifyWebhook is the receiving side's check, documented for the
// organisation's gateway: the signature must match timestamp and body
// (compared in constant time), and the timestamp must be within
// WebhookTolerance of now, so a captured request can't be replayed later.
// The gateway should also refuse a signature it has seen before within
// that window.
func VerifyWebhook(key []byte, timestamp, signature string, body []byte, now time.Time) error {
	want := Sign(key, signed(timestamp, body))
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return ErrWebhookSignature
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrWebhookStale
	}
	if d := now.Sub(time.Unix(ts, 0)); d > WebhookTolerance || d < -WebhookTolerance {
		return ErrWebhookStale
	}
	return nil
}

// Send posts m to the webhook.
func (w *Webhook) Send(ctx context.Context, m method.Message) error {
	const provider = "webhook"
	if len(w.Key) == 0 {
		return configError(provider, "no signing key is configured")
	}
	if len(w.Key) > MaxWebhookKey {
		return configError(provider, "the signing key is too long")
	}
	u, cerr := checkURL(provider, w.URL)
	if cerr != nil {
		return cerr
	}
	body, err := json.Marshal(WebhookBody{To: m.To, Channel: m.Channel, Subject: m.Subject, Message: m.Text, Language: m.Language})
	if err != nil {
		return configError(provider, "the message could not be encoded")
	}
	req, err := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return configError(provider, "the request could not be made")
	}
	req.Header.Set("Content-Type", "application/json")
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	req.Header.Set(TimestampHeader, ts)
	req.Header.Set(SignatureHeader, Sign(w.Key, signed(ts, body)))
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

package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// TwilioBaseURL is Twilio's REST API.
const TwilioBaseURL = "https://api.twilio.com"

// Twilio sends texts and places calls through Twilio's REST API: a text is
// POST {BaseURL}/2010-04-01/Accounts/{AccountSID}/Messages.json with the
// form fields To, From and Body; a call is POST …/Calls.json with To, From
// and Twiml "<Response><Say>text</Say></Response>" (with the language of
// a German, French or Spanish text, so that a voice for it reads it:
// TwiML). Both use HTTP basic
// authentication with the account SID and auth token.
//
// A 2xx reply whose JSON has a non-empty "sid" is success. A 4xx or 5xx
// reply is an *Error with Reason ReasonStatus that quotes Twilio's "code"
// and "message" when the reply has them; any other reply is
// ReasonMalformed.
type Twilio struct {
	// BaseURL defaults to TwilioBaseURL; it must be https, or http to a
	// loopback address (tests).
	BaseURL string
	// AccountSID and AuthToken are Twilio's credentials, read by the
	// caller from the OS keyring.
	AccountSID string
	AuthToken  string
	// From is the Twilio number (E.164) texts and calls come from.
	From string
	// Client is the HTTP client; nil means one with Timeout. Redirects are
	// never followed.
	Client *http.Client
	// Timeout overrides the time limit (default Timeout); for tests.
	Timeout time.Duration
}

var _ method.Sender = (*Twilio)(nil)

// Send texts or calls m.To. Only method.ChannelSMS and method.ChannelVoice
// are supported.
func (t *Twilio) Send(ctx context.Context, m method.Message) error {
	const provider = "twilio"
	if t.AccountSID == "" || t.AuthToken == "" {
		return configError(provider, "the account SID or auth token is missing")
	}
	if t.From == "" {
		return configError(provider, "no From number is configured")
	}
	if strings.ContainsAny(t.AccountSID, "/?#% ") {
		return configError(provider, "the account SID is not valid")
	}
	base := t.BaseURL
	if base == "" {
		base = TwilioBaseURL
	}
	u, cerr := checkURL(provider, strings.TrimRight(base, "/"))
	if cerr != nil {
		return cerr
	}
	form := url.Values{"To": {m.To}, "From": {t.From}}
	var resource string
	switch m.Channel {
	case method.ChannelSMS:
		resource = "Messages.json"
		form.Set("Body", m.Text)
	case method.ChannelVoice:
		resource = "Calls.json"
		form.Set("Twiml", TwiML(m.Language, m.Text))
	default:
		return configError(provider, fmt.Sprintf("channel %q is not supported", m.Channel))
	}
	u = u.JoinPath("2010-04-01", "Accounts", t.AccountSID, resource)
	req, err := http.NewRequest(http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return configError(provider, "the request could not be made")
	}
	req.SetBasicAuth(t.AccountSID, t.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	d := limit(t.Timeout)
	r, derr := do(ctx, provider, t.Client, d, req)
	if derr != nil {
		return derr
	}
	secrets := []string{t.AuthToken, m.Text, form.Get("Twiml")}
	var body struct {
		SID     string          `json:"sid"`
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
	}
	jsonErr := json.Unmarshal(r.body, &body)
	if !ok(r.status) {
		detail := fmt.Sprintf("HTTP %d", r.status)
		if jsonErr == nil {
			if c := strings.Trim(string(body.Code), `"`); c != "" && c != "null" {
				detail += ", code " + c
			}
			if body.Message != "" {
				detail += ": " + body.Message
			}
		}
		return &Error{Provider: provider, Reason: ReasonStatus, Status: r.status, Detail: redact(detail, secrets...)}
	}
	if jsonErr != nil || body.SID == "" {
		return &Error{Provider: provider, Reason: ReasonMalformed, Status: r.status,
			Detail: fmt.Sprintf("HTTP %d reply without a message or call id", r.status)}
	}
	return nil
}

// sayLanguages are the <Say> languages of the app's languages other than
// English, Twilio's default (en-US).
var sayLanguages = map[string]string{"de": "de-DE", "fr": "fr-FR", "es": "es-ES"}

// TwiML returns the instructions for a call that speaks text, in lang (a
// method.Message's Language): "<Response><Say>text</Say></Response>" with
// text XML-escaped, and <Say language="de-DE"> for German, French or
// Spanish. Any other lang is spoken as English is: a language Twilio's
// voice may not have would fail the call.
func TwiML(lang, text string) string {
	var b bytes.Buffer
	b.WriteString("<Response><Say")
	if l, ok := sayLanguages[lang]; ok {
		b.WriteString(` language="` + l + `"`)
	}
	b.WriteString(">")
	_ = xml.EscapeText(&b, []byte(text))
	b.WriteString("</Say></Response>")
	return b.String()
}

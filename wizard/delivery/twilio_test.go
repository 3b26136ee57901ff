package delivery

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// newTwilio is a Twilio sender for a test server, with a time limit long
// enough for a loaded machine; the tests of the limit shorten it
// (slowLimit).
func newTwilio(base string) *Twilio {
	return &Twilio{BaseURL: base, AccountSID: testSID, AuthToken: testToken, From: testFrom,
		Timeout: 5 * time.Second}
}

// checkTwilioRequest checks one request's method, path, auth and form.
func checkTwilioRequest(t *testing.T, s *server, resource string, want url.Values) {
	t.Helper()
	if s.count() != 1 {
		t.Fatalf("%d requests, want 1", s.count())
	}
	r, body := s.reqs[0], s.bodys[0]
	if r.Method != http.MethodPost {
		t.Errorf("method %s", r.Method)
	}
	if p := "/2010-04-01/Accounts/" + testSID + "/" + resource; r.URL.Path != p {
		t.Errorf("path %q, want %q", r.URL.Path, p)
	}
	if u, p, ok := r.BasicAuth(); !ok || u != testSID || p != testToken {
		t.Errorf("basic auth %q %q %v", u, p, ok)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("content type %q", ct)
	}
	got, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("form %v, want %v", got, want)
	}
	for k, v := range want {
		if len(got[k]) != 1 || got[k][0] != v[0] {
			t.Errorf("form field %s = %q, want %q", k, got[k], v[0])
		}
	}
}

func TestTwilio_SMS(t *testing.T) {
	s := newServer(t, answer(201, `{"sid":"SM0123","status":"queued"}`))
	if err := newTwilio(s.URL+"/").Send(context.Background(), smsMessage); err != nil {
		t.Fatal(err)
	}
	checkTwilioRequest(t, s, "Messages.json", url.Values{"To": {testTo}, "From": {testFrom}, "Body": {testText}})
}

func TestTwilio_Voice(t *testing.T) {
	s := newServer(t, answer(201, `{"sid":"CA0123","status":"queued"}`))
	m := method.Message{To: testTo, Channel: method.ChannelVoice, Text: `Code 1, 2 & "3" <4>`}
	if err := newTwilio(s.URL).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	checkTwilioRequest(t, s, "Calls.json", url.Values{"To": {testTo}, "From": {testFrom},
		"Twiml": {`<Response><Say>Code 1, 2 &amp; &#34;3&#34; &lt;4&gt;</Say></Response>`}})
}

// roundTripper answers every request itself, recording it.
type roundTripper struct{ req *http.Request }

func (rt *roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.req = r
	return &http.Response{StatusCode: 201, Body: io.NopCloser(strings.NewReader(`{"sid":"SM1"}`)),
		Header: http.Header{}, Request: r}, nil
}

func TestTwilio_DefaultBaseURL(t *testing.T) {
	rt := &roundTripper{}
	tw := &Twilio{AccountSID: testSID, AuthToken: testToken, From: testFrom, Client: &http.Client{Transport: rt}}
	if err := tw.Send(context.Background(), smsMessage); err != nil {
		t.Fatal(err)
	}
	want := "https://api.twilio.com/2010-04-01/Accounts/" + testSID + "/Messages.json"
	if rt.req == nil || rt.req.URL.String() != want {
		t.Fatalf("request to %v, want %s", rt.req.URL, want)
	}
	if _, ok := rt.req.Context().Deadline(); !ok {
		t.Fatal("request without a deadline")
	}
}

func TestTwilio_Failures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reply  http.HandlerFunc
		reason Reason
		status int
		detail []string // substrings the error must contain
	}{
		{"400 with Twilio's error", answer(400, `{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}`),
			ReasonStatus, 400, []string{"HTTP 400", "code 21211", "not a valid phone number"}},
		{"401 echoing secrets", answer(401, `{"code":20003,"message":"Authenticate `+testToken+` `+testText+`"}`),
			ReasonStatus, 401, []string{"HTTP 401", "code 20003", "[redacted]"}},
		{"500 with HTML", answer(500, `<html>oops</html>`), ReasonStatus, 500, []string{"HTTP 500"}},
		{"503 empty", answer(503, ``), ReasonStatus, 503, []string{"HTTP 503"}},
		{"2xx not JSON", answer(201, `OK`), ReasonMalformed, 201, []string{"HTTP 201"}},
		{"2xx without sid", answer(200, `{"status":"queued"}`), ReasonMalformed, 200, nil},
		{"2xx truncated JSON", answer(201, `{"sid":"SM1`), ReasonMalformed, 201, nil},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusTemporaryRedirect)
		}, ReasonStatus, 0, []string{"redirect"}},
		{"slow", slow, ReasonTimeout, 0, []string{"no answer within 200ms"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, tc.reply)
			start := time.Now()
			tw := newTwilio(s.URL)
			if tc.name == "slow" {
				tw.Timeout = slowLimit
			}
			err := tw.Send(context.Background(), smsMessage)
			de := checkFailure(t, err, tc.reason, testSID)
			if de.Status != tc.status {
				t.Errorf("status %d, want %d", de.Status, tc.status)
			}
			for _, d := range tc.detail {
				if !strings.Contains(err.Error(), d) {
					t.Errorf("error %q lacks %q", err, d)
				}
			}
			if s.count() != 1 {
				t.Errorf("%d requests", s.count())
			}
			if time.Since(start) > 3*time.Second {
				t.Errorf("the time limit was not applied")
			}
		})
	}
}

func TestTwilio_Refused(t *testing.T) {
	err := newTwilio(refusedURL(t)).Send(context.Background(), smsMessage)
	checkFailure(t, err, ReasonRefused, testSID)
}

// The caller's deadline is honoured too.
func TestTwilio_CallerDeadline(t *testing.T) {
	s := newServer(t, slow)
	tw := newTwilio(s.URL)
	tw.Timeout = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	checkFailure(t, tw.Send(ctx, smsMessage), ReasonTimeout)
}

func TestTwilio_Config(t *testing.T) {
	s := newServer(t, answer(201, `{"sid":"SM1"}`))
	for name, tw := range map[string]*Twilio{
		"no token":      {BaseURL: s.URL, AccountSID: testSID, From: testFrom},
		"no sid":        {BaseURL: s.URL, AuthToken: testToken, From: testFrom},
		"no from":       {BaseURL: s.URL, AccountSID: testSID, AuthToken: testToken},
		"plain http":    {BaseURL: "http://api.twilio.example", AccountSID: testSID, AuthToken: testToken, From: testFrom},
		"bad sid":       {BaseURL: s.URL, AccountSID: "AC1/../x", AuthToken: testToken, From: testFrom},
		"not a URL":     {BaseURL: "::", AccountSID: testSID, AuthToken: testToken, From: testFrom},
		"email channel": nil,
	} {
		t.Run(name, func(t *testing.T) {
			m := smsMessage
			if tw == nil {
				tw = newTwilio(s.URL)
				m.Channel = method.ChannelEmail
			}
			checkFailure(t, tw.Send(context.Background(), m), ReasonConfig)
		})
	}
	if s.count() != 0 {
		t.Fatalf("%d requests made with a bad configuration", s.count())
	}
}

// A call in German, French or Spanish is spoken by a voice for that
// language; English, and a language not mapped, by Twilio's default.
func TestTwiML(t *testing.T) {
	for lang, want := range map[string]string{
		"":    "<Response><Say>Hello. 1, 2.</Say></Response>",
		"de":  `<Response><Say language="de-DE">Hello. 1, 2.</Say></Response>`,
		"fr":  `<Response><Say language="fr-FR">Hello. 1, 2.</Say></Response>`,
		"es":  `<Response><Say language="es-ES">Hello. 1, 2.</Say></Response>`,
		"pl":  "<Response><Say>Hello. 1, 2.</Say></Response>",
		`"/>`: "<Response><Say>Hello. 1, 2.</Say></Response>",
	} {
		if got := TwiML(lang, "Hello. 1, 2."); got != want {
			t.Errorf("TwiML(%q) = %q, want %q", lang, got, want)
		}
	}
}

func TestTwilio_VoiceInGerman(t *testing.T) {
	s := newServer(t, answer(201, `{"sid":"CA0123","status":"queued"}`))
	m := method.Message{To: testTo, Channel: method.ChannelVoice, Language: "de", Text: "Hallo. Ihr Bestätigungscode lautet 1, 2."}
	if err := newTwilio(s.URL).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	checkTwilioRequest(t, s, "Calls.json", url.Values{"To": {testTo}, "From": {testFrom},
		"Twiml": {`<Response><Say language="de-DE">Hallo. Ihr Bestätigungscode lautet 1, 2.</Say></Response>`}})
}

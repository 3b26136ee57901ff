package delivery

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// newWebhook is a webhook sender for a test server, with a time limit long
// enough for a loaded machine; the test of the limit shortens it
// (slowLimit).
func newWebhook(u string) *Webhook {
	return &Webhook{URL: u, Key: testKey, Timeout: 5 * time.Second}
}

func TestWebhook_Send(t *testing.T) {
	s := newServer(t, answer(204, ``))
	m := method.Message{To: testTo, Channel: method.ChannelVoice, Text: testText}
	if err := newWebhook(s.URL+"/hooks/codes?x=1").Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if s.count() != 1 {
		t.Fatalf("%d requests", s.count())
	}
	r, body := s.reqs[0], s.bodys[0]
	if r.Method != http.MethodPost || r.URL.Path != "/hooks/codes" || r.URL.RawQuery != "x=1" {
		t.Errorf("request %s %s", r.Method, r.URL)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
	ts := r.Header.Get(TimestampHeader)
	if n, err := strconv.ParseInt(ts, 10, 64); err != nil || time.Since(time.Unix(n, 0)).Abs() > time.Minute {
		t.Errorf("timestamp %q is not now", ts)
	}
	mac := hmac.New(sha256.New, testKey)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	if got, want := r.Header.Get(SignatureHeader), hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("signature %q, want %q (over the timestamp and the body)", got, want)
	}
	if err := VerifyWebhook(testKey, ts, r.Header.Get(SignatureHeader), body, time.Now()); err != nil {
		t.Errorf("VerifyWebhook on the request sent: %v", err)
	}
	var got map[string]string
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"to": testTo, "channel": "voice", "message": testText}
	if len(got) != len(want) {
		t.Errorf("body %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("body[%s] = %q, want %q", k, got[k], v)
		}
	}

	// A message in German says so.
	m.Language, m.Text = "de", "Hallo. Ihr Bestätigungscode lautet 1, 2."
	if err := newWebhook(s.URL+"/hooks/codes").Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := json.Unmarshal(s.bodys[1], &got); err != nil {
		t.Fatal(err)
	}
	if got["language"] != "de" || got["message"] != m.Text {
		t.Errorf("body %v", got)
	}
}

// A known vector: HMAC-SHA256 with key "key" over the classic sentence.
func TestSign(t *testing.T) {
	got := Sign([]byte("key"), []byte("The quick brown fox jumps over the lazy dog"))
	if got != "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8" {
		t.Fatal(got)
	}
}

func TestWebhook_Failures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reply  http.HandlerFunc
		reason Reason
		status int
	}{
		{"400", answer(400, `{"error":"bad number `+testText+`"}`), ReasonStatus, 400},
		{"403", answer(403, ``), ReasonStatus, 403},
		{"500", answer(500, `boom`), ReasonStatus, 500},
		{"302", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://127.0.0.1:1/", http.StatusFound)
		}, ReasonStatus, 0},
		{"slow", slow, ReasonTimeout, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, tc.reply)
			wh := newWebhook(s.URL)
			if tc.name == "slow" {
				wh.Timeout = slowLimit
			}
			de := checkFailure(t, wh.Send(context.Background(), smsMessage), tc.reason)
			if de.Status != tc.status {
				t.Errorf("status %d, want %d", de.Status, tc.status)
			}
			if tc.status != 0 && !strings.Contains(de.Error(), "HTTP ") {
				t.Errorf("error %q does not name the status", de)
			}
		})
	}
	checkFailure(t, newWebhook(refusedURL(t)).Send(context.Background(), smsMessage), ReasonRefused)
}

func TestWebhook_Config(t *testing.T) {
	s := newServer(t, answer(200, ``))
	for name, w := range map[string]*Webhook{
		"no key":             {URL: s.URL},
		"plain http":         {URL: "http://hooks.contoso.example/sms", Key: testKey},
		"http to LAN":        {URL: "http://192.168.1.10/sms", Key: testKey},
		"loopback lookalike": {URL: "http://localhost.contoso.example/sms", Key: testKey},
		"ftp":                {URL: "ftp://127.0.0.1/sms", Key: testKey},
		"no host":            {URL: "https:///sms", Key: testKey},
	} {
		t.Run(name, func(t *testing.T) {
			checkFailure(t, w.Send(context.Background(), smsMessage), ReasonConfig)
		})
	}
	if s.count() != 0 {
		t.Fatalf("%d requests made with a bad configuration", s.count())
	}
}

func TestCheckURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://hooks.contoso.example/sms": true,
		"http://127.0.0.1:8080/sms":         true,
		"http://127.5.6.7/sms":              true,
		"http://[::1]:8080/sms":             true,
		"http://localhost:8080/sms":         true,
		"http://LOCALHOST/sms":              true,
		"http://hooks.contoso.example/sms":  false,
		"http://10.0.0.1/sms":               false,
		"http://[::ffff:8.8.8.8]/sms":       false,
		"ws://127.0.0.1/sms":                false,
	} {
		if err := CheckURL(u); (err == nil) != want {
			t.Errorf("CheckURL(%q) = %v, want ok %v", u, err, want)
		}
	}
}

// A captured request can't be replayed later, or with a new timestamp.
func TestVerifyWebhook_Replay(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	s := newServer(t, answer(204, ``))
	w := newWebhook(s.URL)
	w.Now = func() time.Time { return t0 }
	if err := w.Send(context.Background(), method.Message{To: testTo, Channel: method.ChannelSMS, Text: testText}); err != nil {
		t.Fatal(err)
	}
	r, body := s.reqs[0], s.bodys[0]
	ts, sig := r.Header.Get(TimestampHeader), r.Header.Get(SignatureHeader)
	for _, c := range []struct {
		name    string
		ts, sig string
		body    []byte
		now     time.Time
		want    error
	}{
		{"fresh", ts, sig, body, t0.Add(time.Minute), nil},
		{"replayed ten minutes later", ts, sig, body, t0.Add(10 * time.Minute), ErrWebhookStale},
		{"timestamp moved forward", strconv.FormatInt(t0.Add(10*time.Minute).Unix(), 10), sig, body, t0.Add(10 * time.Minute), ErrWebhookSignature},
		{"body changed", ts, sig, append([]byte(nil), append(body[:len(body)-1:len(body)-1], ' ')...), t0, ErrWebhookSignature},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := VerifyWebhook(testKey, c.ts, c.sig, c.body, c.now); !errors.Is(err, c.want) && (err != nil || c.want != nil) {
				t.Errorf("VerifyWebhook = %v, want %v", err, c.want)
			}
		})
	}
}

func TestWebhook_KeyTooLongRefused(t *testing.T) {
	s := newServer(t, answer(204, ``))
	w := newWebhook(s.URL)
	w.Key = make([]byte, MaxWebhookKey+1)
	if err := w.Send(context.Background(), method.Message{To: testTo, Channel: method.ChannelSMS, Text: testText}); err == nil || s.count() != 0 {
		t.Errorf("a %d-byte key: %v, %d requests", len(w.Key), err, s.count())
	}
}

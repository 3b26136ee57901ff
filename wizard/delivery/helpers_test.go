package delivery

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// Test credentials and a message; none of them may appear in an error.
const (
	testSID   = "AC0123456789abcdef0123456789abcdef"
	testToken = "tok-7f3e9c1d2b4a"
	testFrom  = "+15005550006"
	testTo    = "+447400123456"
	testText  = "Use verification code 482913 for Contoso security info registration."
	testCode  = "482913"
)

var testKey = []byte("webhook-key-5d8e1a")

var smsMessage = method.Message{To: testTo, Channel: method.ChannelSMS, Text: testText}

// server is a loopback HTTP server that records the requests it gets and
// answers with a handler the test sets.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []*http.Request
	bodys [][]byte
	reply http.HandlerFunc
}

func newServer(t *testing.T, reply http.HandlerFunc) *server {
	t.Helper()
	s := &server{reply: reply}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 0, 512)
		buf := make([]byte, 512)
		for {
			n, err := r.Body.Read(buf)
			body = append(body, buf[:n]...)
			if err != nil {
				break
			}
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, r)
		s.bodys = append(s.bodys, body)
		s.mu.Unlock()
		s.reply(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// count returns how many requests the server got.
func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// answer replies with status and body.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// slowLimit is the time limit of the tests that a slow provider exceeds.
const slowLimit = 200 * time.Millisecond

// slow answers only after the client has given up (or 5 s).
func slow(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
	answer(201, `{"sid":"SM1"}`)(w, r)
}

// refusedURL returns a loopback URL on which nothing listens.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// checkFailure asserts err is a delivery failure with the reason, free of
// every secret and of the message text.
func checkFailure(t *testing.T, err error, reason Reason, secrets ...string) *Error {
	t.Helper()
	if !errors.Is(err, ErrDeliveryFailed) {
		t.Fatalf("error %v does not match ErrDeliveryFailed", err)
	}
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v is not a *Error", err)
	}
	if de.Reason != reason {
		t.Fatalf("reason %q (%v), want %q", de.Reason, err, reason)
	}
	if !strings.HasPrefix(err.Error(), ErrDeliveryFailed.Error()) {
		t.Fatalf("error text %q does not start with the person's text", err)
	}
	for _, s := range append(secrets, testToken, testText, testCode, string(testKey)) {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("error %q reveals %q", err, s)
		}
	}
	return de
}

package delivery

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/smtptest"
	"github.com/securityinfo/securityinfo/wizard/method"
)

const (
	testAddress = "Alice.Smith+reset@fabrikam.example"
	testSubject = "Your Contoso verification code"
)

var emailMessage = method.Message{To: testAddress, Channel: method.ChannelEmail, Subject: testSubject,
	Text: testText + "\n\nThe code works for 10 minutes. Grüße, ça va — ünïcödé survives."}

// sender is an SMTP sender for srv, trusting its certificate.
func sender(srv *smtptest.Server, implicit bool) *SMTP {
	return &SMTP{Host: srv.Host, Port: srv.Port, ImplicitTLS: implicit, From: "security-info@contoso.example", FromName: "Contoso",
		Username: srv.Username, Password: srv.Password, RootCAs: srv.Pool, Timeout: 5 * time.Second}
}

// checkDelivered asserts the one message srv got is emailMessage, from the
// station over TLS, with the headers a mail client needs and nothing
// secret.
func checkDelivered(t *testing.T, srv *smtptest.Server) {
	t.Helper()
	ms := srv.Messages()
	if len(ms) != 1 {
		t.Fatalf("%d messages delivered", len(ms))
	}
	m := ms[0]
	if !m.TLS || m.User != srv.Username {
		t.Errorf("delivered over TLS %v, signed in as %q", m.TLS, m.User)
	}
	if m.From != "security-info@contoso.example" || len(m.To) != 1 || m.To[0] != testAddress {
		t.Errorf("envelope from %q to %q", m.From, m.To)
	}
	h := m.Header
	for name, want := range map[string]string{
		"From":           `"Contoso" <security-info@contoso.example>`,
		"To":             "<" + testAddress + ">",
		"Mime-Version":   "1.0",
		"Auto-Submitted": "auto-generated",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if got := m.DecodedSubject(); got != testSubject {
		t.Errorf("Subject: %q", got)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "charset=utf-8") {
		t.Errorf("Content-Type: %q", ct)
	}
	if d, err := h.Date(); err != nil || time.Since(d) > time.Hour {
		t.Errorf("Date: %q, %v", h.Get("Date"), err)
	}
	if id := h.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@contoso.example>") {
		t.Errorf("Message-ID: %q", id)
	}
	if h.Get("Content-Language") != "" {
		t.Errorf("an English email says Content-Language %q", h.Get("Content-Language"))
	}
	if h.Get("User-Agent") != "" || h.Get("X-Mailer") != "" {
		t.Error("the message names the library that sent it")
	}
	if strings.TrimRight(m.Body, "\n") != emailMessage.Text {
		t.Errorf("body %q, want %q", m.Body, emailMessage.Text)
	}
	if strings.Contains(string(m.Raw), srv.Password) || strings.Contains(m.DecodedSubject(), testCode) {
		t.Error("the message holds the SMTP password, or the code in its subject")
	}
}

func TestSMTP_StartTLSAndPlain(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	if err := sender(srv, false).Send(context.Background(), emailMessage); err != nil {
		t.Fatal(err)
	}
	checkDelivered(t, srv)
}

func TestSMTP_ImplicitTLSAndLogin(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{ImplicitTLS: true, LoginOnly: true})
	if err := sender(srv, true).Send(context.Background(), emailMessage); err != nil {
		t.Fatal(err)
	}
	checkDelivered(t, srv)
}

// wantFailure asserts err is an *Error of reason, free of secrets.
func wantFailure(t *testing.T, what string, err error, reason Reason) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Reason != reason || !errors.Is(err, ErrDeliveryFailed) {
		t.Fatalf("%s: %v (%#v), want reason %s", what, err, e, reason)
	}
	for _, secret := range []string{"smtp-password-1234", testCode} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: the error holds a secret: %v", what, err)
		}
	}
	return e
}

func TestSMTP_Failures(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})

	// A certificate the station doesn't trust: nothing is said in the clear.
	s := sender(srv, false)
	s.RootCAs = nil
	wantFailure(t, "untrusted certificate", s.Send(context.Background(), emailMessage), ReasonTLS)

	// Wrong credentials.
	s = sender(srv, false)
	s.Password = "not-the-password"
	e := wantFailure(t, "wrong password", s.Send(context.Background(), emailMessage), ReasonAuth)
	if e.Status != 535 || srv.AuthFailures() != 1 || strings.Contains(e.Error(), "not-the-password") {
		t.Errorf("wrong password: %v, status %d, %d refusals", e, e.Status, srv.AuthFailures())
	}

	// A recipient the server refuses.
	m := emailMessage
	m.To = "bounce@fabrikam.example"
	e = wantFailure(t, "refused recipient", sender(srv, false).Send(context.Background(), m), ReasonStatus)
	if e.Status != 550 {
		t.Errorf("refused recipient: status %d", e.Status)
	}

	// Implicit TLS spoken to a STARTTLS port fails; it never falls back.
	wantFailure(t, "TLS to a plain port", sender(srv, true).Send(context.Background(), emailMessage), ReasonTLS)

	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages delivered by failed sends", n)
	}

	// Nothing is tried for the wrong channel or without credentials.
	wantFailure(t, "sms by SMTP", sender(srv, false).Send(context.Background(), smsMessage), ReasonConfig)
	s = sender(srv, false)
	s.Username, s.Password = "", ""
	wantFailure(t, "no credentials", s.Send(context.Background(), emailMessage), ReasonConfig)
}

// A server without STARTTLS never hears the credentials.
func TestSMTP_NoStartTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{NoTLS: true})
	wantFailure(t, "no STARTTLS", sender(srv, false).Send(context.Background(), emailMessage), ReasonTLS)
	if srv.AuthFailures() != 0 || len(srv.Messages()) != 0 {
		t.Error("credentials or a message went over a plain connection")
	}
}

func TestSMTP_TimeoutCancelAndRefused(t *testing.T) {
	silent := smtptest.Start(t, smtptest.Options{Silent: true})
	s := sender(silent, false)
	s.Timeout = 300 * time.Millisecond
	wantFailure(t, "silent server", s.Send(context.Background(), emailMessage), ReasonTimeout)

	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	s.Timeout = time.Minute
	wantFailure(t, "cancelled", s.Send(ctx, emailMessage), ReasonCancelled)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s = sender(silent, false)
	s.Port = port
	wantFailure(t, "closed port", s.Send(context.Background(), emailMessage), ReasonRefused)
}

func TestByChannel(t *testing.T) {
	var email, phone []method.Channel
	b := ByChannel{
		Email: senderFunc(func(_ context.Context, m method.Message) error { email = append(email, m.Channel); return nil }),
		Phone: senderFunc(func(_ context.Context, m method.Message) error { phone = append(phone, m.Channel); return nil }),
	}
	for _, ch := range []method.Channel{method.ChannelSMS, method.ChannelEmail, method.ChannelVoice} {
		if err := b.Send(context.Background(), method.Message{Channel: ch}); err != nil {
			t.Fatal(err)
		}
	}
	if len(email) != 1 || email[0] != method.ChannelEmail || len(phone) != 2 {
		t.Errorf("email got %v, phone %v", email, phone)
	}
}

type senderFunc func(context.Context, method.Message) error

func (f senderFunc) Send(ctx context.Context, m method.Message) error { return f(ctx, m) }

// A German email arrives as it was written: subject and body with umlauts
// and ß, sent in 7-bit (an RFC 2047 encoded subject, a UTF-8 body in a
// transfer encoding), so that no server or relay along the way needs
// 8BITMIME, and decoded by the receiver to the very same text.
func TestSMTP_NonASCIIArrivesIntact(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	m := method.Message{To: testAddress, Channel: method.ChannelEmail, Language: "de", Subject: "Ihr Bestätigungscode für Contoso",
		Text: "Mit dem Bestätigungscode 123456 weisen Sie nach, dass Sie es sind, und setzen Ihr Kennwort für Contoso zurück.\n\n" +
			"Der Code gilt 10 Minuten. Grüße aus Köln, Straße 5: äöü ÄÖÜ ß — « ça va » ¿qué?\n"}
	if err := sender(srv, false).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	ms := srv.Messages()
	if len(ms) != 1 {
		t.Fatalf("%d messages delivered", len(ms))
	}
	got := ms[0]
	for i, b := range got.Raw {
		if b >= 0x80 {
			t.Fatalf("byte %d of the message is not 7-bit (%#x): %q", i, b, got.Raw[max(i-20, 0):min(i+20, len(got.Raw))])
		}
	}
	if raw := got.Header.Get("Subject"); !strings.HasPrefix(strings.ToUpper(raw), "=?UTF-8?") {
		t.Errorf("raw subject %q is not an RFC 2047 encoded word in UTF-8", raw)
	}
	if s := got.DecodedSubject(); s != m.Subject {
		t.Errorf("subject %q, want %q", s, m.Subject)
	}
	if ct := strings.ToLower(got.Header.Get("Content-Type")); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(ct, "charset=utf-8") {
		t.Errorf("Content-Type %q", ct)
	}
	if cl := got.Header.Get("Content-Language"); cl != "de" {
		t.Errorf("Content-Language %q", cl)
	}
	if cte := strings.ToLower(got.Header.Get("Content-Transfer-Encoding")); cte != "quoted-printable" && cte != "base64" {
		t.Errorf("Content-Transfer-Encoding %q", cte)
	}
	if strings.TrimRight(got.Body, "\n") != strings.TrimRight(m.Text, "\n") {
		t.Errorf("body %q, want %q", got.Body, m.Text)
	}
}

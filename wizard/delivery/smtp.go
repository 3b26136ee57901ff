package delivery

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
	mailsmtp "github.com/wneessen/go-mail/smtp"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// Reasons an email fails that only SMTP has.
const (
	// ReasonAuth: the mail server refused the station's credentials, or
	// offers no way to sign in that the sender uses (PLAIN or LOGIN, over
	// TLS).
	ReasonAuth Reason = "auth"
	// ReasonTLS: the mail server offers no TLS (STARTTLS), or its
	// certificate isn't trusted for its name.
	ReasonTLS Reason = "tls"
)

// SMTP sends email through the organisation's mail server (RFC 6409
// submission), with github.com/wneessen/go-mail building the message and
// speaking SMTP. Mail is only ever sent over TLS: STARTTLS on the
// submission port (587), which must succeed before anything else is said,
// or TLS from the first byte (ImplicitTLS, port 465). The station signs in
// with PLAIN or LOGIN, never before TLS is up. Each message is plain text
// in UTF-8, from From, marked Auto-Submitted so that out-of-office replies
// stay away. Send honours its context: the whole conversation ends at its
// deadline or when it is cancelled.
type SMTP struct {
	// Host is the mail server's name; its certificate must be valid for it.
	Host string
	// Port is the server's port (587 or 465 usually).
	Port int
	// ImplicitTLS speaks TLS from the start (port 465) instead of STARTTLS.
	ImplicitTLS bool
	// From is the address mail comes from, in the envelope and the From
	// header.
	From string
	// FromName is shown beside From ("Contoso"); empty for none.
	FromName string
	// Username and Password are the station's credentials, read by the
	// caller from the OS keyring. Both are required.
	Username, Password string
	// RootCAs are the authorities trusted for the server's certificate;
	// nil means the system's.
	RootCAs *x509.CertPool
	// Timeout overrides the time limit (default Timeout); for tests.
	Timeout time.Duration
}

var _ method.Sender = (*SMTP)(nil)

// DefaultSubject is an email's subject when the message has none.
const DefaultSubject = "Security info"

// Send emails m.Text to m.To with the subject m.Subject. Only the email
// channel is sent. A failure is an *Error: ReasonConfig (nothing was
// tried), ReasonTimeout, ReasonRefused, ReasonNetwork, ReasonTLS,
// ReasonAuth, or ReasonStatus with the server's SMTP reply code in Status.
// No error holds the password or the message text.
func (s *SMTP) Send(ctx context.Context, m method.Message) error {
	const provider = "smtp"
	switch {
	case m.Channel != method.ChannelEmail:
		return configError(provider, "only email is sent by SMTP, not "+string(m.Channel))
	case s.Host == "" || s.From == "":
		return configError(provider, "no mail server or sender address is configured")
	case s.Username == "" || s.Password == "":
		return configError(provider, "no credentials are configured")
	}
	d := limit(s.Timeout)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return transportError(provider, err, d)
	}
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	tlsConf := &tls.Config{ServerName: s.Host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}
	port := s.Port
	if port == 0 {
		port = 587
	}
	deadline, _ := ctx.Deadline()
	opts := []mail.Option{
		mail.WithPort(port),
		mail.WithTimeout(time.Until(deadline)),
		mail.WithTLSConfig(tlsConf),
		mail.WithSMTPAuthCustom(&tlsAuth{user: s.Username, pass: s.Password, host: s.Host}),
		mail.WithDialContextFunc(s.dialer(ctx, tlsConf)),
	}
	if s.ImplicitTLS {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return configError(provider, "the mail server settings are not valid: "+clean(err.Error()))
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return s.classify(ctx, err, d)
	}
	return nil
}

// message builds the email for m.
func (s *SMTP) message(m method.Message) (*mail.Msg, error) {
	const provider = "smtp"
	// UTF-8 in quoted-printable, the subject in RFC 2047 encoded words
	// (go-mail's defaults, pinned): messages in German, French or Spanish
	// travel in 7 bits, whatever the servers on the way say of 8BITMIME.
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent(), mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP))
	if err := msg.FromFormat(s.FromName, s.From); err != nil {
		return nil, configError(provider, "the sender address is not valid")
	}
	if err := msg.To(m.To); err != nil {
		return nil, configError(provider, "the recipient address is not valid")
	}
	subject := m.Subject
	if subject == "" {
		subject = DefaultSubject
	}
	msg.Subject(subject)
	msg.SetDate()
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, configError(provider, "no randomness for a message ID")
	}
	domain := s.From[strings.LastIndexByte(s.From, '@')+1:]
	msg.SetMessageIDWithValue(hex.EncodeToString(id) + "@" + domain)
	// RFC 3834: an automatic message, not to be answered automatically.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if m.Language != "" {
		// RFC 3282: for a reader's spell checker or speech.
		msg.SetGenHeader(mail.HeaderContentLang, m.Language)
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	return msg, nil
}

// dialer connects to the server with every read and write bounded by
// ctx: at its deadline, or as soon as it is cancelled, the conversation
// fails instead of waiting on a server that stopped answering. With
// ImplicitTLS the connection is TLS from the start.
func (s *SMTP) dialer(ctx context.Context, conf *tls.Config) mail.DialContextFunc {
	return func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(dialCtx, network, addr)
		if err != nil {
			return nil, err
		}
		if dl, ok := ctx.Deadline(); ok {
			c.SetDeadline(dl)
		}
		// Once ctx is done, every read and write fails at once.
		context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
		if !s.ImplicitTLS {
			return c, nil
		}
		tc := tls.Client(c, conf)
		if err := tc.HandshakeContext(dialCtx); err != nil {
			c.Close()
			return nil, err
		}
		return tc, nil
	}
}

// classify turns what go-mail returned into an *Error.
func (s *SMTP) classify(ctx context.Context, err error, d time.Duration) *Error {
	const provider = "smtp"
	text := redact(err.Error(), s.Password, s.Username)
	var tp *textproto.Error
	var se *mail.SendError
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce *tls.CertificateVerificationError
	var re tls.RecordHeaderError
	switch {
	case errors.Is(err, errNoTLSAuth), errors.Is(err, errNoAuthMechanism):
		return &Error{Provider: provider, Reason: ReasonAuth, Detail: text, Err: err}
	case errors.As(err, &tp) && isAuthCode(tp.Code):
		return &Error{Provider: provider, Reason: ReasonAuth, Status: tp.Code,
			Detail: "the mail server refused the station's credentials (SMTP " + strconv.Itoa(tp.Code) + ")", Err: err}
	case errors.As(err, &ue), errors.As(err, &he), errors.As(err, &ce), errors.As(err, &re),
		strings.Contains(text, "does not support STARTTLS"):
		return &Error{Provider: provider, Reason: ReasonTLS, Detail: "TLS: " + text, Err: err}
	case errors.As(err, &tp):
		return &Error{Provider: provider, Reason: ReasonStatus, Status: tp.Code,
			Detail: "SMTP " + strconv.Itoa(tp.Code) + ": " + clean(redact(tp.Msg, s.Password)), Err: err}
	case errors.As(err, &se) && se.ErrorCode() > 0:
		// Not the whole text: it names the recipient and the message.
		return &Error{Provider: provider, Reason: ReasonStatus, Status: se.ErrorCode(),
			Detail: strings.TrimSpace("SMTP " + strconv.Itoa(se.ErrorCode()) + " " + se.EnhancedStatusCode() + " " + se.Reason.String()), Err: err}
	case ctx.Err() != nil:
		return transportError(provider, ctx.Err(), d)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return transportError(provider, context.DeadlineExceeded, d)
	}
	return transportError(provider, err, d)
}

// isAuthCode reports whether an SMTP reply code refuses authentication
// (RFC 4954: 530 required, 534 mechanism too weak, 535 credentials
// invalid, 538 encryption required).
func isAuthCode(code int) bool { return code == 530 || code == 534 || code == 535 || code == 538 }

var (
	errNoTLSAuth       = errors.New("the mail server connection is not encrypted: credentials are not sent")
	errNoAuthMechanism = errors.New("the mail server offers neither PLAIN nor LOGIN sign-in")
)

// tlsAuth signs in with PLAIN, or LOGIN where the server offers only
// that (as Exchange Online does), and only over TLS.
type tlsAuth struct {
	user, pass, host string
	inner            mailsmtp.Auth
}

// Start picks the mechanism from what the server offers.
func (a *tlsAuth) Start(si *mailsmtp.ServerInfo) (string, []byte, error) {
	if !si.TLS {
		return "", nil, errNoTLSAuth
	}
	switch {
	case slices.Contains(si.Auth, "PLAIN"):
		a.inner = mailsmtp.PlainAuth("", a.user, a.pass, a.host, false)
	case slices.Contains(si.Auth, "LOGIN"):
		a.inner = mailsmtp.LoginAuth(a.user, a.pass, a.host, false)
	default:
		return "", nil, errNoAuthMechanism
	}
	return a.inner.Start(si)
}

// Next continues the chosen mechanism.
func (a *tlsAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if a.inner == nil {
		return nil, errNoAuthMechanism
	}
	return a.inner.Next(fromServer, more)
}

// CertPool reads a PEM file of certificate authorities, for SMTP.RootCAs
// (the policy's smtp_ca_file).
func CertPool(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the mail server's authorities: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("read the mail server's authorities: %s holds no PEM certificate", path)
	}
	return pool, nil
}

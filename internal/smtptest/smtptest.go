// Package smtptest runs a real SMTP submission server on loopback for
// tests (github.com/emersion/go-smtp): TLS through STARTTLS or from the
// first byte, with a throwaway self-signed certificate the test trusts
// through a CA file, sign-in required (PLAIN, or LOGIN alone as Exchange
// Online offers it) and offered only over TLS, and every message it
// accepts kept for the test to read. It is for tests only.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options say how the server behaves.
type Options struct {
	// ImplicitTLS speaks TLS from the first byte (port 465's way); else
	// the server offers STARTTLS.
	ImplicitTLS bool
	// NoTLS offers no STARTTLS at all (a misconfigured server).
	NoTLS bool
	// LoginOnly offers AUTH LOGIN and not PLAIN.
	LoginOnly bool
	// Username and Password are the credentials it accepts; defaults
	// "station1@contoso.example" and "smtp-password-1234".
	Username, Password string
	// Silent makes the server accept connections and never answer.
	Silent bool
}

// Message is one accepted email.
type Message struct {
	// From and To are the envelope's.
	From string
	To   []string
	// Raw is the message as received (headers and body).
	Raw []byte
	// Header is Raw's header.
	Header mail.Header
	// Body is the text body, decoded from its transfer encoding.
	Body string
	// TLS says the message came over TLS; User is who signed in.
	TLS  bool
	User string
}

// Server is a running SMTP server on 127.0.0.1.
type Server struct {
	// Host is the name its certificate is valid for ("localhost").
	Host string
	// Port is the port it listens on.
	Port int
	// CAFile is a PEM file with the certificate, for smtp_ca_file.
	CAFile string
	// Pool is the certificate as a pool of authorities.
	Pool *x509.CertPool
	// Username and Password are the credentials it accepts.
	Username, Password string

	mu       sync.Mutex
	messages []Message
	authFail int
}

// Start runs a server until the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Username == "" {
		o.Username, o.Password = "station1@contoso.example", "smtp-password-1234"
	}
	cert, pemBytes := selfSigned(t)
	s := &Server{Host: "localhost", Username: o.Username, Password: o.Password, Pool: x509.NewCertPool()}
	s.Pool.AppendCertsFromPEM(pemBytes)
	s.CAFile = filepath.Join(t.TempDir(), "smtp-ca.pem")
	if err := os.WriteFile(s.CAFile, pemBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Port = l.Addr().(*net.TCPAddr).Port
	if o.Silent {
		go func() {
			var held []net.Conn
			for {
				c, err := l.Accept()
				if err != nil {
					for _, c := range held {
						c.Close()
					}
					return
				}
				held = append(held, c) // never answered
			}
		}()
		t.Cleanup(func() { l.Close() })
		return s
	}
	conf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv := smtp.NewServer(&backend{s: s, o: o})
	srv.Domain = "localhost"
	srv.ErrorLog = quietLog{}
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 1 << 20
	if !o.NoTLS {
		srv.TLSConfig = conf
	}
	if o.ImplicitTLS {
		l = tls.NewListener(l, conf)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Messages returns the messages accepted so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// AuthFailures returns how many sign-ins it refused.
func (s *Server) AuthFailures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authFail
}

// Wait waits up to 20 s for n messages and returns them.
func (s *Server) Wait(t testing.TB, n int) []Message {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ms := s.Messages(); len(ms) >= n {
			return ms
		}
	}
	t.Fatalf("the mail server received %d messages, want %d", len(s.Messages()), n)
	return nil
}

type backend struct {
	s *Server
	o Options
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{b: b, c: c}, nil
}

type session struct {
	b    *backend
	c    *smtp.Conn
	user string
	from string
	to   []string
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
var errBadCredentials = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}

func (s *session) AuthMechanisms() []string {
	if s.b.o.LoginOnly {
		return []string{"LOGIN"}
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != s.b.s.Username || subtle.ConstantTimeCompare([]byte(pass), []byte(s.b.s.Password)) != 1 {
			s.b.s.mu.Lock()
			s.b.s.authFail++
			s.b.s.mu.Unlock()
			return errBadCredentials
		}
		s.user = user
		return nil
	}
	if mech == "LOGIN" {
		return &loginServer{check: check}, nil
	}
	return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == "" {
		return errAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "bounce@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.c.TLSConnectionState()
	m := Message{From: s.from, To: s.to, Raw: raw, TLS: isTLS, User: s.user}
	if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Header = msg.Header
		m.Body = decodeBody(msg)
	}
	s.b.s.mu.Lock()
	s.b.s.messages = append(s.b.s.messages, m)
	s.b.s.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// decodeBody reads a text body in its transfer encoding.
func decodeBody(msg *mail.Message) string {
	var r io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &crlfStripper{r: r})
	}
	b, _ := io.ReadAll(r)
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// DecodedSubject is the Subject header decoded from RFC 2047.
func (m Message) DecodedSubject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return s
}

type crlfStripper struct{ r io.Reader }

func (c *crlfStripper) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	j := 0
	for _, b := range p[:n] {
		if b != '\r' && b != '\n' {
			p[j] = b
			j++
		}
	}
	return j, err
}

// loginServer is SASL LOGIN (draft-murchison-sasl-login): user name, then
// password, each after a prompt.
type loginServer struct {
	check func(user, pass string) error
	step  int
	user  string
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step++
		if len(response) > 0 { // an initial response is the user name
			l.user = string(response)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		l.user = string(response)
		l.step++
		return []byte("Password:"), false, nil
	case 2:
		l.step++
		return nil, true, l.check(l.user, string(response))
	}
	return nil, true, errors.New("unexpected LOGIN step")
}

// selfSigned makes a throwaway certificate for localhost and 127.0.0.1.
func selfSigned(t testing.TB) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"smtptest " + strconv.Itoa(os.Getpid())}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// quietLog drops the server's log lines (clients that hang up early).
type quietLog struct{}

func (quietLog) Printf(string, ...interface{}) {}
func (quietLog) Println(...interface{})        {}

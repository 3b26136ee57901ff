// Package directory is the storage backend that keeps people's security
// info in the organisation's OpenLDAP directory, so that what a person
// registers at any station is enforced by every service that
// authenticates against the directory, and nothing per-person stays on a
// station.
//
// Accounts are the directory's people; signing in is a simple bind as the
// person, whose password policy (slapo-ppolicy) counts failures and locks.
// An authenticator app is a child entry of the person in the OATH-LDAP
// schema that slapo-otp enforces at every bind (an oathTOTPToken with the
// raw seed in oathSecret), linked from the person's oathTOTPToken
// attribute; other methods, app passwords (binding with userPassword),
// the Temporary Access Pass and the audit log use the securityinfo schema
// in assets/directory. The station binds as its own account, whose
// password lives in the station's keyring; the station's other
// credentials (delivery providers, the kiosk passphrase) stay in the
// station's keyring too.
package directory

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// DefaultTimeout bounds every directory request when Config.Timeout is 0.
const DefaultTimeout = 5 * time.Second

// Config says where the directory is and how the station finds people in
// it: the policy's [directory] table.
type Config struct {
	// URL is ldaps://host[:port], or ldap://host[:port] upgraded with
	// StartTLS; plain ldap:// without TLS only to a loopback address.
	URL string
	// BaseDN is the directory's suffix, e.g. dc=contoso,dc=example.
	BaseDN string
	// AccountFilter finds a person by what they type; every %s is
	// replaced by the escaped name, e.g. (|(uid=%s)(mail=%s)).
	AccountFilter string
	// BindDN is the station's own account.
	BindDN string
	// HelpdeskGroup is the groupOfNames whose members may use a
	// helpdesk station; empty means nobody may.
	HelpdeskGroup string
	// CAFile is a PEM file of the certificate authorities to trust for
	// TLS; empty means the system's.
	CAFile string
	// Timeout bounds each request (DefaultTimeout if zero).
	Timeout time.Duration
	// Station names this machine in the audit entries the directory
	// writes itself (a cut-off removal it finishes: finishRemovals); the
	// app gives storage.StationName.
	Station string
}

// Derived names in the tree (assets/directory/README.md).
func (c Config) peopleDN() string { return "ou=people," + c.BaseDN }
func (c Config) auditDN() string  { return "ou=audit," + c.BaseDN }
func (c Config) paramsDN() string { return "cn=totp-sha1-6-30,ou=oath," + c.BaseDN }
func (c Config) triesDN() string  { return "ou=tries," + c.BaseDN }

func (c Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// Check reports the first setting that can't work, as "key: what to
// change".
func (c Config) Check() error {
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" || (u.Scheme != "ldap" && u.Scheme != "ldaps") {
		return errors.New("url: use ldaps://host or ldap://host (StartTLS), e.g. ldaps://ldap.contoso.example")
	}
	if _, err := ldap.ParseDN(c.BaseDN); err != nil || c.BaseDN == "" {
		return errors.New("base_dn: give the directory's suffix, e.g. dc=contoso,dc=example")
	}
	if !strings.Contains(c.AccountFilter, "%s") || !strings.HasPrefix(c.AccountFilter, "(") {
		return errors.New(`account_filter: give an LDAP filter with %s where the typed name goes, e.g. (|(uid=%s)(mail=%s))`)
	}
	if _, err := ldap.CompileFilter(strings.ReplaceAll(c.AccountFilter, "%s", "x")); err != nil {
		return fmt.Errorf("account_filter: not a valid LDAP filter: %w", err)
	}
	if _, err := ldap.ParseDN(c.BindDN); err != nil || c.BindDN == "" {
		return errors.New("bind_dn: give the station account's DN, e.g. cn=station1,ou=stations,dc=contoso,dc=example")
	}
	if c.HelpdeskGroup != "" {
		if _, err := ldap.ParseDN(c.HelpdeskGroup); err != nil {
			return errors.New("helpdesk_group: give the helpdesk group's DN")
		}
	}
	if c.CAFile != "" {
		if _, err := os.Stat(c.CAFile); err != nil {
			return fmt.Errorf("ca_file: %w", err)
		}
	}
	return nil
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Bound does nothing: people's secrets are in the directory, whose
// requests have their own time limit (Config.Timeout).
func (d *Directory) Bound(time.Duration) (end func()) { return func() {} }

// StationSecrets keeps the station's own credentials in its keyring; the
// local store (storage.Local) is one.
type StationSecrets interface {
	SetStationSecret(name string, secret []byte) error
	StationSecret(name string) ([]byte, error)
	DeleteStationSecret(name string) error
	CheckSecrets() error
}

// Directory is an info.Store kept in an OpenLDAP directory. It is safe
// for concurrent use: requests as the station share one connection, made
// again when it breaks; a person's bind uses a connection of its own.
type Directory struct {
	cfg      Config
	password []byte
	station  StationSecrets
	tls      *tls.Config

	mu   sync.Mutex
	conn *ldap.Conn

	dnMu sync.Mutex
	dns  map[string]string // info.AccountKey of a typed name → person's DN

	// triesKey is the key of the try slots (siTryKey on ou=tries), read
	// at Open; triesErr says why there is none (TriesNote), and the
	// failures of names that name nobody are then kept in memory.
	triesKey []byte
	triesErr error
	// oldSlots says that Open found try slots of an earlier version's
	// layout (oldTrySlots), whose counts readSlot carries over; without
	// them a name's try reads its one slot only.
	oldSlots bool

	seenMu sync.Mutex
	seen   map[string]seen // slot DN → what Account read of it (seeSlot)

	// failed holds the tokens whose registration this station reported
	// failed and could not take back (the directory went away): the next
	// read of the person's methods takes them back whatever their mark's
	// age, even one whose last write was applied unanswered
	// (undoRegistrations).
	failedMu sync.Mutex
	failed   map[string]bool // lower-cased token DN

	// answers is how names that name nobody answer where apps are
	// enforced at bind (UnknownCodeAtBind).
	answers appShare
}

var _ info.Store = (*Directory)(nil)

// Open connects to the directory as the station (BindDN with password)
// and checks that it answers. station keeps the station's other
// credentials. Errors say what to do: ErrDirectoryUnavailable when the
// server can't be reached in time, ErrStationCredential when it refuses
// the station's credential.
func Open(cfg Config, password []byte, station StationSecrets) (*Directory, error) {
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("directory settings: %w", err)
	}
	d := &Directory{cfg: cfg, password: append([]byte(nil), password...), station: station, dns: map[string]string{}}
	u, _ := url.Parse(cfg.URL)
	d.tls = &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("directory settings: ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("directory settings: ca_file %s holds no PEM certificate", cfg.CAFile)
		}
		d.tls.RootCAs = pool
	}
	_, err := d.stationConn()
	if err != nil {
		return nil, err
	}
	// A directory set up before ou=tries existed keeps working, with
	// those failures in memory: it says so (TriesNote) rather than
	// refusing every sign-in until its schema and tree are updated.
	d.triesKey, d.triesErr = d.openTries()
	if d.triesErr != nil && !errors.Is(d.triesErr, ErrNoTries) &&
		!ldap.IsErrorAnyOf(d.triesErr, ldap.LDAPResultInsufficientAccessRights, ldap.LDAPResultUndefinedAttributeType, ldap.LDAPResultObjectClassViolation) {
		d.Close()
		return nil, d.triesErr
	}
	if ldap.IsErrorWithCode(d.triesErr, ldap.LDAPResultInsufficientAccessRights) {
		d.triesErr = fmt.Errorf("%w (add slapd.conf's access rule for ou=tries, assets/directory/README.md)", d.triesErr)
	}
	if d.triesErr == nil {
		if d.oldSlots, err = d.oldTrySlots(); err != nil {
			d.Close()
			return nil, err
		}
	}
	return d, nil
}

// Errors of the directory backend, checked with errors.Is.
var (
	// ErrStationCredential means the directory refused the station's own
	// bind: the credential is missing, wrong or expired.
	ErrStationCredential = errors.New("the directory refused this station's credential: set it again with 'securityinfo directory credential'")
	// ErrPlainLDAP means a plain ldap:// URL to another machine without
	// StartTLS was refused.
	ErrPlainLDAP = errors.New("the directory refused StartTLS: use ldaps:// or enable TLS on the server (plain ldap:// is only allowed to this machine)")
	// ErrCertificate means the station refused the directory's TLS
	// certificate (an authority it doesn't trust, another name, out of
	// date); the error says which, and what to set.
	ErrCertificate = errors.New("this station refused the directory's TLS certificate")
)

// startTLSOnLoopback makes dial upgrade a loopback ldap:// URL with
// StartTLS too; tests set it, as their servers are all on loopback.
var startTLSOnLoopback = false

// certificateError says what was wrong with the directory's certificate
// when err is the station refusing it, and nil otherwise. A TLS dial
// (ldaps://) keeps crypto/x509's error; go-ldap's StartTLS keeps only its
// text ("TLS handshake failed (%v)"), so that is read by crypto/x509's
// wording, which has been the same since Go 1.0.
func (d *Directory) certificateError(err error) error {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	msg := err.Error()
	switch {
	case errors.As(err, &unknown), strings.Contains(msg, "x509: certificate signed by unknown authority"):
		if d.cfg.CAFile != "" {
			return fmt.Errorf("%w: it is not signed by an authority in ca_file %s: put the certificate of the authority that issued it there: %w", ErrCertificate, d.cfg.CAFile, err)
		}
		return fmt.Errorf("%w: it is not signed by an authority this station trusts: set ca_file in the policy's [directory] table to a PEM file with the certificate of the authority that issued it: %w", ErrCertificate, err)
	case errors.As(err, &hostname), strings.Contains(msg, "x509: certificate is valid for"), strings.Contains(msg, "x509: cannot validate certificate for"):
		u, _ := url.Parse(d.cfg.URL)
		return fmt.Errorf("%w: it is not for %s: use a name the certificate names in url: %w", ErrCertificate, u.Hostname(), err)
	case errors.As(err, &invalid), strings.Contains(msg, "x509: "):
		return fmt.Errorf("%w: it is not valid (out of date, or not for a server): check the server's certificate and this station's clock: %w", ErrCertificate, err)
	}
	return nil
}

// dial opens a connection (TLS as the URL asks) without binding.
func (d *Directory) dial() (*ldap.Conn, error) {
	u, _ := url.Parse(d.cfg.URL)
	dialer := &net.Dialer{Timeout: d.cfg.timeout()}
	c, err := ldap.DialURL(d.cfg.URL, ldap.DialWithDialer(dialer), ldap.DialWithTLSConfig(d.tls))
	if err != nil {
		if cerr := d.certificateError(err); cerr != nil {
			return nil, cerr
		}
		return nil, unavailable("connect", err)
	}
	c.SetTimeout(d.cfg.timeout())
	if u.Scheme == "ldap" && (!loopback(u.Hostname()) || startTLSOnLoopback) {
		if err := c.StartTLS(d.tls); err != nil {
			c.Close()
			return nil, d.startTLSError(err)
		}
	}
	return c, nil
}

// startTLSError says why StartTLS failed: the station refused the
// server's certificate, the TLS handshake failed otherwise, the server
// refused StartTLS (it answered the request with an error), or the
// connection was lost.
func (d *Directory) startTLSError(err error) error {
	if cerr := d.certificateError(err); cerr != nil {
		return cerr
	}
	if strings.Contains(err.Error(), "TLS handshake failed") {
		return fmt.Errorf("TLS with the directory failed (StartTLS): check the server's TLS settings, or use ldaps://: %w", err)
	}
	// The server's own answer (result codes below go-ldap's client-side
	// ones): slapd without TLS answers 52, "Could not initialize TLS".
	var le *ldap.Error
	if errors.As(err, &le) && le.ResultCode < ldap.ErrorNetwork {
		return fmt.Errorf("%w: %w", ErrPlainLDAP, err)
	}
	return unavailable("start TLS", err)
}

// stationConn returns the shared connection bound as the station,
// dialling and binding again if there is none.
func (d *Directory) stationConn() (*ldap.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil && !d.conn.IsClosing() {
		return d.conn, nil
	}
	c, err := d.dial()
	if err != nil {
		return nil, err
	}
	if err := c.Bind(d.cfg.BindDN, string(d.password)); err != nil {
		c.Close()
		if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			return nil, fmt.Errorf("%w (%s)", ErrStationCredential, d.cfg.BindDN)
		}
		return nil, unavailable("bind as the station", err)
	}
	d.conn = c
	return c, nil
}

// do runs op on the station's connection; if the connection broke, it
// connects again and runs op once more.
func (d *Directory) do(op func(*ldap.Conn) error) error {
	for attempt := 0; ; attempt++ {
		c, err := d.stationConn()
		if err != nil {
			return err
		}
		err = op(c)
		// A connection the server ended while a request waited answers
		// it with go-ldap's plain "unable to read LDAP response packet",
		// which no result code marks: the connection closing is the sign.
		lost := err != nil && (broken(err) || c.IsClosing())
		if err == nil || attempt == 1 || !lost {
			if lost {
				return unavailable("request", err)
			}
			return err
		}
		d.mu.Lock()
		if d.conn == c {
			d.conn.Close()
			d.conn = nil
		}
		d.mu.Unlock()
	}
}

// broken reports whether err means the connection is gone or timed out.
func broken(err error) bool {
	if err == nil {
		return false
	}
	return ldap.IsErrorAnyOf(err, ldap.ErrorNetwork, ldap.LDAPResultTimeout, ldap.LDAPResultServerDown, ldap.LDAPResultUnavailable) ||
		errors.Is(err, ldap.ErrConnUnbound) || strings.Contains(err.Error(), "timeout")
}

// unavailable wraps a connection failure as info.ErrDirectoryUnavailable.
func unavailable(what string, err error) error {
	return fmt.Errorf("%s: %w: %w", what, info.ErrDirectoryUnavailable, err)
}

// CheckSecrets reports whether the directory (where secrets live) and the
// station's keyring can be used now.
func (d *Directory) CheckSecrets() error {
	if err := d.do(func(c *ldap.Conn) error { _, err := c.WhoAmI(nil); return err }); err != nil {
		return err
	}
	return d.station.CheckSecrets()
}

// Close ends the station's connection.
func (d *Directory) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil {
		d.conn.Close()
		d.conn = nil
	}
	for i := range d.password {
		d.password[i] = 0
	}
	return nil
}

// SetStationSecret keeps one of the station's credentials in its keyring.
func (d *Directory) SetStationSecret(name string, secret []byte) error {
	return d.station.SetStationSecret(name, secret)
}

// StationSecret reads one of the station's credentials from its keyring.
func (d *Directory) StationSecret(name string) ([]byte, error) { return d.station.StationSecret(name) }

// DeleteStationSecret removes one of the station's credentials.
func (d *Directory) DeleteStationSecret(name string) error {
	return d.station.DeleteStationSecret(name)
}

// generalized formats t as an LDAP GeneralizedTime that sorts and
// compares in time order.
func generalized(t time.Time) string { return t.UTC().Format("20060102150405.000000Z") }

// parseGeneralized reads a GeneralizedTime; the zero time if empty or bad.
func parseGeneralized(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse("20060102150405.999999999Z0700", s)
	if err != nil {
		return time.Time{}
	}
	return t
}

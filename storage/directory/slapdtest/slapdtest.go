// Package slapdtest runs real OpenLDAP slapd servers for tests.
//
// It is for tests only (a normal package so that the tests of several
// packages and the e2e tests can import it). Start writes
// assets/directory's slapd.conf into t.TempDir(), runs
// `slapd -d 0 -f CONF -h ldap://127.0.0.1:PORT/` in the foreground on a
// free loopback port (never the system service), waits until it answers,
// loads base.ldif (and, on request, demo-people.ldif) as the rootdn and
// stops it when the test ends. StartPair runs two providers that replicate
// to each other (multi-provider syncrepl).
//
// Without slapd (Debian packages slapd and ldap-utils) the test is
// skipped, unless SECURITYINFO_REQUIRE_SLAPD is set (make test sets it):
// then it fails.
package slapdtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
)

// RequireEnv names the environment variable that turns a missing slapd
// from a skipped test into a failed one.
const RequireEnv = "SECURITYINFO_REQUIRE_SLAPD"

// Debian's locations of slapd's modules and system schemas.
const (
	ModuleDir = "/usr/lib/ldap"
	SchemaDir = "/etc/ldap/schema"
)

// How long a slapd gets to start answering, and to stop.
const (
	startTimeout = 10 * time.Second
	stopTimeout  = 5 * time.Second
)

// Options says what Start sets up besides the base tree.
type Options struct {
	// People loads demo-people.ldif: alice, bob and carol (a helpdesk
	// operator) with the demo passwords documented there.
	People bool
	// Debug is slapd's -d level ("stats", "acl", "sync", ...); empty is
	// "0". slapd's output goes to Server.LogFile and is printed when the
	// test fails.
	Debug string
	// TLS gives the server a self-signed certificate for 127.0.0.1 and
	// localhost (Server.CAFile): StartTLS works on its ldap:// URL, and it
	// listens on ldaps:// too (Server.LDAPSURL).
	TLS bool
	// MaxFailure, when not 0, replaces the default password policy's
	// pwdMaxFailure (base.ldif ships 100, DESIGN's number) for a test
	// about what a lock-out does, which then locks an account with a few
	// failed binds rather than a hundred. Tests of the shipped number
	// leave it 0.
	MaxFailure int
}

// Server is one running (or stopped) slapd.
type Server struct {
	// URL is the server's address, ldap://127.0.0.1:PORT.
	URL string
	// Port is the loopback port it listens on (kept across Stop/Start).
	Port int
	// BaseDN is the suffix, dc=contoso,dc=example.
	BaseDN string
	// RootDN and RootPassword are the database's rootdn, for setting up
	// test data (ACLs do not apply to it).
	RootDN, RootPassword string
	// StationDN and StationPassword are the station account the app binds as.
	StationDN, StationPassword string
	// HelpdeskGroupDN is the helpdesk operators' group.
	HelpdeskGroupDN string
	// Dir holds the configuration, the database (Dir/db), the change log
	// (Dir/logdb) and slapd's output.
	Dir string
	// LogFile is slapd's output.
	LogFile string
	// ServerID is the provider's serverID (1, or 1 and 2 for a pair).
	ServerID int
	// With Options.TLS: CAFile is the PEM file of the server's
	// self-signed certificate (its own authority), and LDAPSURL its
	// ldaps:// address, ldaps://127.0.0.1:PORT.
	CAFile, LDAPSURL string

	t       testing.TB
	conf    string
	debug   string
	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	paused  bool
	logFile *os.File
}

// Start runs a slapd with the base tree (and demo people if opts.People)
// and stops it when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	requireSlapd(t)
	rootPW, stationPW := randomPassword(t), randomPassword(t)
	var s *Server
	// The port is free when asked for but another process may take it
	// before slapd binds it: then try another.
	for attempt := 1; ; attempt++ {
		s = newServer(t, opts, 1, freePort(t), rootPW, stationPW, "")
		err := s.start()
		if err == nil {
			break
		}
		if attempt == 3 {
			t.Fatalf("slapdtest: %v", err)
		}
		t.Logf("slapdtest: %v; trying another port", err)
	}
	s.Load(baseLDIF(t, stationPW, opts.MaxFailure))
	if opts.People {
		s.Load(peopleLDIF())
	}
	return s
}

// StartPair runs two providers (serverID 1 and 2) that replicate the whole
// tree to each other with refreshAndPersist syncrepl. The tree (and the
// demo people) are loaded on the first; StartPair returns once the second
// has them too. Both share the rootdn and station passwords.
func StartPair(t testing.TB, opts Options) (*Server, *Server) {
	t.Helper()
	requireSlapd(t)
	rootPW, stationPW := randomPassword(t), randomPassword(t)
	p1, p2 := freePort(t), freePort(t)
	for p2 == p1 {
		p2 = freePort(t)
	}
	s1 := newServer(t, opts, 1, p1, rootPW, stationPW, replication(2, p2, rootPW))
	s2 := newServer(t, opts, 2, p2, rootPW, stationPW, replication(1, p1, rootPW))
	s1.Start()
	s2.Start()
	s1.Load(baseLDIF(t, stationPW, opts.MaxFailure))
	last := s1.StationDN
	if opts.People {
		s1.Load(peopleLDIF())
		last = dirassets.PersonDN("carol")
	}
	if err := s2.WaitFor(last, startTimeout); err != nil {
		t.Fatalf("slapdtest: the second provider did not replicate the tree: %v", err)
	}
	// The first provider's consumer may still be waiting to retry (the
	// second was not up when it first tried): return once a change on the
	// second reaches the first, so both directions are live.
	if err := pairReady(s1, s2); err != nil {
		t.Fatalf("slapdtest: %v", err)
	}
	return s1, s2
}

func newServer(t testing.TB, opts Options, id, port int, rootPW, stationPW, repl string) *Server {
	t.Helper()
	dir := t.TempDir()
	s := &Server{
		URL:             "ldap://127.0.0.1:" + strconv.Itoa(port),
		Port:            port,
		BaseDN:          dirassets.BaseDN,
		RootDN:          dirassets.RootDN,
		RootPassword:    rootPW,
		StationDN:       dirassets.StationDN,
		StationPassword: stationPW,
		HelpdeskGroupDN: dirassets.HelpdeskGroupDN,
		Dir:             dir,
		LogFile:         filepath.Join(dir, "slapd.log"),
		ServerID:        id,
		t:               t,
		conf:            filepath.Join(dir, "slapd.conf"),
		debug:           opts.Debug,
	}
	if s.debug == "" {
		s.debug = "0"
	}
	if opts.TLS {
		if err := s.writeCertificate(); err != nil {
			t.Fatalf("slapdtest: %v", err)
		}
		s.LDAPSURL = "ldaps://127.0.0.1:" + strconv.Itoa(freePort(t))
	}
	if err := s.writeConfig(rootPW, repl); err != nil {
		t.Fatalf("slapdtest: %v", err)
	}
	t.Cleanup(func() {
		s.shutdown(true)
		if t.Failed() {
			if b, err := os.ReadFile(s.LogFile); err == nil && len(b) > 0 {
				t.Logf("slapd %d log (%s):\n%s", s.ServerID, s.URL, tail(b, 4000))
			}
		}
	})
	return s
}

// pairReady changes the base entry's description on s2 and waits until
// s1 has it.
func pairReady(s1, s2 *Server) error {
	const mark = "slapdtest: replication in both directions"
	conn, err := s2.Dial(s2.RootDN, s2.RootPassword)
	if err != nil {
		return err
	}
	defer conn.Close()
	mod := ldap.NewModifyRequest(s2.BaseDN, nil)
	mod.Replace("description", []string{mark})
	if err := conn.Modify(mod); err != nil {
		return fmt.Errorf("mark the base entry on %s: %w", s2.URL, err)
	}
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		if c, err := s1.Dial(s1.RootDN, s1.RootPassword); err == nil {
			res, err := c.Search(ldap.NewSearchRequest(s1.BaseDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
				1, 5, false, "(description="+ldap.EscapeFilter(mark)+")", []string{"1.1"}, nil))
			c.Close()
			if err == nil && len(res.Entries) == 1 {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("a change on %s did not reach %s within %v", s2.URL, s1.URL, startTimeout)
}

// writeConfig fills in slapd.conf in s.Dir, with the schema next to it.
func (s *Server) writeConfig(rootPW, repl string) error {
	schema, err := dirassets.Files.ReadFile("securityinfo.schema")
	if err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "securityinfo.schema"), schema, 0o644); err != nil {
		return fmt.Errorf("write schema: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(s.Dir, "db"), 0o700); err != nil {
		return fmt.Errorf("database directory: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(s.Dir, "logdb"), 0o700); err != nil {
		return fmt.Errorf("change log directory: %w", err)
	}
	tmpl, err := dirassets.Files.ReadFile("slapd.conf")
	if err != nil {
		return fmt.Errorf("read slapd.conf: %w", err)
	}
	conf := strings.NewReplacer(
		"@MODULEDIR@", ModuleDir,
		"@SCHEMADIR@", SchemaDir,
		"@SIDIR@", s.Dir,
		"@DBDIR@", filepath.Join(s.Dir, "db"),
		"@LOGDIR@", filepath.Join(s.Dir, "logdb"),
		"@RUNDIR@", s.Dir,
		"@SERVERID@", strconv.Itoa(s.ServerID),
		"@ROOTPW@", rootPW,
		"@REPLICATION@", repl,
	).Replace(string(tmpl))
	if s.CAFile != "" {
		// TLS settings are global: before the first database.
		tls := "TLSCertificateFile\t" + s.CAFile + "\nTLSCertificateKeyFile\t" + filepath.Join(s.Dir, "key.pem") + "\n\n"
		i := strings.Index(conf, "database\t")
		if i < 0 {
			return errors.New("slapd.conf has no database section")
		}
		conf = conf[:i] + tls + conf[i:]
	}
	if err := os.WriteFile(s.conf, []byte(conf), 0o600); err != nil {
		return fmt.Errorf("write slapd.conf: %w", err)
	}
	return nil
}

// writeCertificate makes a self-signed certificate for 127.0.0.1 and
// localhost, valid for a day, in s.Dir (cert.pem, key.pem) and sets
// s.CAFile.
func (s *Server) writeCertificate() error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("certificate key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "slapdtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fmt.Errorf("certificate: %w", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("certificate key: %w", err)
	}
	cert := filepath.Join(s.Dir, "cert.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return fmt.Errorf("write certificate: %w", err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		return fmt.Errorf("write certificate key: %w", err)
	}
	s.CAFile = cert
	return nil
}

// replication fills in replication.conf for a peer on a loopback port.
func replication(rid, peerPort int, rootPW string) string {
	tmpl, err := dirassets.Files.ReadFile("replication.conf")
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	return strings.NewReplacer(
		"@RID@", fmt.Sprintf("%03d", rid),
		"@PEERURL@", "ldap://127.0.0.1:"+strconv.Itoa(peerPort)+"/",
		"@ROOTPW@", rootPW,
	).Replace(string(tmpl))
}

// Start starts the server again after Stop or Kill, on the same port and
// data. Start fails the test if it does not answer within 10 s.
func (s *Server) Start() {
	s.t.Helper()
	if err := s.start(); err != nil {
		s.t.Fatalf("slapdtest: %v", err)
	}
}

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("slapd is already running")
	}
	log, err := os.OpenFile(s.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("slapd log: %w", err)
	}
	listen := s.URL + "/"
	if s.LDAPSURL != "" {
		listen += " " + s.LDAPSURL + "/"
	}
	cmd := exec.Command(slapdPath(), "-d", s.debug, "-f", s.conf, "-h", listen)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("run slapd: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	s.cmd, s.exited, s.logFile, s.paused = cmd, exited, log, false

	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-exited:
			s.cmd = nil
			log.Close()
			b, _ := os.ReadFile(s.LogFile)
			// At -d 0 slapd says nothing about a bad configuration: ask slaptest.
			diag, _ := exec.Command(filepath.Join(filepath.Dir(slapdPath()), "slaptest"), "-u", "-f", s.conf).CombinedOutput()
			return fmt.Errorf("slapd exited at start (%v):\n%s\nslaptest -u: %s", cmd.ProcessState, tail(b, 2000), diag)
		default:
		}
		if err := s.ping(); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("slapd on %s did not answer within %v: %w", s.URL, startTimeout, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ping binds as the rootdn.
func (s *Server) ping() error {
	conn, err := ldap.DialURL(s.URL, ldap.DialWithDialer(&net.Dialer{Timeout: time.Second}))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetTimeout(time.Second)
	return conn.Bind(s.RootDN, s.RootPassword)
}

// Stop stops the server (SIGTERM, as an orderly shutdown) and waits for it.
// Its data stays: Start brings it back.
func (s *Server) Stop() {
	s.t.Helper()
	if err := s.shutdown(false); err != nil {
		s.t.Fatalf("slapdtest: %v", err)
	}
}

// Kill kills the server (SIGKILL, as a crash) and waits for it. Its data
// stays: Start brings it back.
func (s *Server) Kill() {
	s.t.Helper()
	if err := s.shutdown(true); err != nil {
		s.t.Fatalf("slapdtest: %v", err)
	}
}

func (s *Server) shutdown(kill bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return nil
	}
	p := s.cmd.Process
	// A paused server is let go on before it is asked to stop, but not
	// before a kill, which ends a stopped process as it is: resumed, it
	// could still answer what waits (a crash answers nothing).
	if s.paused && !kill {
		_ = p.Signal(sigResume)
	}
	sig := sigStop
	if kill {
		sig = os.Kill
	}
	_ = p.Signal(sig)
	var err error
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		_ = p.Kill()
		<-s.exited
		err = fmt.Errorf("slapd did not stop within %v of %v; killed", stopTimeout, sig)
	}
	s.logFile.Close()
	s.cmd, s.paused = nil, false
	return err
}

// Pause freezes the server (SIGSTOP): connections open and requests are
// accepted by the kernel but never answered, as with a hung directory.
func (s *Server) Pause() {
	s.signal(sigPause, true)
	// The signal is delivered asynchronously: wait until the kernel says
	// the process is stopped, so that no request sent next is answered.
	s.mu.Lock()
	pid := s.cmd.Process.Pid
	s.mu.Unlock()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if stopped(pid) {
			return
		}
	}
}

// Resume lets a paused server go on (SIGCONT).
func (s *Server) Resume() {
	s.signal(sigResume, false)
}

func (s *Server) signal(sig os.Signal, paused bool) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		s.t.Fatalf("slapdtest: %v: slapd is not running", sig)
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatalf("slapdtest: %v: %v", sig, err)
	}
	s.paused = paused
}

// Running reports whether the slapd process is up (possibly paused).
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cmd != nil
}

// Dial connects and binds as dn with password. The caller closes the
// connection. Requests time out after 5 s.
func (s *Server) Dial(dn, password string) (*ldap.Conn, error) {
	conn, err := ldap.DialURL(s.URL, ldap.DialWithDialer(&net.Dialer{Timeout: 2 * time.Second}))
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", s.URL, err)
	}
	conn.SetTimeout(5 * time.Second)
	if err := conn.Bind(dn, password); err != nil {
		conn.Close()
		return nil, fmt.Errorf("bind as %s: %w", dn, err)
	}
	return conn, nil
}

// Root is a connection bound as the rootdn, closed when the test ends.
func (s *Server) Root() *ldap.Conn {
	s.t.Helper()
	return s.mustDial(s.RootDN, s.RootPassword)
}

// Station is a connection bound as the station account, closed when the
// test ends.
func (s *Server) Station() *ldap.Conn {
	s.t.Helper()
	return s.mustDial(s.StationDN, s.StationPassword)
}

// rootConn is a connection bound as the rootdn that the caller closes.
func (s *Server) rootConn() *ldap.Conn {
	s.t.Helper()
	conn, err := s.Dial(s.RootDN, s.RootPassword)
	if err != nil {
		s.t.Fatalf("slapdtest: %v", err)
	}
	return conn
}

func (s *Server) mustDial(dn, password string) *ldap.Conn {
	s.t.Helper()
	conn, err := s.Dial(dn, password)
	if err != nil {
		s.t.Fatalf("slapdtest: %v", err)
	}
	s.t.Cleanup(func() { conn.Close() })
	return conn
}

// AddPerson adds uid=UID,ou=people (inetOrgPerson, mail UID@contoso.example)
// with the given password (stored as an {ARGON2} hash), in the helpdesk
// group if helpdesk, and returns its DN. uid must be a plain name.
func (s *Server) AddPerson(uid, password string, helpdesk bool) string {
	s.t.Helper()
	dn := dirassets.PersonDN(uid)
	conn := s.rootConn()
	defer conn.Close()
	add := ldap.NewAddRequest(dn, nil)
	add.Attribute("objectClass", []string{"inetOrgPerson"})
	add.Attribute("uid", []string{uid})
	add.Attribute("cn", []string{uid})
	add.Attribute("sn", []string{uid})
	add.Attribute("mail", []string{uid + "@contoso.example"})
	add.Attribute("userPassword", []string{password})
	if err := conn.Add(add); err != nil {
		s.t.Fatalf("slapdtest: add %s: %v", dn, err)
	}
	if helpdesk {
		mod := ldap.NewModifyRequest(s.HelpdeskGroupDN, nil)
		mod.Add("member", []string{dn})
		if err := conn.Modify(mod); err != nil {
			s.t.Fatalf("slapdtest: add %s to the helpdesk group: %v", dn, err)
		}
	}
	return dn
}

// MethodDN is the DN of a person's method entry:
// siMethodId=ID,uid=UID,ou=people,BASE. id must be a plain name.
func MethodDN(uid, id string) string {
	return "siMethodId=" + id + "," + dirassets.PersonDN(uid)
}

// AddAuthenticator registers an authenticator app for uid the way the
// directory backend lays it out: a siMethod child entry (siKind
// authenticator-app) that is also an oathTOTPToken with the raw secret and
// the SHA1/6/30 parameters, and the person's entry made an oathTOTPUser
// pointing at it. From then on slapo-otp requires password+code at every
// bind as the person. It returns the method entry's DN.
func (s *Server) AddAuthenticator(uid, id string, secret []byte) string {
	s.t.Helper()
	dn := MethodDN(uid, id)
	conn := s.rootConn()
	defer conn.Close()
	add := ldap.NewAddRequest(dn, nil)
	add.Attribute("objectClass", []string{"siMethod", "oathTOTPToken"})
	add.Attribute("siMethodId", []string{id})
	add.Attribute("siKind", []string{"authenticator-app"})
	add.Attribute("siLabel", []string{"Authenticator app"})
	add.Attribute("siCreated", []string{time.Now().UTC().Format("20060102150405Z")})
	add.Attribute("oathSecret", []string{string(secret)})
	add.Attribute("oathTOTPParams", []string{dirassets.TOTPParamsDN})
	if err := conn.Add(add); err != nil {
		s.t.Fatalf("slapdtest: add %s: %v", dn, err)
	}
	mod := ldap.NewModifyRequest(dirassets.PersonDN(uid), nil)
	mod.Add("objectClass", []string{"oathTOTPUser"})
	mod.Replace("oathTOTPToken", []string{dn})
	if err := conn.Modify(mod); err != nil {
		s.t.Fatalf("slapdtest: link %s to its token: %v", uid, err)
	}
	return dn
}

// AddAppPassword adds an app password method entry for uid (siKind
// app-password) whose userPassword is {ARGON2}PHC, so that binding as the
// returned DN with the app password succeeds. phc is an argon2id PHC
// string as the app writes it.
func (s *Server) AddAppPassword(uid, id, label, phc string) string {
	s.t.Helper()
	dn := MethodDN(uid, id)
	add := ldap.NewAddRequest(dn, nil)
	add.Attribute("objectClass", []string{"siMethod"})
	add.Attribute("siMethodId", []string{id})
	add.Attribute("siKind", []string{"app-password"})
	add.Attribute("siLabel", []string{label})
	add.Attribute("siCreated", []string{time.Now().UTC().Format("20060102150405Z")})
	add.Attribute("userPassword", []string{"{ARGON2}" + phc})
	conn := s.rootConn()
	defer conn.Close()
	if err := conn.Add(add); err != nil {
		s.t.Fatalf("slapdtest: add %s: %v", dn, err)
	}
	return dn
}

// WaitFor waits until dn exists on the server (as the rootdn sees it), for
// replication.
func (s *Server) WaitFor(dn string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := s.exists(dn)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not on %s after %v: %w", dn, s.URL, timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *Server) exists(dn string) error {
	conn, err := s.Dial(s.RootDN, s.RootPassword)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
		1, 5, false, "(objectClass=*)", []string{"1.1"}, nil))
	return err
}

// Load applies an LDIF as the rootdn with `ldapmodify -a`: records without
// a changetype are added, the others (modify, delete, ...) applied. It
// fails the test on the first error.
func (s *Server) Load(ldif []byte) {
	s.t.Helper()
	pwFile := filepath.Join(s.Dir, "rootpw")
	if err := os.WriteFile(pwFile, []byte(s.RootPassword), 0o600); err != nil {
		s.t.Fatalf("slapdtest: %v", err)
	}
	defer os.Remove(pwFile)
	cmd := exec.Command("ldapmodify", "-a", "-x", "-H", s.URL, "-D", s.RootDN, "-y", pwFile)
	cmd.Stdin = bytes.NewReader(ldif)
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("slapdtest: load LDIF: %v\n%s", err, out)
	}
}

// baseLDIF is base.ldif with the station's password and, if maxFailure is
// not 0, that pwdMaxFailure in the default policy.
func baseLDIF(t testing.TB, stationPW string, maxFailure int) []byte {
	t.Helper()
	b, err := dirassets.Files.ReadFile("base.ldif")
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	b = bytes.ReplaceAll(b, []byte(dirassets.StationPasswordPlaceholder), []byte(stationPW))
	if maxFailure != 0 {
		line := regexp.MustCompile(`(?m)^pwdMaxFailure: [0-9]+$`)
		if n := len(line.FindAll(b, -1)); n != 1 {
			t.Fatalf("slapdtest: base.ldif has %d pwdMaxFailure lines, want 1 (the default policy's)", n)
		}
		b = line.ReplaceAll(b, []byte("pwdMaxFailure: "+strconv.Itoa(maxFailure)))
	}
	return b
}

func peopleLDIF() []byte {
	b, err := dirassets.Files.ReadFile("demo-people.ldif")
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	return b
}

// requireSlapd skips (or, with SECURITYINFO_REQUIRE_SLAPD set, fails) the
// test when slapd, its modules or ldap-utils are missing.
func requireSlapd(t testing.TB) {
	t.Helper()
	msg := ""
	if err := supported(); err != nil {
		msg = "slapdtest: " + err.Error()
	} else {
		var missing []string
		if slapdPath() == "" {
			missing = append(missing, "slapd (Debian package slapd)")
		}
		for _, m := range []string{"back_mdb", "otp", "ppolicy", "argon2", "syncprov"} {
			if _, err := os.Stat(filepath.Join(ModuleDir, m+".so")); err != nil {
				missing = append(missing, "slapd module "+filepath.Join(ModuleDir, m+".so"))
			}
		}
		if _, err := exec.LookPath("ldapmodify"); err != nil {
			missing = append(missing, "ldapmodify (Debian package ldap-utils)")
		}
		if len(missing) == 0 {
			return
		}
		msg = "slapdtest: missing " + strings.Join(missing, ", ") + "; install with scripts/deps.sh test"
	}
	if os.Getenv(RequireEnv) != "" {
		t.Fatalf("%s (%s is set, so this fails rather than skips)", msg, RequireEnv)
	}
	t.Skipf("%s (set %s to make this a failure)", msg, RequireEnv)
}

// slapdPath finds slapd, which lives in /usr/sbin (often not in a user's PATH).
func slapdPath() string {
	if p, err := exec.LookPath("slapd"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/slapd", "/usr/local/sbin/slapd", "/usr/libexec/slapd"} {
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// freePort asks the kernel for a free loopback port.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("slapdtest: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func randomPassword(t testing.TB) string {
	t.Helper()
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("slapdtest: random: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

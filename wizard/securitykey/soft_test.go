//go:build cgo && !nofido2 && fido2soft

package securitykey_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
	"github.com/securityinfo/securityinfo/wizard/securitykey/softkey"
)

const (
	account = "alice@contoso.example"
	pin     = "482916"
	station = "kiosk-7"
)

var (
	t0          = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	yubiAAGUID  = [16]byte{0xcb, 0x69, 0x48, 0x1e, 0x8f, 0xf7, 0x40, 0x39, 0x93, 0xec, 0x0a, 0x27, 0x29, 0xa1, 0x54, 0xa8}
	otherAAGUID = [16]byte{0xee, 0x88, 0x28, 0x79, 0x72, 0x1c, 0x49, 0x13, 0x97, 0x75, 0x3d, 0xfc, 0xce, 0x97, 0x07, 0x2a}
)

// recorder sits between the rules and libfido2, keeping what was asked.
type recorder struct {
	securitykey.Authenticator
	mu    sync.Mutex
	cdhs  *[][]byte
	pins  *[]string
	reqRP *[]string
}

func (r *recorder) MakeCredential(req fido2.CredentialRequest) (*fido2.Credential, error) {
	r.mu.Lock()
	*r.cdhs = append(*r.cdhs, req.ClientDataHash)
	*r.reqRP = append(*r.reqRP, req.RPID)
	r.mu.Unlock()
	return r.Authenticator.MakeCredential(req)
}

func (r *recorder) GetAssertion(req fido2.AssertionRequest) (*fido2.Assertion, error) {
	r.mu.Lock()
	*r.cdhs = append(*r.cdhs, req.ClientDataHash)
	*r.reqRP = append(*r.reqRP, req.RPID)
	r.mu.Unlock()
	return r.Authenticator.GetAssertion(req)
}

// env is a station with one software key plugged in (or none).
type env struct {
	t       *testing.T
	dir     *memory.Store
	key     *softkey.Key
	pol     securitykey.Policy
	cdhs    [][]byte
	rpIDs   []string
	pins    []string
	read    int // bytes of randomness read
	opens   int
	plugged bool
}

type countingReader struct{ e *env }

func (c countingReader) Read(p []byte) (int, error) {
	n, err := rand.Read(p)
	c.e.read += n
	return n, err
}

func newEnv(t *testing.T, aaguid [16]byte, pol securitykey.Policy) *env {
	t.Helper()
	dir := memory.New()
	if err := dir.CreateAccount(info.Account{Name: account, Created: t0}); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, dir: dir, key: softkey.New(aaguid), pol: pol, plugged: true}
}

// open is the station's Opener: libfido2 on the software key's reports.
func (e *env) open() (securitykey.Authenticator, error) {
	if !e.plugged {
		return nil, fmt.Errorf("fido_dev_info_manifest: %w", fido2.ErrNoDevice)
	}
	e.opens++
	d, err := fido2.OpenTransport(e.key.HID())
	if err != nil {
		return nil, err
	}
	d.SetTimeout(10 * time.Second)
	return &recorder{Authenticator: d, cdhs: &e.cdhs, pins: &e.pins, reqRP: &e.rpIDs}, nil
}

func (e *env) config() securitykey.Config {
	return securitykey.Config{Policy: e.pol, Open: e.open, Station: station}
}

func (e *env) setup() *securitykey.Setup {
	e.t.Helper()
	s, err := securitykey.NewSetup(method.Context{Account: account, Organisation: "Contoso", Dir: e.dir,
		Now: func() time.Time { return t0 }, Rand: countingReader{e}}, e.config())
	if err != nil {
		e.t.Fatalf("NewSetup: %v", err)
	}
	return s
}

func (e *env) verifier() *securitykey.Verifier {
	return &securitykey.Verifier{Policy: e.pol, Open: e.open, Dir: e.dir, Now: func() time.Time { return t0 }, Rand: countingReader{e}, Station: station}
}

// register walks a registration to the end.
func (e *env) register(name string) info.Method {
	e.t.Helper()
	s := e.setup()
	if err := s.Detect(); err != nil {
		e.t.Fatalf("Detect: %v", err)
	}
	p := ""
	if s.Screen() == securitykey.ScreenPIN {
		p = pin
	}
	if err := s.Register(p); err != nil {
		e.t.Fatalf("Register: %v", err)
	}
	if err := s.Save(name); err != nil {
		e.t.Fatalf("Save: %v", err)
	}
	return e.keyNamed(name)
}

func (e *env) keys() []info.Method {
	ms, err := e.dir.Methods(account)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []info.Method
	for _, m := range ms {
		if m.Kind == info.KindSecurityKey {
			out = append(out, m)
		}
	}
	return out
}

func (e *env) keyNamed(name string) info.Method {
	for _, k := range e.keys() {
		if k.Label == name {
			return k
		}
	}
	e.t.Fatalf("no key named %q among %+v", name, e.keys())
	return info.Method{}
}

// audit returns the account's audit entries with action.
func (e *env) audit(action string) []info.AuditEntry {
	e.t.Helper()
	all, err := storetest.AuditEntries(e.dir, account, time.Time{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []info.AuditEntry
	for _, a := range all {
		if strings.Contains(a.Detail, pin) || strings.Contains(a.Detail, "000000") {
			e.t.Errorf("a PIN reached the audit log: %+v", a)
		}
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}

// expectAudit asserts exactly one entry of action whose detail contains want.
func (e *env) expectAudit(action, want string) {
	e.t.Helper()
	got := e.audit(action)
	if len(got) != 1 || !strings.Contains(got[0].Detail, want) || got[0].Station != station || got[0].Actor != account {
		e.t.Errorf("audit %s = %+v, want one entry mentioning %q", action, got, want)
	}
}

func noPIN(t *testing.T, err error) {
	t.Helper()
	if err != nil && (strings.Contains(err.Error(), pin) || strings.Contains(securitykey.Message(err), pin)) {
		t.Errorf("the PIN is in an error: %v", err)
	}
}

func TestRegister_StoresPublicCredentialAndSignsIn(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{RPID: "contoso.example"})
	s := e.setup()
	if s.Screen() != securitykey.ScreenInsert || s.CanBack() {
		t.Fatalf("first screen %s, CanBack %v", s.Screen(), s.CanBack())
	}
	if err := s.Detect(); err != nil {
		t.Fatal(err)
	}
	if s.Screen() != securitykey.ScreenTouch || s.NeedsPIN() {
		t.Fatalf("a key without a PIN: screen %s, NeedsPIN %v", s.Screen(), s.NeedsPIN())
	}
	before := e.read
	if err := s.Register(""); err != nil {
		t.Fatal(err)
	}
	if e.read-before < securitykey.ChallengeSize {
		t.Errorf("registration read %d bytes of randomness, want at least a %d-byte challenge", e.read-before, securitykey.ChallengeSize)
	}
	if s.Screen() != securitykey.ScreenName || s.Name() != "Security key" || len(e.keys()) != 0 {
		t.Fatalf("after the touch: screen %s, name %q, stored %d (nothing before the name)", s.Screen(), s.Name(), len(e.keys()))
	}
	if err := s.Save("  Blue YubiKey "); err != nil {
		t.Fatal(err)
	}
	if !s.Done() || s.Screen() != securitykey.ScreenDone {
		t.Fatalf("after Save: done %v, screen %s", s.Done(), s.Screen())
	}
	k := e.keyNamed("Blue YubiKey")
	if k.HasSecret || len(k.CredentialID) != 48 || len(k.PublicKey) < 64 || !bytes.Equal(k.AAGUID, yubiAAGUID[:]) ||
		k.SignCount != e.key.Counter() || !k.Created.Equal(t0) || k.SignCount == 0 {
		t.Fatalf("stored key = %+v (key counter %d)", k, e.key.Counter())
	}
	if e.rpIDs[0] != "contoso.example" {
		t.Errorf("registered for %q, want the policy's rp_id", e.rpIDs[0])
	}

	v := e.verifier()
	if v.NeedsPIN() {
		t.Error("NeedsPIN without user verification in the policy")
	}
	got, err := v.Verify(account, "")
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got.ID != k.ID || got.SignCount != e.key.Counter() || e.keyNamed("Blue YubiKey").SignCount != e.key.Counter() {
		t.Errorf("Verify = %+v; stored counter %d, key's %d", got, e.keyNamed("Blue YubiKey").SignCount, e.key.Counter())
	}
	if _, err := v.Verify(account, ""); err != nil {
		t.Fatalf("second Verify: %v", err)
	}
	if len(e.audit(securitykey.ActionUsed)) != 2 {
		t.Errorf("audit %s = %+v, want 2", securitykey.ActionUsed, e.audit(securitykey.ActionUsed))
	}
	seen := map[string]bool{}
	for _, c := range e.cdhs {
		if len(c) != 32 || seen[string(c)] {
			t.Errorf("client data hash %x reused or malformed: every ceremony signs a fresh challenge", c)
		}
		seen[string(c)] = true
	}
	if len(seen) != 3 {
		t.Errorf("%d ceremonies, want 3", len(seen))
	}
	if len(e.audit(securitykey.ActionRefused))+len(e.audit(securitykey.ActionRegisterRefused)) != 0 {
		t.Error("refusals audited for a clean run")
	}
}

func TestRegister_DefaultRPIDAndNames(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.register("Security key")
	if e.rpIDs[0] != securitykey.DefaultRPID {
		t.Errorf("rp id %q, want %q", e.rpIDs[0], securitykey.DefaultRPID)
	}
	e.key = softkey.New(yubiAAGUID) // a second key
	s := e.setup()
	if s.Name() != "Security key 2" {
		t.Errorf("default name of a second key = %q", s.Name())
	}
	s.Detect()
	if err := s.Register(""); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]error{"": securitykey.ErrNameEmpty, "SECURITY KEY": securitykey.ErrNameTaken,
		strings.Repeat("k", 41): securitykey.ErrNameTooLong, "a\tb": securitykey.ErrNameChars} {
		if err := s.Save(name); !errors.Is(err, want) {
			t.Errorf("Save(%q) = %v, want %v", name, err, want)
		}
	}
	if err := s.Save("Spare"); err != nil {
		t.Fatal(err)
	}
}

func TestRegister_AtMostTenKeys(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	for i := 0; i < securitykey.MaxKeys; i++ {
		e.dir.AddMethod(account, info.Method{ID: string(rune('a'+i)) + "k", Kind: info.KindSecurityKey, Label: string(rune('a' + i)),
			CredentialID: []byte{byte(i)}, PublicKey: []byte{1}}, nil)
	}
	_, err := securitykey.NewSetup(method.Context{Account: account, Dir: e.dir}, e.config())
	if !errors.Is(err, securitykey.ErrTooManyKeys) {
		t.Errorf("NewSetup with 10 keys = %v, want ErrTooManyKeys", err)
	}
}

func TestRegister_WrongPINThenRight(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{RPID: "contoso.example"})
	e.key.SetPIN(pin)
	s := e.setup()
	if err := s.Detect(); err != nil || s.Screen() != securitykey.ScreenPIN {
		t.Fatalf("Detect = %v, screen %s; want the PIN screen for a key with a PIN", err, s.Screen())
	}
	if err := s.Register("12"); !errors.Is(err, securitykey.ErrPINTooShort) || e.key.PINRetries() != 8 {
		t.Errorf("a 2-character PIN = %v (key tries %d): want ErrPINTooShort before asking the key", err, e.key.PINRetries())
	}
	err := s.Register("000000")
	noPIN(t, err)
	var ke *securitykey.Error
	if !errors.Is(err, securitykey.ErrWrongPIN) || !errors.As(err, &ke) || ke.Left != 7 || s.Screen() != securitykey.ScreenPIN {
		t.Fatalf("wrong PIN = %v (%+v), screen %s; want ErrWrongPIN, 7 left, PIN screen", err, ke, s.Screen())
	}
	if msg := securitykey.Message(err); msg != "that PIN isn't right: 7 tries left before the key's PIN is blocked" {
		t.Errorf("Message = %q", msg)
	}
	e.expectAudit(securitykey.ActionRegisterRefused, "wrong PIN (7 tries left)")
	if err := s.Register(pin); err != nil {
		t.Fatalf("right PIN: %v", err)
	}
	if err := s.Save("Work key"); err != nil {
		t.Fatal(err)
	}
	// Signing in does not need the PIN unless the policy says so.
	if _, err := e.verifier().Verify(account, ""); err != nil {
		t.Errorf("Verify without user verification: %v", err)
	}
}

func TestRegister_PINBlocked(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.key.SetPIN(pin)
	e.key.SetPINRetries(1)
	s := e.setup()
	s.Detect()
	err := s.Register("000000")
	if !errors.Is(err, securitykey.ErrPINBlocked) || s.Screen() != securitykey.ScreenProblem || !errors.Is(s.Problem(), securitykey.ErrPINBlocked) {
		t.Fatalf("last try wrong = %v, screen %s", err, s.Screen())
	}
	e.expectAudit(securitykey.ActionRegisterRefused, "PIN blocked")
	if err := s.Retry(); err != nil || s.Screen() != securitykey.ScreenInsert {
		t.Errorf("Retry = %v, screen %s; want the insert screen", err, s.Screen())
	}
	s.Detect()
	if err := s.Register(pin); !errors.Is(err, securitykey.ErrPINBlocked) {
		t.Errorf("right PIN on a blocked key = %v, want ErrPINBlocked", err)
	}
	if len(e.keys()) != 0 {
		t.Error("a key was stored")
	}
}

func TestRegister_ThreeWrongPINsInARow(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.key.SetPIN(pin)
	s := e.setup()
	s.Detect()
	s.Register("000000")
	s.Register("000001")
	err := s.Register("000002")
	if !errors.Is(err, securitykey.ErrPINAuthBlocked) || s.Screen() != securitykey.ScreenProblem {
		t.Fatalf("third wrong PIN = %v, screen %s", err, s.Screen())
	}
	if !strings.Contains(securitykey.Message(err), "take your security key out") {
		t.Errorf("Message = %q", securitykey.Message(err))
	}
	s.Retry()
	e.key.Replug()
	s.Detect()
	if err := s.Register(pin); err != nil {
		t.Errorf("right PIN after re-plugging: %v", err)
	}
}

func TestRegister_TouchTimeout(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.key.SetTouch(softkey.TouchNever, 200*time.Millisecond)
	s := e.setup()
	s.Detect()
	err := s.Register("")
	if !errors.Is(err, securitykey.ErrTimeout) || s.Screen() != securitykey.ScreenProblem || e.key.Prompts() != 1 {
		t.Fatalf("no touch = %v, screen %s, prompts %d", err, s.Screen(), e.key.Prompts())
	}
	e.expectAudit(securitykey.ActionRegisterRefused, "not touched in time")
	if err := s.Retry(); err != nil || s.Screen() != securitykey.ScreenTouch {
		t.Fatalf("Retry = %v, screen %s; want the touch screen again", err, s.Screen())
	}
	e.key.SetTouch(softkey.TouchAtOnce, 0)
	if err := s.Register(""); err != nil {
		t.Fatalf("touched the second time: %v", err)
	}
}

func TestRegister_CancelWhileWaitingForTouch(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.key.SetTouch(softkey.TouchOnRequest, 10*time.Second)
	s := e.setup()
	s.Detect()
	done := make(chan error)
	go func() { done <- s.Register("") }()
	for e.key.Prompts() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	if s.CanBack() || s.Back() {
		t.Error("Back while the key waits for a touch")
	}
	s.CancelRequest()
	if err := <-done; !errors.Is(err, securitykey.ErrCancelled) || s.Screen() != securitykey.ScreenTouch {
		t.Errorf("cancelled = %v, screen %s", err, s.Screen())
	}
	if len(e.audit(securitykey.ActionRegisterRefused)) != 0 {
		t.Error("a cancel was audited as a refusal")
	}
}

func TestRegister_NoKeyFound(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.plugged = false
	s := e.setup()
	err := s.Detect()
	if !errors.Is(err, securitykey.ErrNoKey) || s.Screen() != securitykey.ScreenProblem || !strings.Contains(securitykey.Message(err), "insert your security key") {
		t.Fatalf("no key = %v, screen %s", err, s.Screen())
	}
	if len(e.audit(securitykey.ActionRegisterRefused)) != 0 {
		t.Error("no key found was audited")
	}
	e.plugged = true
	s.Retry()
	if err := s.Detect(); err != nil || s.Screen() != securitykey.ScreenTouch {
		t.Errorf("after plugging in: %v, %s", err, s.Screen())
	}
}

func TestRegister_AlreadyRegistered(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.register("First")
	s := e.setup()
	s.Detect()
	err := s.Register("")
	if !errors.Is(err, securitykey.ErrAlreadyRegistered) || s.Screen() != securitykey.ScreenProblem {
		t.Fatalf("same key again = %v, screen %s", err, s.Screen())
	}
	e.expectAudit(securitykey.ActionRegisterRefused, "already registered")
	if len(e.keys()) != 1 || e.key.Credentials() != 1 {
		t.Errorf("keys stored %d, credentials on the key %d; want 1 and 1", len(e.keys()), e.key.Credentials())
	}
}

func TestRegister_ModelNotAllowed(t *testing.T) {
	e := newEnv(t, otherAAGUID, securitykey.Policy{AAGUIDs: []string{securitykey.FormatAAGUID(yubiAAGUID[:])}})
	s := e.setup()
	s.Detect()
	err := s.Register("")
	if !errors.Is(err, securitykey.ErrNotAllowed) || s.Screen() != securitykey.ScreenProblem {
		t.Fatalf("disallowed model = %v, screen %s", err, s.Screen())
	}
	e.expectAudit(securitykey.ActionRegisterRefused, securitykey.FormatAAGUID(otherAAGUID[:]))
	if len(e.keys()) != 0 {
		t.Error("a disallowed key was stored")
	}
	// The allowed model passes the same policy.
	ok := newEnv(t, yubiAAGUID, e.pol)
	ok.register("Allowed")
}

func TestRegister_UserVerificationNeedsAPIN(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{UserVerification: true})
	s := e.setup()
	if err := s.Detect(); !errors.Is(err, securitykey.ErrPINNotSet) {
		t.Fatalf("a key without a PIN under user verification = %v", err)
	}
	e.key.SetPIN(pin)
	s.Retry()
	if err := s.Detect(); err != nil || s.Screen() != securitykey.ScreenPIN {
		t.Fatalf("with a PIN: %v, %s", err, s.Screen())
	}
	s.Register(pin)
	s.Save("Verified")

	v := e.verifier()
	if !v.NeedsPIN() {
		t.Error("NeedsPIN false under user verification")
	}
	if _, err := v.Verify(account, ""); !errors.Is(err, securitykey.ErrPINNeeded) {
		t.Errorf("Verify without the PIN = %v, want ErrPINNeeded", err)
	}
	_, err := v.Verify(account, "000000")
	var ke *securitykey.Error
	if !errors.Is(err, securitykey.ErrWrongPIN) || !errors.As(err, &ke) || ke.Left != 7 {
		t.Errorf("Verify with a wrong PIN = %v", err)
	}
	e.expectAudit(securitykey.ActionRefused, "wrong PIN (7 tries left)")
	if _, err := v.Verify(account, pin); err != nil {
		t.Errorf("Verify with the PIN: %v", err)
	}
}

func TestRegister_EdDSAOnlyKey(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.key.SetAlgorithms(softkey.EdDSA)
	k := e.register("Ed key")
	if !bytes.Contains(k.PublicKey, []byte{0x03, 0x27}) { // alg: -8
		t.Errorf("stored key is not EdDSA: %x", k.PublicKey)
	}
	if _, err := e.verifier().Verify(account, ""); err != nil {
		t.Errorf("Verify with an EdDSA key: %v", err)
	}
}

func TestRegister_ResidentKey(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{ResidentKey: true})
	e.register("Resident")
	// The resident credential answers without an allow list too.
	d, err := fido2.OpenTransport(e.key.HID())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.GetAssertion(fido2.AssertionRequest{ClientDataHash: make([]byte, 32), RPID: securitykey.DefaultRPID}); err != nil {
		t.Errorf("discoverable credential not on the key: %v", err)
	}
}

// batchCert makes an attestation certificate as a key vendor would.
func batchCert(t *testing.T, ou string, aaguid []byte) (*ecdsa.PrivateKey, []byte) {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ext, _ := asn1.Marshal(aaguid)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{Country: []string{"SE"}, Organization: []string{"Soft keys"},
		OrganizationalUnit: []string{ou}, CommonName: "Soft key batch 1"}, NotBefore: t0.Add(-time.Hour), NotAfter: t0.Add(time.Hour),
		BasicConstraintsValid: true, ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 45724, 1, 1, 4}, Value: ext}}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return k, der
}

func TestRegister_BatchAttestation(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{AAGUIDs: []string{strings.ToUpper(securitykey.FormatAAGUID(yubiAAGUID[:]))}})
	e.key.UseBatchAttestation(batchCert(t, "Authenticator Attestation", yubiAAGUID[:]))
	e.register("Batch")

	bad := newEnv(t, yubiAAGUID, securitykey.Policy{})
	bad.key.UseBatchAttestation(batchCert(t, "Authenticator Attestation", otherAAGUID[:]))
	s := bad.setup()
	s.Detect()
	if err := s.Register(""); !errors.Is(err, securitykey.ErrNotVerified) {
		t.Errorf("certificate AAGUID differs from the credential's: %v, want ErrNotVerified", err)
	}
	bad.expectAudit(securitykey.ActionRegisterRefused, "AAGUID")
}

func TestRegister_SpoiltAttestationRefused(t *testing.T) {
	for _, batch := range []bool{false, true} {
		e := newEnv(t, yubiAAGUID, securitykey.Policy{})
		if batch {
			e.key.UseBatchAttestation(batchCert(t, "Authenticator Attestation", yubiAAGUID[:]))
		}
		e.key.SpoilSignatures(true)
		s := e.setup()
		s.Detect()
		err := s.Register("")
		if !errors.Is(err, securitykey.ErrNotVerified) || s.Screen() != securitykey.ScreenProblem {
			t.Fatalf("batch %v: spoilt attestation = %v, screen %s", batch, err, s.Screen())
		}
		e.expectAudit(securitykey.ActionRegisterRefused, "signature")
		if len(e.keys()) != 0 {
			t.Error("a key with a spoilt attestation was stored")
		}
	}
}

func TestVerify_ClonedKeyRefused(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.register("Original")
	v := e.verifier()
	if _, err := v.Verify(account, ""); err != nil {
		t.Fatal(err)
	}
	stored := e.keyNamed("Original").SignCount
	e.key.SetCounter(stored - 2) // a copy made earlier: its next count is not higher
	_, err := v.Verify(account, "")
	if !errors.Is(err, securitykey.ErrClonedKey) {
		t.Fatalf("counter going backwards = %v, want ErrClonedKey", err)
	}
	if securitykey.Message(err) != securitykey.ErrClonedKey.Error() {
		t.Errorf("Message = %q", securitykey.Message(err))
	}
	e.expectAudit(securitykey.ActionRefused, "possible cloned key")
	if got := e.keyNamed("Original").SignCount; got != stored {
		t.Errorf("stored counter moved to %d after a refusal, want %d", got, stored)
	}
	e.key.SetCounter(stored - 1) // equal is refused too
	if _, err := v.Verify(account, ""); !errors.Is(err, securitykey.ErrClonedKey) {
		t.Errorf("counter equal to the stored one = %v, want ErrClonedKey", err)
	}
}

func TestVerify_TamperedSignatureRefused(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.register("Key")
	e.key.SpoilSignatures(true)
	_, err := e.verifier().Verify(account, "")
	if !errors.Is(err, securitykey.ErrBadSignature) {
		t.Fatalf("spoilt signature = %v, want ErrBadSignature", err)
	}
	e.expectAudit(securitykey.ActionRefused, "signature did not verify")
	if len(e.audit(securitykey.ActionUsed)) != 0 {
		t.Error("a refused key was audited as used")
	}
}

func TestVerify_UnregisteredKeyAndNoKeys(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	if _, err := e.verifier().Verify(account, ""); !errors.Is(err, securitykey.ErrNoKeys) {
		t.Errorf("no keys registered = %v, want ErrNoKeys", err)
	}
	e.register("Mine")
	e.key = softkey.New(yubiAAGUID) // someone else's key
	_, err := e.verifier().Verify(account, "")
	if !errors.Is(err, securitykey.ErrNotRegistered) {
		t.Fatalf("another key = %v, want ErrNotRegistered", err)
	}
	e.expectAudit(securitykey.ActionRefused, "none of the account's 1 registered credentials")
	e.key.SetTouch(softkey.TouchNever, 100*time.Millisecond)
	e.plugged = false
	if _, err := e.verifier().Verify(account, ""); !errors.Is(err, securitykey.ErrNoKey) {
		t.Errorf("no key plugged in = %v, want ErrNoKey", err)
	}
}

func TestVerify_RelyingPartyMustMatch(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{RPID: "contoso.example"})
	e.register("Key")
	e.pol.RPID = "fabrikam.example"
	if _, err := e.verifier().Verify(account, ""); !errors.Is(err, securitykey.ErrNotRegistered) {
		t.Errorf("another relying party = %v, want ErrNotRegistered (the key has no credential for it)", err)
	}
}

func TestAbort_StoresNothing(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	s := e.setup()
	s.Detect()
	s.Register("")
	s.Abort()
	if err := s.Save("Late"); !errors.Is(err, securitykey.ErrAborted) || len(e.keys()) != 0 {
		t.Errorf("Save after Abort = %v, %d stored", err, len(e.keys()))
	}
	var _ io.Reader = countingReader{e}
}

// A key that asks for its PIN every time (alwaysUv) under a policy that
// doesn't: the prover adds the PIN field once the key asks, and the PIN
// given is used; the ask is no refusal.
func TestVerify_KeyThatAlwaysAsksForItsPIN(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.key.SetPIN(pin)
	e.register("Key")
	e.key.SetAlwaysUV(true)
	p, err := securitykey.ProverFactory(e.config())(method.Context{Account: account, Dir: e.dir, Now: func() time.Time { return t0 }, Rand: countingReader{e}}, e.keyNamed("Key"))
	if err != nil {
		t.Fatal(err)
	}
	if f := p.Fields(); len(f) != 0 {
		t.Fatalf("fields before the key asked = %v", f)
	}
	if err := p.Check(nil); !errors.Is(err, securitykey.ErrPINNeeded) {
		t.Fatalf("no PIN = %v, want ErrPINNeeded", err)
	}
	if f := p.Fields(); len(f) != 1 || f[0] != "Security key PIN" {
		t.Fatalf("fields after the key asked = %v", f)
	}
	if got := e.audit(securitykey.ActionRefused); len(got) != 0 {
		t.Errorf("the key asking for its PIN was audited as a refusal: %+v", got)
	}
	if err := p.Check([]string{"12"}); !errors.Is(err, securitykey.ErrPINTooShort) {
		t.Errorf("a 2-character PIN = %v, want ErrPINTooShort", err)
	}
	if err := p.Check([]string{pin}); err != nil {
		t.Fatalf("with the PIN = %v", err)
	}
	e.expectAudit(securitykey.ActionUsed, `key "Key"`)
}

// The stand-in a password reset asks for a name with no key (a method
// with no credential) asks the key plugged in, through libfido2, and
// fails as the real Prover does for a key that isn't the account's; with
// none plugged in, as it does with none: "no key found". It writes no
// refusal for the name, which may not exist.
func TestProver_StandInFailsAsAnotherKeyDoes(t *testing.T) {
	e := newEnv(t, yubiAAGUID, securitykey.Policy{})
	e.register("Mine") // the key plugged in holds a credential, for account
	ctx := method.Context{Account: "mallory@contoso.example", Dir: e.dir, Now: func() time.Time { return t0 }, Rand: countingReader{e}}
	p, err := securitykey.ProverFactory(e.config())(ctx, info.Method{Kind: info.KindSecurityKey})
	if err != nil {
		t.Fatal(err)
	}
	before := len(e.cdhs)
	if err := p.Check(nil); !errors.Is(err, securitykey.ErrNotRegistered) {
		t.Fatalf("the stand-in with a key plugged in = %v, want ErrNotRegistered", err)
	}
	if len(e.cdhs) != before+1 {
		t.Errorf("the key was asked %d times, want once", len(e.cdhs)-before)
	}
	if got := e.audit(securitykey.ActionRefused); len(got) != 0 {
		t.Errorf("the stand-in audited %+v", got)
	}
	e.plugged = false
	if err := p.Check(nil); !errors.Is(err, securitykey.ErrNoKey) {
		t.Errorf("the stand-in with no key plugged in = %v, want ErrNoKey", err)
	}
}

package securitykey

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
)

// The screens of a security key registration.
const (
	// ScreenInsert asks the person to insert their key; Detect finds it.
	ScreenInsert = "securitykey.insert"
	// ScreenPIN asks for the key's PIN; Register(pin) then asks for a touch.
	ScreenPIN = "securitykey.pin"
	// ScreenTouch asks for a touch; Register("") waits for it.
	ScreenTouch = "securitykey.touch"
	// ScreenName asks for a name for the verified key; Save stores it.
	ScreenName = "securitykey.name"
	// ScreenDone says the key is registered.
	ScreenDone = "securitykey.done"
	// ScreenProblem says what went wrong (Problem) and what to do; Retry
	// goes back to where it can be tried again.
	ScreenProblem = "securitykey.problem"
)

// Config is how a station uses security keys.
type Config struct {
	// Policy is the organisation's security key policy.
	Policy Policy
	// Open finds the key plugged in; nil means USB.
	Open Opener
	// Station names this machine in audit entries.
	Station string
	// HandleKey returns the key the user handles of registrations are
	// derived from (UserHandle) that every station of the deployment
	// shares: the directory's. nil, or an error, has the station use its
	// own (HandleKeySecret). See userhandle.go.
	HandleKey func() ([]byte, error)
}

// Factory returns the method.Factory that starts registrations under cfg.
func Factory(cfg Config) method.Factory {
	return func(ctx method.Context) (method.Setup, error) { return NewSetup(ctx, cfg) }
}

// pendingKey is a verified credential waiting for its name.
type pendingKey struct {
	credID, cose, aaguid []byte
	count                uint32
}

// Setup is one security key registration in progress; it implements
// method.Setup. Nothing is stored until the key's answer has verified and
// the person has named it. Register blocks until the key is touched (or
// gives up): run it off the UI thread; CancelRequest and Abort may be
// called meanwhile from another goroutine.
type Setup struct {
	ctx method.Context
	cfg Config

	mu       sync.Mutex
	screen   string
	problem  *Error
	retryTo  string
	dev      Authenticator
	keyInfo  fido2.Info
	alg      int
	needPIN  bool
	pending  *pendingKey
	name     string
	known    []info.Method // the account's keys when NewSetup started, for SuggestName
	done     bool
	aborted  bool
	inFlight bool

	// handleMu guards handle, the user handle of this Setup's
	// registrations, worked out at the first (userHandle) outside mu.
	handleMu sync.Mutex
	handle   []byte
}

var _ method.Backer = (*Setup)(nil)

// NewSetup starts registering a security key for ctx.Account under cfg.
// ctx.Now defaults to time.Now and ctx.Rand to crypto/rand. It fails with
// ErrTooManyKeys if the account has MaxKeys already.
func NewSetup(ctx method.Context, cfg Config) (*Setup, error) {
	if ctx.Dir == nil {
		return nil, errors.New("security key setup: no directory")
	}
	if ctx.Now == nil {
		ctx.Now = time.Now
	}
	if ctx.Rand == nil {
		ctx.Rand = rand.Reader
	}
	if cfg.Open == nil {
		cfg.Open = USB
	}
	if cfg.Policy.RPName == "" {
		cfg.Policy.RPName = ctx.Organisation
	}
	s := &Setup{ctx: ctx, cfg: cfg, screen: ScreenInsert}
	keys, err := s.keys()
	if err != nil {
		return nil, err
	}
	if len(keys) >= MaxKeys {
		return nil, ErrTooManyKeys
	}
	s.name, s.known = defaultName(keys), keys
	return s, nil
}

// keys lists the account's registered security keys.
func (s *Setup) keys() ([]info.Method, error) {
	ms, err := s.ctx.Dir.Methods(s.ctx.Account)
	if err != nil {
		return nil, fmt.Errorf("read your registered methods: %w", err)
	}
	return keysOf(ms), nil
}

// defaultName is "Security key", or "Security key N" for the first N not
// taken: the name in English (SuggestName words it for the person).
func defaultName(keys []info.Method) string {
	return suggestName(keys, englishName)
}

// DefaultName is the name a key gets unless the person changes it, the
// first key's; the Nth is numbered ("Security key N"). It is stored in
// English (the UI words it in the language of the page).
const DefaultName = "Security key"

// englishName is a key's suggested name in English: DefaultName for the
// first, "Security key N" for the Nth.
func englishName(n int) string {
	if n < 2 {
		return DefaultName
	}
	return fmt.Sprintf("%s %d", DefaultName, n)
}

// suggestName is say(1), or say(N) for the first N from 2 such that no
// key in keys is named say(N) or englishName(N) (ignoring case): a key
// named by default is stored under its English name, and shown in the
// language of the page, so "Security key" takes "Sicherheitsschlüssel"
// too.
func suggestName(keys []info.Method, say func(n int) string) string {
	taken := map[string]bool{}
	for _, k := range keys {
		taken[strings.ToLower(strings.TrimSpace(k.Label))] = true
	}
	isTaken := func(n int) bool {
		return taken[strings.ToLower(strings.TrimSpace(say(n)))] || taken[strings.ToLower(englishName(n))]
	}
	n := 1
	for isTaken(n) {
		n++
	}
	return say(n)
}

// SuggestName is the name the name screen offers, in the person's
// language: say(1) ("Security key"), or say(N) ("Security key N") for
// the first N from 2 not taken by the account's keys (ignoring case),
// neither in the person's language nor as the English default name
// stored. The wizard has no words of its own in other languages, so the
// UI words each name (and stores a default name in English, as the
// wizard does); nil says them in English. It reads the account's keys as
// NewSetup found them.
func (s *Setup) SuggestName(say func(n int) string) string {
	if say == nil {
		say = englishName
	}
	s.mu.Lock()
	keys := s.known
	s.mu.Unlock()
	return suggestName(keys, say)
}

// Kind returns info.KindSecurityKey.
func (s *Setup) Kind() info.Kind { return info.KindSecurityKey }

// Screen returns the current screen, one of the Screen constants.
func (s *Setup) Screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.screen
}

// Problem returns what the problem screen shows.
func (s *Setup) Problem() *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.problem
}

// NeedsPIN reports whether the key's PIN will be asked.
func (s *Setup) NeedsPIN() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.needPIN
}

// Name returns the name the key will be registered under.
func (s *Setup) Name() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.name
}

// Done reports whether the key has been registered.
func (s *Setup) Done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// CanBack reports whether Back has a screen of this method to go back to.
func (s *Setup) CanBack() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.aborted && !s.inFlight && s.screen != ScreenInsert && s.screen != ScreenDone
}

// Back returns to the insert screen, forgetting the key found and any
// credential not yet named; false on the insert screen, once done, and
// while the key is waiting for a touch.
func (s *Setup) Back() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted || s.inFlight || s.screen == ScreenInsert || s.screen == ScreenDone {
		return false
	}
	s.reset()
	return true
}

// reset goes back to the insert screen; s.mu is held.
func (s *Setup) reset() {
	s.closeDevice()
	s.pending, s.problem, s.needPIN = nil, nil, false
	s.screen = ScreenInsert
}

// closeDevice closes the key found, if any; s.mu is held.
func (s *Setup) closeDevice() {
	if s.dev != nil {
		go s.dev.Close() // waits for a request still in flight: not on this thread
		s.dev = nil
	}
}

// Abort cancels a request waiting for a touch and forgets everything;
// nothing is stored.
func (s *Setup) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dev != nil && s.inFlight {
		s.dev.Cancel()
	}
	s.reset()
	s.aborted = true
}

// CancelRequest stops waiting for a touch: Register then answers
// ErrCancelled.
func (s *Setup) CancelRequest() {
	s.mu.Lock()
	dev, busy := s.dev, s.inFlight
	s.mu.Unlock()
	if dev != nil && busy {
		dev.Cancel()
	}
}

// Retry leaves the problem screen for where the registration can be
// tried again: the insert screen, or the PIN or touch screen when the key
// was not touched in time.
func (s *Setup) Retry() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted {
		return ErrAborted
	}
	if s.screen != ScreenProblem {
		return fmt.Errorf("retry on %s: %w", s.screen, ErrWrongScreen)
	}
	if s.retryTo == ScreenInsert {
		s.reset()
		return nil
	}
	s.problem, s.screen = nil, s.retryTo
	return nil
}

// fail shows the problem screen for p, recording it in the audit log
// unless it is about finding the key; s.mu is held. It returns p, with
// an audit failure joined.
func (s *Setup) fail(p *Error, retryTo string) error {
	if retryTo == ScreenInsert {
		s.closeDevice()
	}
	s.problem, s.screen, s.retryTo = p, ScreenProblem, retryTo
	if p.Problem == ErrNoKey || p.Problem == ErrKeyLost || p.Problem == ErrUnavailable {
		return p
	}
	return s.audit(p)
}

// audit records a refused registration; s.mu is held.
func (s *Setup) audit(p *Error) error {
	if err := record(s.ctx.Dir, s.cfg.Station, s.ctx.Account, ActionRegisterRefused, auditDetail(p), s.ctx.Now()); err != nil {
		return errors.Join(p, err)
	}
	return p
}

// Detect finds the key plugged in and asks what it can do, on the insert
// screen. It moves to the PIN screen if the key has a PIN or the policy
// asks for one, else to the touch screen. No key found, or one that can't
// do what the policy asks, shows the problem screen (ErrNoKey,
// ErrPINNotSet, ErrUnsupportedKey).
func (s *Setup) Detect() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted {
		return ErrAborted
	}
	if s.screen != ScreenInsert {
		return fmt.Errorf("detect on %s: %w", s.screen, ErrWrongScreen)
	}
	s.closeDevice()
	dev, err := s.cfg.Open()
	if err != nil {
		return s.fail(problem(err), ScreenInsert)
	}
	s.dev = dev
	ki, err := dev.Info()
	if err != nil {
		return s.fail(problem(err), ScreenInsert)
	}
	s.keyInfo = ki
	pol := s.cfg.Policy
	switch {
	case !ki.FIDO2 && (pol.UserVerification || pol.ResidentKey):
		return s.fail(&Error{Problem: ErrUnsupportedKey, Left: -1, Err: errors.New("a U2F-only key: no PIN, no resident keys")}, ScreenInsert)
	case pol.UserVerification && !ki.HasPIN():
		return s.fail(&Error{Problem: ErrPINNotSet, Left: -1, Err: errors.New("user verification required and the key has no PIN")}, ScreenInsert)
	case pol.ResidentKey && ki.FIDO2 && !ki.Options["rk"]:
		return s.fail(&Error{Problem: ErrUnsupportedKey, Left: -1, Err: errors.New("resident keys required and the key has none")}, ScreenInsert)
	}
	switch {
	case ki.Offers(fido2.ES256):
		s.alg = fido2.ES256
	case ki.Offers(fido2.EdDSA):
		s.alg = fido2.EdDSA
	default:
		return s.fail(&Error{Problem: ErrUnsupportedKey, Left: -1, Err: fmt.Errorf("the key offers algorithms %v, neither ES256 nor EdDSA", ki.Algorithms)}, ScreenInsert)
	}
	s.needPIN = pol.UserVerification || ki.HasPIN()
	if s.needPIN {
		s.screen = ScreenPIN
	} else {
		s.screen = ScreenTouch
	}
	return nil
}

// Register asks the key for a new credential, on the PIN screen (with the
// PIN) or the touch screen (pin is ""), and blocks until the key is
// touched or gives up. The key's answer is verified; if it passes, the
// name screen follows. What it returns (each an *Error, see Message):
//   - ErrPINTooShort: nothing was asked of the key;
//   - ErrWrongPIN, with the tries left: the PIN screen stays;
//   - ErrPINNeeded: the key has a PIN after all: the PIN screen shows;
//   - ErrCancelled (CancelRequest): the screen stays;
//   - on the problem screen: ErrTimeout, ErrPINBlocked, ErrPINAuthBlocked,
//     ErrAlreadyRegistered, ErrNotAllowed, ErrNotVerified,
//     ErrUnsupportedKey, ErrKeyLost, ErrKeyProblem;
//   - ErrTooManyKeys if the account meanwhile has MaxKeys.
//
// Every refusal but a cancel, a lost key and a too-short PIN is recorded
// in the audit log.
func (s *Setup) Register(pin string) error {
	userID, err := s.userHandle() // may read the keyring: not under s.mu
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.aborted {
		s.mu.Unlock()
		return ErrAborted
	}
	if s.screen != ScreenPIN && s.screen != ScreenTouch || s.inFlight {
		s.mu.Unlock()
		return fmt.Errorf("register on %s: %w", s.screen, ErrWrongScreen)
	}
	if s.screen == ScreenTouch {
		pin = ""
	} else if len(pin) < MinPINLength {
		s.mu.Unlock()
		return &Error{Problem: ErrPINTooShort, Left: -1}
	}
	keys, err := s.keys()
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if len(keys) >= MaxKeys {
		s.mu.Unlock()
		return ErrTooManyKeys
	}
	challenge := make([]byte, ChallengeSize)
	if _, err := io.ReadFull(s.ctx.Rand, challenge); err != nil {
		s.mu.Unlock()
		return fmt.Errorf("make a challenge: %w", err)
	}
	pol := s.cfg.Policy
	rpID := pol.rpID()
	cdh := clientDataHash("webauthn.create", challenge, rpID)
	secret.Zero(challenge) // used once: only its hash is signed
	req := fido2.CredentialRequest{ClientDataHash: cdh, RPID: rpID, RPName: pol.RPName, UserID: userID,
		UserName: s.ctx.Account, DisplayName: s.ctx.Account, Algorithm: s.alg, ResidentKey: pol.ResidentKey,
		PIN: pin, Exclude: credentialIDs(keys)}
	dev, alg := s.dev, s.alg
	s.inFlight = true
	s.mu.Unlock()

	cred, err := dev.MakeCredential(req)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight = false
	if s.aborted {
		return ErrAborted
	}
	if err != nil {
		p := problem(err)
		touchAgain := ScreenTouch
		if s.needPIN {
			touchAgain = ScreenPIN
		}
		switch p.Problem {
		case ErrWrongPIN:
			return s.audit(p)
		case ErrPINNeeded:
			s.needPIN, s.screen = true, ScreenPIN
			return p
		case ErrCancelled:
			return p
		case ErrTimeout:
			return s.fail(p, touchAgain)
		}
		return s.fail(p, ScreenInsert)
	}
	pk, refused := checkCredential(cred, cdh, rpID, alg, pin != "" || pol.UserVerification, pol, keys)
	if refused != nil {
		return s.fail(refused, ScreenInsert)
	}
	s.pending = pk
	s.closeDevice()
	s.screen = ScreenName
	return nil
}

// checkCredential verifies a key's new credential against what was
// asked: the relying party, touch, the PIN when given, the algorithm,
// the attestation, the allowed models, and that it is not registered
// already.
func checkCredential(cred *fido2.Credential, cdh []byte, rpID string, alg int, uv bool, pol Policy, keys []info.Method) (*pendingKey, *Error) {
	refuse := func(p error, format string, args ...any) (*pendingKey, *Error) {
		return nil, &Error{Problem: p, Left: -1, Err: fmt.Errorf(format, args...)}
	}
	ad, err := parseAuthData(cred.AuthData, true)
	switch {
	case err != nil:
		return refuse(ErrNotVerified, "%w", err)
	case subtle.ConstantTimeCompare(ad.rpIDHash, rpIDHash(rpID)) != 1:
		return refuse(ErrNotVerified, "the credential is for another relying party")
	case ad.flags&flagUP == 0:
		return refuse(ErrNotVerified, "the key did not say it was touched")
	case uv && ad.flags&flagUV == 0:
		return refuse(ErrNotVerified, "the key did not say it checked its PIN")
	case ad.pub.alg != alg:
		return refuse(ErrNotVerified, "the key made a credential of alg %d, not %d", ad.pub.alg, alg)
	}
	typ, err := verifyAttestation(cred.Format, cred.AttStmt, cred.AuthData, ad, cdh)
	if err != nil {
		return refuse(ErrNotVerified, "%w", err)
	}
	if !pol.allows(ad.aaguid) {
		return refuse(ErrNotAllowed, "key model %s is not in the policy's security_key_aaguids", FormatAAGUID(ad.aaguid))
	}
	if len(pol.AAGUIDs) > 0 && typ == attestationNone {
		return refuse(ErrNotAllowed, "the key gave no attestation, and the policy allows listed models only")
	}
	for _, k := range keys {
		if bytes.Equal(k.CredentialID, ad.credID) {
			return refuse(ErrAlreadyRegistered, "the key returned a registered credential")
		}
	}
	return &pendingKey{credID: bytes.Clone(ad.credID), cose: bytes.Clone(ad.cose), aaguid: bytes.Clone(ad.aaguid), count: ad.count}, nil
}

// Save stores the verified key under name (trimmed; unique among the
// account's keys, ignoring case; at most MaxNameLength characters) and
// moves to the done screen. Name problems (ErrNameEmpty, ErrNameTooLong,
// ErrNameChars, ErrNameTaken) leave the screen as it is; a storage error
// too, so that Save can be tried again.
func (s *Setup) Save(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted {
		return ErrAborted
	}
	if s.screen != ScreenName || s.pending == nil {
		return fmt.Errorf("save on %s: %w", s.screen, ErrWrongScreen)
	}
	keys, err := s.keys()
	if err != nil {
		return err
	}
	if len(keys) >= MaxKeys {
		return ErrTooManyKeys
	}
	name, err = method.CheckLabel(name, MaxNameLength, info.KindSecurityKey, keys,
		method.LabelErrors{Empty: ErrNameEmpty, TooLong: ErrNameTooLong, Chars: ErrNameChars, Taken: ErrNameTaken})
	if err != nil {
		return err
	}
	id, err := secret.NewID(s.ctx.Rand)
	if err != nil {
		return err
	}
	p := s.pending
	m := info.Method{ID: id, Kind: info.KindSecurityKey, Label: name, Created: s.ctx.Now(),
		CredentialID: p.credID, PublicKey: p.cose, AAGUID: p.aaguid, SignCount: p.count}
	if err := s.ctx.Dir.AddMethod(s.ctx.Account, m, nil); err != nil {
		return fmt.Errorf("save the security key: %w", err)
	}
	s.name, s.pending = name, nil
	s.screen, s.done = ScreenDone, true
	return nil
}

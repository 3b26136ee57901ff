// Package securitykey is the security key method (FIDO2, through
// libfido2 on USB): registering a key at the station (insert, PIN when
// needed, touch, name) and using a registered one as a second factor
// (Verifier), with the rules of both:
//
//   - every ceremony signs a fresh challenge of 32 bytes from the injected
//     randomness, used once, inside WebAuthn client data whose type tells
//     a registration from a sign-in;
//   - the relying party is the policy's rp_id; a key's answer must name it
//     (rpIdHash), say it was touched (UP), and say the PIN was checked (UV)
//     whenever a PIN was given or the policy asks for user verification;
//   - credentials are ES256 (EdDSA where a key offers only that), resident
//     when the policy asks; the attestation must verify (packed self or
//     certificate, fido-u2f), and the policy may list the allowed models
//     (AAGUIDs);
//   - what is stored is public: credential ID, COSE public key, AAGUID,
//     signature counter, name and date; at most MaxKeys per person, names
//     unique;
//   - a sign-in's signature is verified against the stored key, and its
//     counter must go up: a counter that does not is refused and audited
//     as a possible cloned key.
//
// Every refusal is written to the audit log (never the PIN). Errors carry
// the person's words (Words, wizard/words) apart from what went wrong
// underneath (the error chain).
package securitykey

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Limits.
const (
	// MaxKeys is how many security keys one person may register.
	MaxKeys = 10
	// MaxNameLength is the longest name a key may be given.
	MaxNameLength = 40
	// ChallengeSize is the bytes of randomness in each challenge.
	ChallengeSize = 32
	// MinPINLength is the shortest PIN a FIDO2 key accepts.
	MinPINLength = 4
	// DefaultRPID is the relying party when the policy names none and
	// the organisation's domain is not known.
	DefaultRPID = "securityinfo.local"
)

// Audit actions of security keys (the flow records method-added itself).
const (
	// ActionRegisterRefused: a registration failed at the key or its
	// answer was refused (wrong PIN, PIN blocked, no touch, already
	// registered, model not allowed, attestation not verified).
	ActionRegisterRefused = "security-key-register-refused"
	// ActionUsed: a registered key proved the person's presence.
	ActionUsed = "security-key-used"
	// ActionRefused: a sign-in with a key was refused (wrong PIN, bad
	// signature, a counter that went backwards: possible cloned key…).
	ActionRefused = "security-key-refused"
)

// Policy is what the organisation's policy says about security keys.
type Policy struct {
	// RPID is the relying party ID keys are registered for (a domain);
	// "" means DefaultRPID.
	RPID string
	// RPName is the relying party's name, shown by keys with a screen.
	RPName string
	// UserVerification asks for the key's PIN at every registration and
	// sign-in, not only for keys that have one.
	UserVerification bool
	// AAGUIDs lists the key models allowed, as UUIDs
	// ("cb69481e-8ff7-4039-93ec-0a2729a154a8"); empty allows any.
	AAGUIDs []string
	// ResidentKey asks for discoverable credentials (kept on the key).
	ResidentKey bool
}

// rpID is the relying party in force.
func (p Policy) rpID() string {
	if p.RPID == "" {
		return DefaultRPID
	}
	return p.RPID
}

// allows reports whether the policy allows the key model aaguid.
func (p Policy) allows(aaguid []byte) bool {
	if len(p.AAGUIDs) == 0 {
		return true
	}
	u := FormatAAGUID(aaguid)
	for _, a := range p.AAGUIDs {
		if strings.EqualFold(a, u) {
			return true
		}
	}
	return false
}

// FormatAAGUID writes a 16-byte AAGUID as a UUID (lower case).
func FormatAAGUID(b []byte) string {
	if len(b) != 16 {
		return hex.EncodeToString(b)
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Authenticator is an open security key: *fido2.Device, whose requests
// libfido2 carries to a USB key (or, in the fido2soft build, to a
// software key). Cancel may be called from another goroutine while a
// request waits for a touch.
type Authenticator interface {
	Info() (fido2.Info, error)
	Retries() (int, error)
	MakeCredential(fido2.CredentialRequest) (*fido2.Credential, error)
	GetAssertion(fido2.AssertionRequest) (*fido2.Assertion, error)
	Cancel() error
	Close() error
}

// Opener finds and opens the security key plugged in; errors.Is
// fido2.ErrNoDevice when there is none.
type Opener func() (Authenticator, error)

// USB opens the first security key on USB, through libfido2.
func USB() (Authenticator, error) {
	d, err := fido2.Find()
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Problems, checked with errors.Is. Each carries the person's words
// (words.New: what happened and what to do next), which the UI
// translates by their English text; its Error text, the same in lower
// case, is for the chain and the log. Message returns that text with the
// tries left for a wrong PIN, Error.Words the words.
var (
	ErrNoKey = words.New("no security key found: insert your security key into a USB port of this computer (if it is in, take it out and insert it again), then try again",
		"No security key found. Insert your security key into a USB port of this computer (if it is in, take it out and insert it again), then try again.")
	ErrTimeout = words.New("your security key wasn't touched in time: try again, and touch your key (its button or gold disc) when it blinks",
		"Your security key wasn't touched in time. Try again, and touch your key (its button or gold disc) when it blinks.")
	ErrWrongPIN = words.New("that PIN isn't right",
		"That PIN isn't right. Check it and try again.")
	ErrPINBlocked = words.New("your security key's PIN is blocked after too many wrong tries: the key must be reset, which erases everything on it, before it can be used again; use a different key, or ask your helpdesk",
		"Your security key's PIN is blocked after too many wrong tries. The key must be reset, which erases everything on it, before it can be used again; use a different key, or ask your helpdesk.")
	ErrPINAuthBlocked = words.New("3 wrong PINs in a row: take your security key out, insert it again, then try again",
		"3 wrong PINs in a row. Take your security key out, insert it again, then try again.")
	ErrPINNotSet = words.New("your organisation requires a security key with a PIN, and this key has none: set a PIN with your key's manager app, then try again",
		"Your organisation requires a security key with a PIN, and this key has none. Set a PIN with your key's manager app, then try again.")
	ErrPINNeeded = words.New("enter your security key's PIN",
		"Your security key has a PIN. Enter it, then try again.")
	ErrPINTooShort = words.New("a security key PIN has at least 4 characters",
		"A security key's PIN has at least 4 characters. Check the PIN you entered and try again.")
	ErrAlreadyRegistered = words.New("this security key is already registered to your account: use a different key, or choose a different method",
		"This security key is already registered to your account. Use a different key, or choose a different method.")
	ErrNotAllowed = words.New("your organisation doesn't allow this model of security key: use a key your organisation gave you, or ask your helpdesk",
		"Your organisation doesn't allow this model of security key. Use a key your organisation gave you, or ask your helpdesk.")
	ErrNotVerified = words.New("your security key's answer couldn't be verified: try again, or use a different key",
		"Your security key's answer couldn't be verified. Try again, or use a different key.")
	ErrUnsupportedKey = words.New("this security key can't be used here: it doesn't offer what your organisation requires (a PIN, keys kept on the key, or a supported signature algorithm); use a different key",
		"This security key can't be used here. It doesn't offer what your organisation requires (a PIN, keys kept on the key, or a supported signature algorithm); use a different key.")
	ErrKeyLost = words.New("lost contact with your security key: check it is inserted, then try again",
		"Lost contact with your security key. Check it is inserted, then try again.")
	ErrCancelled = words.New("stopped waiting for your security key: try again when you are ready",
		"Stopped waiting for your security key. Try again when you are ready.")
	ErrTooManyKeys = words.New("you already have 10 security keys, the most allowed: ask your helpdesk to remove one you no longer use",
		"You already have 10 security keys, the most allowed. Ask your helpdesk to remove one you no longer use.")
	ErrKeyProblem = words.New("your security key refused: try again, or use a different key",
		"Your security key refused. Try again, or use a different key.")
	ErrUnavailable = words.New("security keys can't be used on this computer: the software they need (libfido2) isn't installed here; choose a different method, or ask your helpdesk",
		"Security keys can't be used on this computer. The software they need (libfido2) isn't installed here; choose a different method, or ask your helpdesk.")

	// Sign-in with a key.
	ErrNoKeys = words.New("you have no security key registered",
		"You have no security key registered. Choose a different method.")
	ErrNotRegistered = words.New("this security key isn't registered to your account: use the key you registered",
		"This security key isn't registered to your account. Use the key you registered.")
	ErrClonedKey = words.New("this security key was refused because it may have been copied: ask your helpdesk",
		"This security key was refused because it may have been copied. Ask your helpdesk.")
	ErrBadSignature = words.New("this security key's signature didn't verify: try again, or ask your helpdesk",
		"This security key's signature didn't verify. Try again, or ask your helpdesk.")

	// Names.
	ErrNameEmpty = words.New("give your security key a name",
		"Type a name for your security key, for example Blue key.")
	ErrNameTooLong = words.New("a security key's name can be at most 40 characters",
		"Use at most 40 characters for the name of your security key.")
	ErrNameChars = words.New("a security key's name can't contain control characters",
		"The name can't contain control characters such as tabs. Type it again without them.")
	ErrNameTaken = words.New("you already have a security key with this name: choose another",
		"You already have a security key with this name. Choose another name.")

	// ErrWrongScreen means the operation is not possible on the current
	// screen (a host bug, not something a person can cause).
	ErrWrongScreen = errors.New("not possible on this screen")
	// ErrAborted means the setup was aborted.
	ErrAborted = errors.New("this setup was cancelled")
)

// Error is a security key problem: Problem is one of the Err values
// above (what the person reads), Err what went wrong underneath (for the
// log), Left the PIN tries left after a wrong PIN (-1 if unknown).
type Error struct {
	Problem error
	Left    int
	Err     error
}

// Error is the whole chain, for logs.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Problem.Error()
	}
	return e.Problem.Error() + ": " + e.Err.Error()
}

// Words is what a person reads: the problem's words, with the tries left
// after a wrong PIN. That sentence carries a number, so it can't be a
// translation key: the UI builds it from Left in its own language.
func (e *Error) Words() string {
	if errors.Is(e.Problem, ErrWrongPIN) && e.Left >= 1 {
		return fmt.Sprintf("That PIN isn't right. Check it and try again (%s left before the key's PIN is blocked).", words.Plural(e.Left, "try", "tries"))
	}
	if w, ok := words.Of(e.Problem); ok {
		return w
	}
	return ErrKeyProblem.Words()
}

// Unwrap returns the problem and its cause.
func (e *Error) Unwrap() []error { return []error{e.Problem, e.Err} }

// Message is err's text for the log, without what went wrong underneath:
// a security key problem's own text (with the tries left after a wrong
// PIN), else err's text. People read Words instead.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if errors.Is(e.Problem, ErrWrongPIN) {
			switch {
			case e.Left == 1:
				return ErrWrongPIN.Error() + ": 1 try left before the key's PIN is blocked"
			case e.Left > 1:
				return fmt.Sprintf("%s: %d tries left before the key's PIN is blocked", ErrWrongPIN, e.Left)
			}
		}
		return e.Problem.Error()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// problem wraps a key's error as the person's problem.
func problem(err error) *Error {
	var fe *fido2.Error
	left := -1
	if errors.As(err, &fe) {
		left = fe.Retries
	}
	p := ErrKeyProblem
	switch {
	case errors.Is(err, fido2.ErrUnavailable):
		p = ErrUnavailable
	case errors.Is(err, fido2.ErrNoDevice):
		p = ErrNoKey
	case errors.Is(err, fido2.ErrDeviceGone):
		p = ErrKeyLost
	case errors.Is(err, fido2.ErrTimeout):
		p = ErrTimeout
	case errors.Is(err, fido2.ErrCancelled):
		p = ErrCancelled
	case errors.Is(err, fido2.ErrPINInvalid):
		p = ErrWrongPIN
		if left == 0 {
			p = ErrPINBlocked
		}
	case errors.Is(err, fido2.ErrPINBlocked):
		p = ErrPINBlocked
	case errors.Is(err, fido2.ErrPINAuthBlocked):
		p = ErrPINAuthBlocked
	case errors.Is(err, fido2.ErrPINRequired):
		p = ErrPINNeeded
	case errors.Is(err, fido2.ErrPINNotSet):
		p = ErrPINNotSet
	case errors.Is(err, fido2.ErrPINPolicy):
		p = ErrPINTooShort
	case errors.Is(err, fido2.ErrCredentialExcluded):
		p = ErrAlreadyRegistered
	case errors.Is(err, fido2.ErrNoCredentials):
		p = ErrNotRegistered
	case errors.Is(err, fido2.ErrUnsupportedAlgorithm), errors.Is(err, fido2.ErrUnsupportedOption):
		p = ErrUnsupportedKey
	}
	return &Error{Problem: p, Left: left, Err: err}
}

// auditDetail says a problem for the audit log: short, never a PIN.
func auditDetail(e *Error) string {
	var s string
	switch e.Problem {
	case ErrWrongPIN:
		s = "wrong PIN"
		if e.Left >= 0 {
			s += fmt.Sprintf(" (%d tries left)", e.Left)
		}
	case ErrPINBlocked:
		s = "PIN blocked"
	case ErrPINAuthBlocked:
		s = "3 wrong PINs in a row"
	case ErrTimeout:
		s = "not touched in time"
	case ErrAlreadyRegistered:
		s = "key already registered"
	case ErrNotAllowed, ErrNotVerified, ErrClonedKey, ErrBadSignature, ErrNotRegistered:
		s = e.Err.Error()
	default:
		s = e.Error()
	}
	return s
}

// record writes an audit entry for account.
func record(dir info.Store, station, account, action, detail string, now time.Time) error {
	err := dir.AppendAudit(info.AuditEntry{Time: now.UTC(), Actor: account, Account: account, Action: action, Station: station, Detail: detail})
	if err != nil {
		return fmt.Errorf("writing the audit log: %w", err)
	}
	return nil
}

// credentialIDs lists the credential IDs of an account's security keys.
func credentialIDs(keys []info.Method) [][]byte {
	var ids [][]byte
	for _, m := range keys {
		ids = append(ids, m.CredentialID)
	}
	return ids
}

// keysOf filters an account's methods to its security keys.
func keysOf(ms []info.Method) []info.Method {
	var out []info.Method
	for _, m := range ms {
		if m.Kind == info.KindSecurityKey {
			out = append(out, m)
		}
	}
	return out
}

// rpIDHash is SHA-256 of the relying party ID.
func rpIDHash(rpID string) []byte {
	h := sha256.Sum256([]byte(rpID))
	return h[:]
}

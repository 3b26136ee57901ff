// Package info holds the words of Security Info's domain: accounts, the
// kinds of security info, registered methods, Temporary Access Passes and
// audit entries, and Store, the boundary every storage backend implements
// (the local data file with the OS keyring, or the organisation's
// directory). The wizard speaks these words and the UI shows them; neither
// knows which backend is behind a Store.
package info

import (
	"strings"
	"time"
)

// Kind names a kind of security info.
type Kind string

// The kinds of security info the app knows about.
const (
	KindAuthenticatorApp  Kind = "authenticator-app"
	KindPhone             Kind = "phone"
	KindEmail             Kind = "email"
	KindSecurityQuestions Kind = "security-questions"
	KindSecurityKey       Kind = "security-key"
	KindAppPassword       Kind = "app-password"
	// KindRecoveryCodes is one of a set of single-use recovery codes: each
	// code is a method of its own, holding only a salted hash (Hash).
	KindRecoveryCodes Kind = "recovery-codes"
)

// Account is a person who can sign in. Nothing in it is secret in the
// clear.
type Account struct {
	// Name is the account name as first given, e.g. alice@contoso.example.
	Name string
	// PasswordHash is an argon2id hash in PHC string form, for backends
	// that keep passwords themselves; empty where the directory checks
	// passwords (see Store.Bind).
	PasswordHash string
	// Created is when the account was added.
	Created time.Time
	// Counts are the account's three failure counts (the password's, the
	// second factor's, app passwords'); their total locks it.
	Counts
	// Locked says the directory's password policy has locked the account.
	Locked bool
	// Disabled says the lock is an administrator's: the directory holds
	// the account locked until an administrator unlocks it, and none of
	// the failure counts explains it. Nothing the person proves lifts it:
	// neither a password reset nor a Temporary Access Pass signs them in.
	Disabled bool
	// Helpdesk marks an operator account.
	Helpdesk bool
	// CodeAtBind says the directory asks for the person's authenticator
	// code together with the password at every sign-in, so the app must
	// ask for the code before it can check the password.
	CodeAtBind bool
	// DefaultMethod is the ID of the method the person chose to be asked
	// for first when signing in; empty (or a method since removed) means
	// the strongest one they have.
	DefaultMethod string
	// Snoozes counts the times the person chose "Not now" when asked to
	// register a method, and FirstSnooze is when they first did: the
	// registration campaign allows a few, for a few days.
	Snoozes     int
	FirstSnooze time.Time
}

// Method is one registered piece of security info. Its secret, if it has
// one, is never in this struct.
type Method struct {
	// ID is unique within the account and names the method's secret.
	ID string
	// Kind says what sort of method this is.
	Kind Kind
	// Label is what a person sees: a device name, a masked phone number,
	// an app password's name.
	Label string
	// Created is when the method's test succeeded and it was saved.
	Created time.Time
	// HasSecret says a secret (an authenticator key) belongs to this
	// method.
	HasSecret bool
	// LastStep is an authenticator app's last accepted TOTP time step:
	// that code and every earlier one are refused.
	LastStep int64
	// Phone is a phone method's number in E.164 form.
	Phone string
	// Channel is how a phone method gets its codes: "sms" or "voice".
	Channel string
	// Hash is an app password's salted argon2id hash in PHC string form.
	Hash string
	// Lookup is an app password's lookup digest (apppassword.Lookup): a
	// few characters derived from the password that pick out the one
	// record to check, so that checking a password costs one hash
	// whatever the count. It proves nothing; Hash does. Empty for app
	// passwords saved before it existed.
	Lookup string
	// CredentialID is a security key's FIDO2 credential ID. Like the
	// other security key fields it is public: the key keeps the private
	// half.
	CredentialID []byte
	// PublicKey is a security key credential's public key, a COSE_Key.
	PublicKey []byte
	// AAGUID is a security key's model identifier (16 bytes).
	AAGUID []byte
	// SignCount is a security key's last accepted signature counter: a
	// later signature must count higher.
	SignCount uint32
	// Email is an email method's address, with its domain in lower case
	// (and in its ASCII form for an internationalised domain).
	Email string
	// Questions are a security questions method's questions, in the order
	// they were registered, each with a salted hash of its answer.
	Questions []Question
}

// Public is what may be shown of m to someone other than its owner (a
// helpdesk operator): nothing that is or derives from a secret (a hash,
// an app password's lookup digest, the answers' hashes and the questions
// that go with them) and no whole phone number or address (Label shows
// them masked).
func (m Method) Public() Method {
	m.Hash, m.Lookup, m.Phone, m.Email, m.Questions = "", "", "", "", nil
	return m
}

// Question is one registered security question. The answer is never in
// it: only a salted argon2id hash of the answer as normalised.
type Question struct {
	// ID names a question from the list that ships with the app
	// ("first-pet"), shown in the person's language; empty for a question
	// the person wrote.
	ID string `json:"id,omitempty"`
	// Text is the person's own question; empty for a shipped one.
	Text string `json:"text,omitempty"`
	// Hash is the answer's argon2id hash in PHC string form.
	Hash string `json:"hash"`
}

// Pass is an account's Temporary Access Pass, without the pass itself.
type Pass struct {
	// Hash is an argon2id hash of the normalised pass, in PHC string form.
	Hash string
	// Issued is when the pass was made.
	Issued time.Time
	// Expires is when it stops working.
	Expires time.Time
	// OneTime says the pass works for one sign-in only.
	OneTime bool
	// Used says a one-time pass has been used; UsedAt says when.
	Used   bool
	UsedAt time.Time
}

// AuditEntry is one line of the audit log. No field may ever hold a
// secret: not a password, pass, code, seed or hash of one.
type AuditEntry struct {
	// Time is when it happened; it is kept in UTC.
	Time time.Time
	// Actor is who did it: the person signing in, the operator's account
	// name, or "station".
	Actor string
	// Account is the account it concerns, if any.
	Account string
	// Action is one of the Action constants.
	Action string
	// Station is the machine it happened on.
	Station string
	// Detail is a short note for people, e.g. the method's kind and label.
	Detail string
}

// Actions recorded in the audit log.
const (
	ActionSignIn             = "sign-in"
	ActionSignInFailed       = "sign-in-failed"
	ActionMethodAdded        = "method-added"
	ActionMethodRemoved      = "method-removed"
	ActionAppPasswordCreated = "app-password-created"
	ActionAppPasswordDeleted = "app-password-deleted"
	ActionTAPIssued          = "tap-issued"
	ActionTAPUsed            = "tap-used"
	ActionTAPExpired         = "tap-expired"
	ActionTAPRevoked         = "tap-revoked"
	ActionReset              = "reset"
	ActionKioskWipe          = "kiosk-wipe"
	ActionUnlock             = "unlock"
	// Added with sign-in with a second factor, managing security info
	// and self-service password reset.
	ActionSecondFactor       = "second-factor"        // a method proved it's the person (detail: kind and why)
	ActionSecondFactorFailed = "second-factor-failed" // a proof that failed (detail: kind, why, the reason)
	ActionMethodChanged      = "method-changed"       // a phone number or a name changed
	ActionDefaultChanged     = "default-method-changed"
	ActionPasswordReset      = "password-reset"
	ActionRegistrationSnooze = "registration-snoozed"
)

// MaxAuditField is the most bytes of one text field an audit entry keeps.
const MaxAuditField = 1024

// CleanAuditField makes an audit field safe to print on one line and to
// read as written: control characters (a newline could forge a second
// entry), bidirectional overrides and isolates (which reorder what a
// terminal shows) and invisible zero-width characters become U+FFFD, and a
// field is cut at MaxAuditField bytes. Every backend stores fields through
// it.
func CleanAuditField(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0, r == '\u2028', r == '\u2029',
			r >= '\u200b' && r <= '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\ufeff':
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) > MaxAuditField {
		cut := MaxAuditField
		for cut > 0 && (s[cut]&0xc0) == 0x80 { // do not split a character
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// Counts are the failure counts an account keeps, one per factor, each
// cleared only by a success at its own factor; together they lock the
// account (regulation). The try slot of a name that names no account
// (Store.UpdateTries) keeps the same three, so that it waits and locks as
// an account does.
type Counts struct {
	// Failures counts consecutive failed password checks: wrong
	// passwords, and wrong Temporary Access Passes (typed in the same
	// field). Only a right password or pass clears it; a second factor or
	// an app password proves nothing of the password. In the directory it
	// is ppolicy's pwdFailureTime, which slapd also counts and clears
	// itself at binds.
	Failures int
	// LastFailure is when the latest failed password check happened.
	LastFailure time.Time
	// SecondFactorTries counts consecutive failed second-factor proofs (a
	// code, a security key, answers to security questions), at sign-in,
	// step-up and password reset; only a proof that succeeds clears it.
	SecondFactorTries Tries
	// AppPasswordTries counts consecutive failed app password checks;
	// only a right app password clears it.
	AppPasswordTries Tries
}

// MaxFailures is how many consecutive failures, the three Counts
// together, lock an account or a name that names nobody
// (regulation.MaxFailures, the lock-out of regulation.Default; kept here
// so that the stores, which regulation's tests use, know a lock without
// importing regulation).
const MaxFailures = 100

// Locked says whether c's three counts together reach the lock-out
// (regulation.Default.CountsLocked), so that a try slot holding them is
// never forgotten (ForgetFirst).
func (c Counts) Locked() bool {
	return c.Failures+c.SecondFactorTries.Failures+c.AppPasswordTries.Failures >= MaxFailures
}

// Latest is when the latest failure of any of c's counts happened.
func (c Counts) Latest() time.Time {
	t := c.LastFailure
	for _, o := range []Tries{c.SecondFactorTries, c.AppPasswordTries} {
		if o.LastFailure.After(t) {
			t = o.LastFailure
		}
	}
	return t
}

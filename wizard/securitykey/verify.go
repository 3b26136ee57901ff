package securitykey

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
)

// Verifier checks a registered security key as a second factor, for
// sign-in and for step-up before a change of security info. It is safe
// for concurrent use; Verify blocks until the key is touched (or gives
// up), so call it off the UI thread.
type Verifier struct {
	// Policy is the organisation's security key policy (the same as at
	// registration: the relying party must not change).
	Policy Policy
	// Open finds the key plugged in; nil means USB.
	Open Opener
	// Dir holds the registered keys and the audit log.
	Dir info.Store
	// Now is the clock (time.Now if nil); Rand the randomness of
	// challenges (crypto/rand if nil).
	Now  func() time.Time
	Rand io.Reader
	// Station names this machine in audit entries.
	Station string

	mu  sync.Mutex
	dev Authenticator // the key while a request is in flight
}

// NeedsPIN reports whether Verify needs the key's PIN: when the policy
// asks for user verification. (A key with a PIN proves presence without
// it otherwise.)
func (v *Verifier) NeedsPIN() bool { return v.Policy.UserVerification }

// Cancel stops a Verify waiting for a touch; it answers ErrCancelled.
func (v *Verifier) Cancel() {
	v.mu.Lock()
	dev := v.dev
	v.mu.Unlock()
	if dev != nil {
		dev.Cancel()
	}
}

// Verify asks the key plugged in to sign a fresh challenge with one of
// account's registered keys, and checks the answer: the relying party,
// the touch, the PIN when the policy asks for one, the signature against
// the stored public key, and the signature counter, which must be higher
// than the one stored (unless the key keeps none: both zero). On success
// the new counter is stored, the use is audited (a failure to audit fails
// the check) and the key's method is returned.
//
// Errors (each an *Error, see Message): ErrNoKeys, ErrPINNeeded (ask for
// the PIN and call again), ErrPINTooShort, ErrNoKey, ErrKeyLost,
// ErrTimeout, ErrCancelled, ErrWrongPIN (with the tries left),
// ErrPINBlocked, ErrPINAuthBlocked, ErrNotRegistered, ErrBadSignature,
// ErrClonedKey (a counter that did not go up: possibly a copied key),
// ErrNotVerified. Each refusal that involved the key is audited.
func (v *Verifier) Verify(account, pin string) (info.Method, error) {
	now, rnd := time.Now, v.Rand
	if v.Now != nil {
		now = v.Now
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	open := v.Open
	if open == nil {
		open = USB
	}
	ms, err := v.Dir.Methods(account)
	if err != nil {
		return info.Method{}, fmt.Errorf("read your registered methods: %w", err)
	}
	keys := keysOf(ms)
	if len(keys) == 0 {
		return info.Method{}, &Error{Problem: ErrNoKeys, Left: -1}
	}
	uv := v.Policy.UserVerification
	if uv && pin == "" {
		return info.Method{}, &Error{Problem: ErrPINNeeded, Left: -1}
	}
	// Without the policy asking, a PIN comes only from a key that asks
	// for it every time (alwaysUv): it is given to the key all the same.
	if pin != "" && len(pin) < MinPINLength {
		return info.Method{}, &Error{Problem: ErrPINTooShort, Left: -1}
	}
	refuse := func(p *Error) (info.Method, error) {
		if err := record(v.Dir, v.Station, account, ActionRefused, auditDetail(p), now()); err != nil {
			return info.Method{}, errors.Join(p, err)
		}
		return info.Method{}, p
	}

	dev, err := open()
	if err != nil {
		return info.Method{}, problem(err)
	}
	defer dev.Close()
	challenge := make([]byte, ChallengeSize)
	if _, err := io.ReadFull(rnd, challenge); err != nil {
		return info.Method{}, fmt.Errorf("make a challenge: %w", err)
	}
	rpID := v.Policy.rpID()
	cdh := clientDataHash("webauthn.get", challenge, rpID)
	secret.Zero(challenge) // used once: only its hash is signed
	v.mu.Lock()
	v.dev = dev
	v.mu.Unlock()
	a, err := dev.GetAssertion(fido2.AssertionRequest{ClientDataHash: cdh, RPID: rpID, Allow: credentialIDs(keys), PIN: pin})
	v.mu.Lock()
	v.dev = nil
	v.mu.Unlock()
	if err != nil {
		p := problem(err)
		switch p.Problem {
		case ErrNoKey, ErrKeyLost, ErrCancelled, ErrUnavailable, ErrPINNeeded:
			// Nothing was refused: the key was not there, or it asks
			// for its PIN before anything else (Prover.Fields adds it).
			return info.Method{}, p
		case ErrNotRegistered:
			p.Err = fmt.Errorf("the key holds none of the account's %d registered credentials: %w", len(keys), err)
		}
		return refuse(p)
	}
	var key info.Method
	for _, k := range keys {
		if bytes.Equal(k.CredentialID, a.CredentialID) {
			key = k
		}
	}
	if key.ID == "" {
		return refuse(&Error{Problem: ErrNotRegistered, Left: -1, Err: errors.New("the key signed with a credential that is not registered")})
	}
	about := func(format string, args ...any) error {
		return fmt.Errorf("key %q (%s): %s", key.Label, key.ID, fmt.Sprintf(format, args...))
	}
	pub, err := parseCOSEKey(key.PublicKey)
	if err != nil {
		return refuse(&Error{Problem: ErrNotVerified, Left: -1, Err: about("stored public key: %v", err)})
	}
	ad, err := parseAuthData(a.AuthData, false)
	switch {
	case err != nil:
		return refuse(&Error{Problem: ErrNotVerified, Left: -1, Err: about("%v", err)})
	case subtle.ConstantTimeCompare(ad.rpIDHash, rpIDHash(rpID)) != 1:
		return refuse(&Error{Problem: ErrNotVerified, Left: -1, Err: about("signed for another relying party")})
	case !pub.verify(append(append([]byte(nil), a.AuthData...), cdh...), a.Signature):
		return refuse(&Error{Problem: ErrBadSignature, Left: -1, Err: about("signature did not verify")})
	case ad.flags&flagUP == 0:
		return refuse(&Error{Problem: ErrNotVerified, Left: -1, Err: about("the key did not say it was touched")})
	case uv && ad.flags&flagUV == 0:
		return refuse(&Error{Problem: ErrNotVerified, Left: -1, Err: about("the key did not say it checked its PIN")})
	}
	// The counter is checked against the stored one inside the update,
	// so that two stations using copies of one key at once can't both
	// pass with the same count.
	var cloned *Error
	err = v.Dir.UpdateMethod(account, key.ID, func(m *info.Method) error {
		if (m.SignCount != 0 || ad.count != 0) && ad.count <= m.SignCount {
			cloned = &Error{Problem: ErrClonedKey, Left: -1,
				Err: about("possible cloned key: signature counter %d after %d", ad.count, m.SignCount)}
			return cloned
		}
		m.SignCount = ad.count
		return nil
	})
	if cloned != nil {
		return refuse(cloned)
	}
	if err != nil {
		return info.Method{}, fmt.Errorf("record the security key's counter: %w", err)
	}
	key.SignCount = ad.count
	if err := record(v.Dir, v.Station, account, ActionUsed, fmt.Sprintf("key %q, counter %d", key.Label, ad.count), now()); err != nil {
		return info.Method{}, err
	}
	return key, nil
}

// standInCredentialSize is the length of the credential ID standIn asks
// for: as long as the IDs keys commonly make.
const standInCredentialSize = 64

// standIn is Verify at a password reset for a name with no security key
// (an account without one, or no account): the same reads and checks in
// the same order, then the key plugged in is asked for a random
// credential it can't hold. So the person sees what a real account's
// check shows for a key that isn't theirs (the key blinks, or "no key
// found"), and the error, and whether it counts towards the back-off, are
// the same: no key plugged in, not touched or cancelled are not counted,
// a key that holds none of the credentials is. Unlike Verify it writes
// no refusal to the audit log: the name may not exist (the flow audits a
// counted failure under "(unknown account)").
func (v *Verifier) standIn(account, pin string) error {
	rnd, open := v.Rand, v.Open
	if rnd == nil {
		rnd = rand.Reader
	}
	if open == nil {
		open = USB
	}
	if _, err := v.Dir.Methods(account); err != nil && !errors.Is(err, info.ErrNoAccount) {
		return fmt.Errorf("read your registered methods: %w", err)
	}
	uv := v.Policy.UserVerification
	if uv && pin == "" {
		return &Error{Problem: ErrPINNeeded, Left: -1}
	}
	if uv && len(pin) < MinPINLength {
		return &Error{Problem: ErrPINTooShort, Left: -1}
	}
	if !uv {
		pin = ""
	}
	dev, err := open()
	if err != nil {
		return problem(err)
	}
	defer dev.Close()
	challenge := make([]byte, ChallengeSize)
	credential := make([]byte, standInCredentialSize)
	for _, b := range [][]byte{challenge, credential} {
		if _, err := io.ReadFull(rnd, b); err != nil {
			return fmt.Errorf("make a challenge: %w", err)
		}
	}
	rpID := v.Policy.rpID()
	cdh := clientDataHash("webauthn.get", challenge, rpID)
	secret.Zero(challenge)
	v.mu.Lock()
	v.dev = dev
	v.mu.Unlock()
	_, err = dev.GetAssertion(fido2.AssertionRequest{ClientDataHash: cdh, RPID: rpID, Allow: [][]byte{credential}, PIN: pin})
	v.mu.Lock()
	v.dev = nil
	v.mu.Unlock()
	if err != nil {
		return problem(err)
	}
	// A key can't hold a credential made up now.
	return &Error{Problem: ErrNotRegistered, Left: -1, Err: errors.New("the key signed for a credential it can't hold")}
}

package securitykey

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// The user handle a registration names the person by (WebAuthn's
// user.id) is what a key files a resident credential under, with the
// relying party: CTAP2 keeps one resident credential per (rp ID, user
// handle) and a new one for the same pair replaces the old. A handle
// drawn afresh for every registration left a credential on the key for
// every attempt abandoned after the touch, cancelled at the name screen
// or retried, which nothing refers to and which fill the key's few slots.
// So the handle is the same for every registration of one account: a
// retry replaces what the attempt before it left.
//
// It must not be personal data (WebAuthn L2 §5.4.3: the user handle is
// not to contain the account name or e-mail), and a plain hash of the
// account name is that name to anyone who can guess it. So the handle is
// an HMAC-SHA256, under a key the deployment keeps, of the relying party
// and the account name as accounts compare it: nothing in it can be read
// back or recomputed without the key, and it differs per relying party.
//
// The key, in order of preference:
//
//  1. Config.HandleKey: the organisation's directory's (derived from the
//     key every station already shares there, see storage/directory), so
//     that the person gets the same handle at every station of a fleet
//     and a retry at another desk replaces the credential too;
//  2. this station's own, HandleKeySecret among the station's secrets
//     (made from the injected randomness when first needed): the same
//     handle at every registration on this station;
//  3. if neither can be read (the keyring locked or unavailable), a
//     handle drawn for this Setup alone: its retries still replace each
//     other, and registering a key needs no keyring.
//
// The handle is not kept with the registered keys: the store has no
// place for it (info.Method), and being derived, it needs none. Keys
// registered before (random handles) are left as they are: the exclude
// list keeps a key from being registered twice, and its credential is
// never replaced.

// HandleKeySecret names the station secret that user handles are
// derived from where the deployment has no shared key (Config.HandleKey):
// 32 random bytes, made once.
const HandleKeySecret = "security-key-user-handles"

// handleKeySize is the size of a station's own handle key.
const handleKeySize = 32

// UserHandle is the WebAuthn user handle of account for the relying party
// rpID under key: HMAC-SHA256(key, "securityinfo user handle" NUL rpID
// NUL account), the account as accounts compare it (info.AccountKey).
// 32 bytes, within WebAuthn's 64.
func UserHandle(key []byte, rpID, account string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("securityinfo user handle\x00"))
	m.Write([]byte(rpID))
	m.Write([]byte{0})
	m.Write([]byte(info.AccountKey(account)))
	return m.Sum(nil)
}

// userHandle is the handle this Setup's registrations name the person
// by, worked out once (see above). It may read the station's keyring, so
// it is never called under s.mu: Abort and CancelRequest take that on
// the UI thread.
func (s *Setup) userHandle() ([]byte, error) {
	s.handleMu.Lock()
	defer s.handleMu.Unlock()
	if s.handle != nil {
		return s.handle, nil
	}
	rpID := s.cfg.Policy.rpID()
	if key, err := s.handleKey(); err == nil {
		s.handle = UserHandle(key, rpID, s.ctx.Account)
		return s.handle, nil
	}
	h := make([]byte, sha256.Size)
	if _, err := io.ReadFull(s.ctx.Rand, h); err != nil {
		return nil, fmt.Errorf("make a user handle: %w", err)
	}
	s.handle = h
	return h, nil
}

// handleKey is the deployment's key for user handles: Config.HandleKey's,
// else the station's own (made if there is none yet).
func (s *Setup) handleKey() ([]byte, error) {
	if s.cfg.HandleKey != nil {
		if key, err := s.cfg.HandleKey(); err == nil && len(key) > 0 {
			return key, nil
		}
	}
	key, err := s.ctx.Dir.StationSecret(HandleKeySecret)
	if err == nil && len(key) >= handleKeySize {
		return key, nil
	}
	if err != nil && !errors.Is(err, info.ErrSecretNotFound) {
		return nil, fmt.Errorf("read the station's user handle key: %w", err)
	}
	key = make([]byte, handleKeySize)
	if _, err := io.ReadFull(s.ctx.Rand, key); err != nil {
		return nil, fmt.Errorf("make the station's user handle key: %w", err)
	}
	if err := s.ctx.Dir.SetStationSecret(HandleKeySecret, key); err != nil {
		return nil, fmt.Errorf("keep the station's user handle key: %w", err)
	}
	// Two registrations making it at once: the one kept is the one both use.
	if kept, err := s.ctx.Dir.StationSecret(HandleKeySecret); err == nil && len(kept) >= handleKeySize {
		return kept, nil
	}
	return key, nil
}

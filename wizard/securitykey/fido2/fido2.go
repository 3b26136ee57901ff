// Package fido2 reaches FIDO2 security keys through libfido2 (the library
// ssh-keygen's -sk keys and pam_u2f use): it finds keys on USB, asks one to
// make a credential or sign an assertion, with its PIN when needed, and
// says in Go errors what the key answered. libfido2 handles CTAPHID,
// CTAP2 and the PIN protocol; this package keeps every C type inside and
// hands out plain Go values. It decides nothing: the rules of what is
// accepted (challenges, attestation, sign counters) are the caller's
// (package securitykey).
//
// The hardware path is built with cgo against libfido2's header (Debian's
// libfido2-dev) and loads libfido2.so.1 on first use, not at start
// (lazy_libfido2.c); without it installed, Devices and Open answer
// ErrUnavailable. Built without cgo, or with the nofido2 tag, they always
// do. Built with the
// fido2soft tag, OpenTransport routes a real libfido2 device's reports to
// an in-process authenticator instead of /dev/hidraw (tests and demos).
package fido2

import (
	"errors"
	"fmt"
	"time"
)

// COSE algorithm identifiers of credential keys.
const (
	ES256 = -7
	EdDSA = -8
)

// DeviceInfo names a key found on this machine.
type DeviceInfo struct {
	// Path is what Open takes (/dev/hidraw3 on Linux).
	Path string
	// Manufacturer and Product are the USB strings, for people.
	Manufacturer, Product string
}

// Info is what a key says about itself (authenticatorGetInfo).
type Info struct {
	// Versions, e.g. FIDO_2_0, FIDO_2_1.
	Versions []string
	// AAGUID identifies the key's model (16 bytes).
	AAGUID []byte
	// Options is the key's options map: "rk", "up", "uv", "clientPin"…
	// An option missing from the map is not supported.
	Options map[string]bool
	// Algorithms are the COSE algorithms the key offers, if it says.
	Algorithms []int
	// FIDO2 is false for a U2F-only key.
	FIDO2 bool
}

// HasPIN reports whether a PIN is set on the key.
func (i Info) HasPIN() bool { return i.Options["clientPin"] }

// SupportsPIN reports whether a PIN can be set on the key.
func (i Info) SupportsPIN() bool {
	_, ok := i.Options["clientPin"]
	return ok
}

// HasUV reports whether the key verifies people itself (fingerprint) and
// is set up to do so.
func (i Info) HasUV() bool { return i.Options["uv"] }

// Offers reports whether the key offers alg; a key that lists no
// algorithms (CTAP 2.0) offers ES256 only.
func (i Info) Offers(alg int) bool {
	if len(i.Algorithms) == 0 {
		return alg == ES256
	}
	for _, a := range i.Algorithms {
		if a == alg {
			return true
		}
	}
	return false
}

// CredentialRequest asks a key for a new credential.
type CredentialRequest struct {
	// ClientDataHash is the SHA-256 of the client data holding the
	// challenge; the key signs it.
	ClientDataHash []byte
	// RPID is the relying party's ID (a domain), RPName its name.
	RPID, RPName string
	// UserID is the account's opaque handle; UserName and DisplayName are
	// shown by keys with screens.
	UserID                []byte
	UserName, DisplayName string
	// Algorithm is the COSE algorithm of the new key pair.
	Algorithm int
	// ResidentKey asks for a discoverable credential.
	ResidentKey bool
	// PIN is the key's PIN, or "" to ask without one.
	PIN string
	// Exclude lists credential IDs already registered: a key holding one
	// refuses (ErrCredentialExcluded) after a touch.
	Exclude [][]byte
}

// Credential is what a key made: the attestation object's parts, as
// the key sent them.
type Credential struct {
	// Format is the attestation statement format ("packed", "fido-u2f",
	// "none").
	Format string
	// AuthData is the raw authenticator data (rpIdHash, flags, counter,
	// attested credential data).
	AuthData []byte
	// AttStmt is the CBOR attestation statement.
	AttStmt []byte
}

// AssertionRequest asks a key to sign a challenge with one of the
// credentials in Allow.
type AssertionRequest struct {
	ClientDataHash []byte
	RPID           string
	Allow          [][]byte
	// PIN is the key's PIN, or "" to ask without one (no user
	// verification).
	PIN string
}

// Assertion is a key's signature over AuthData and the client data hash.
type Assertion struct {
	// CredentialID says which credential signed.
	CredentialID []byte
	// AuthData is the raw authenticator data (rpIdHash, flags, counter).
	AuthData []byte
	// Signature is over AuthData || ClientDataHash.
	Signature []byte
}

// Errors, checked with errors.Is; every error from a key is an *Error
// that matches one of these (or none, for the rare ones).
var (
	// ErrUnavailable means security keys can't be reached: this build has
	// no libfido2 (stub.go), or libfido2 could not be loaded (the error
	// wrapping it says why).
	ErrUnavailable = errors.New("security keys are not available")
	// ErrNoDevice means no security key is plugged in.
	ErrNoDevice = errors.New("no security key found")
	// ErrPINInvalid means the PIN was wrong; Retries says how many tries
	// are left.
	ErrPINInvalid = errors.New("wrong PIN")
	// ErrPINBlocked means the PIN is blocked for good: the key must be
	// reset, which erases its credentials.
	ErrPINBlocked = errors.New("PIN blocked")
	// ErrPINAuthBlocked means three wrong PINs in a row: the key must be
	// unplugged and plugged in again before the next try.
	ErrPINAuthBlocked = errors.New("PIN entry blocked until the key is plugged in again")
	// ErrPINRequired means the key wants its PIN for this request.
	ErrPINRequired = errors.New("PIN required")
	// ErrPINNotSet means user verification was asked of a key without a PIN.
	ErrPINNotSet = errors.New("no PIN set on the key")
	// ErrPINPolicy means the PIN does not meet the key's rules (too short).
	ErrPINPolicy = errors.New("the PIN does not meet the key's rules")
	// ErrTimeout means the key waited for a touch that did not come.
	ErrTimeout = errors.New("the key was not touched in time")
	// ErrCancelled means the request was cancelled (Cancel).
	ErrCancelled = errors.New("cancelled")
	// ErrCredentialExcluded means the key already holds a credential in
	// the request's exclude list.
	ErrCredentialExcluded = errors.New("the key is already registered")
	// ErrNoCredentials means the key holds none of the allowed credentials.
	ErrNoCredentials = errors.New("the key holds none of the registered credentials")
	// ErrUnsupportedAlgorithm means the key can't make a key pair of the
	// asked algorithm.
	ErrUnsupportedAlgorithm = errors.New("the key does not support the algorithm")
	// ErrUnsupportedOption means the key can't do what was asked (a
	// resident key, user verification).
	ErrUnsupportedOption = errors.New("the key does not support an option asked for")
	// ErrDenied means the key refused (for example a key with a screen
	// where the person said no).
	ErrDenied = errors.New("the key refused the request")
	// ErrKeyStoreFull means the key has no room for another resident key.
	ErrKeyStoreFull = errors.New("the key has no room for another credential")
	// ErrDeviceGone means talking to the key failed: unplugged, or
	// answering garbage.
	ErrDeviceGone = errors.New("lost contact with the key")
	// ErrBadSignature means libfido2 refused a signature.
	ErrBadSignature = errors.New("the signature did not verify")
)

// Error is libfido2's answer to a call, with the sentinel it matches.
type Error struct {
	// Op is the libfido2 call, e.g. "fido_dev_make_cred".
	Op string
	// Code is libfido2's FIDO_ERR_* (CTAP2 status codes are positive).
	Code int
	// Retries is the PIN tries left, for ErrPINInvalid; -1 if unknown.
	Retries int
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: libfido2 error %d", e.Op, e.Code)
	if k := kindOf(e.Code); k != nil {
		msg += ": " + k.Error()
	}
	return msg
}

// Unwrap returns the sentinel the code matches.
func (e *Error) Unwrap() error { return kindOf(e.Code) }

// kindOf maps libfido2's FIDO_ERR_* codes to the sentinels.
func kindOf(code int) error {
	switch code {
	case 0x31:
		return ErrPINInvalid
	case 0x32:
		return ErrPINBlocked
	case 0x34:
		return ErrPINAuthBlocked
	case 0x36:
		return ErrPINRequired
	case 0x35:
		return ErrPINNotSet
	case 0x37:
		return ErrPINPolicy
	case 0x2f, 0x3a, 0x05:
		return ErrTimeout
	case 0x2d:
		return ErrCancelled
	case 0x19:
		return ErrCredentialExcluded
	case 0x2e:
		return ErrNoCredentials
	case 0x26:
		return ErrUnsupportedAlgorithm
	case 0x2b, 0x2c:
		return ErrUnsupportedOption
	case 0x27, 0x30:
		return ErrDenied
	case 0x28:
		return ErrKeyStoreFull
	case -1, -2, -3, -4:
		return ErrDeviceGone
	case -6:
		return ErrBadSignature
	case -10:
		return ErrNoDevice
	}
	return nil
}

// newError makes the error for libfido2's code r from op.
func newError(op string, r int) error {
	return &Error{Op: op, Code: r, Retries: -1}
}

// DefaultTimeout bounds each request to a key, touch included: a key
// gives up waiting for a touch after about 30 s by itself.
const DefaultTimeout = 60 * time.Second

package securitykey

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"

	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
)

// Authenticator data flags (WebAuthn §6.1).
const (
	flagUP = 0x01 // user present: the key was touched
	flagUV = 0x04 // user verified: the PIN (or a fingerprint)
	flagAT = 0x40 // attested credential data follows
	flagED = 0x80 // extensions follow
)

// maxCredentialID is the longest credential ID accepted (WebAuthn L2).
const maxCredentialID = 1023

// clientDataHash is the SHA-256 of the client data a ceremony signs:
// WebAuthn's clientDataJSON with the fresh challenge, the ceremony's type
// ("webauthn.create" or "webauthn.get"), so that a registration's
// signature can never pass for a sign-in's, and the relying party as
// origin.
func clientDataHash(typ string, challenge []byte, rpID string) []byte {
	cd, _ := json.Marshal(struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
		Origin    string `json:"origin"`
	}{typ, base64.RawURLEncoding.EncodeToString(challenge), "https://" + rpID})
	h := sha256.Sum256(cd)
	return h[:]
}

// authData is parsed authenticator data.
type authData struct {
	rpIDHash []byte
	flags    byte
	count    uint32
	// Attested credential data (registration only).
	aaguid []byte
	credID []byte
	cose   []byte // the credential public key as the key sent it
	pub    publicKey
}

// errAuthData is a malformed authenticator data.
var errAuthData = errors.New("malformed authenticator data")

// parseAuthData reads raw authenticator data; attested says it must
// carry a credential (registration).
func parseAuthData(b []byte, attested bool) (authData, error) {
	if len(b) < 37 {
		return authData{}, fmt.Errorf("%w: %d bytes", errAuthData, len(b))
	}
	ad := authData{rpIDHash: b[:32], flags: b[32], count: binary.BigEndian.Uint32(b[33:37])}
	rest := b[37:]
	if !attested {
		if ad.flags&flagAT != 0 {
			return authData{}, fmt.Errorf("%w: credential data in an assertion", errAuthData)
		}
		return ad, nil
	}
	if ad.flags&flagAT == 0 || len(rest) < 18 {
		return authData{}, fmt.Errorf("%w: no attested credential", errAuthData)
	}
	ad.aaguid = rest[:16]
	n := int(binary.BigEndian.Uint16(rest[16:18]))
	rest = rest[18:]
	if n == 0 || n > maxCredentialID || len(rest) < n {
		return authData{}, fmt.Errorf("%w: credential ID of %d bytes", errAuthData, n)
	}
	ad.credID, rest = rest[:n], rest[n:]
	var raw cbor.RawMessage
	after, err := cbor.UnmarshalFirst(rest, &raw)
	if err != nil {
		return authData{}, fmt.Errorf("%w: public key: %w", errAuthData, err)
	}
	ad.cose = rest[:len(rest)-len(after)]
	if ad.pub, err = parseCOSEKey(ad.cose); err != nil {
		return authData{}, err
	}
	if len(after) > 0 && ad.flags&flagED == 0 {
		return authData{}, fmt.Errorf("%w: %d bytes after the public key", errAuthData, len(after))
	}
	return ad, nil
}

// publicKey is a credential public key.
type publicKey struct {
	alg int
	key crypto.PublicKey
}

// errKey is a public key this app can't use.
var errKey = errors.New("unsupported or malformed credential public key")

// parseCOSEKey reads a COSE_Key: EC2 P-256 with ES256, or OKP Ed25519
// with EdDSA.
func parseCOSEKey(b []byte) (publicKey, error) {
	var k struct {
		Kty int    `cbor:"1,keyasint"`
		Alg int    `cbor:"3,keyasint"`
		Crv int    `cbor:"-1,keyasint"`
		X   []byte `cbor:"-2,keyasint"`
		Y   []byte `cbor:"-3,keyasint"`
	}
	if err := cbor.Unmarshal(b, &k); err != nil {
		return publicKey{}, fmt.Errorf("%w: %w", errKey, err)
	}
	switch {
	case k.Kty == 2 && k.Alg == fido2.ES256 && k.Crv == 1 && len(k.X) == 32 && len(k.Y) == 32:
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, k.X...), k.Y...))
		if err != nil {
			return publicKey{}, fmt.Errorf("%w: %w", errKey, err)
		}
		return publicKey{alg: fido2.ES256, key: pub}, nil
	case k.Kty == 1 && k.Alg == fido2.EdDSA && k.Crv == 6 && len(k.X) == ed25519.PublicKeySize:
		return publicKey{alg: fido2.EdDSA, key: ed25519.PublicKey(k.X)}, nil
	}
	return publicKey{}, fmt.Errorf("%w: kty %d, alg %d, crv %d", errKey, k.Kty, k.Alg, k.Crv)
}

// verify checks sig over msg.
func (p publicKey) verify(msg, sig []byte) bool {
	switch k := p.key.(type) {
	case *ecdsa.PublicKey:
		h := sha256.Sum256(msg)
		return ecdsa.VerifyASN1(k, h[:], sig)
	case ed25519.PublicKey:
		return ed25519.Verify(k, msg, sig)
	}
	return false
}

// attStmt is a packed or fido-u2f attestation statement.
type attStmt struct {
	Alg int      `cbor:"alg"`
	Sig []byte   `cbor:"sig"`
	X5C [][]byte `cbor:"x5c"`
}

// Attestation types, as verifyAttestation reports them.
const (
	attestationSelf  = "self"  // signed by the credential's own key
	attestationBasic = "basic" // signed by a certificate the key carries (its chain is not checked)
	attestationNone  = "none"  // no statement
)

// errAttestation is an attestation statement that does not verify.
var errAttestation = errors.New("the attestation does not verify")

// oidAAGUID is the FIDO extension holding the AAGUID in an attestation
// certificate (id-fido-gen-ce-aaguid).
var oidAAGUID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 45724, 1, 1, 4}

// verifyAttestation checks a credential's attestation statement
// (WebAuthn §8.2 packed, §8.6 fido-u2f, §8.7 none) over the raw
// authenticator data and the client data hash, and says which type it is.
func verifyAttestation(format string, stmtCBOR, raw []byte, ad authData, cdh []byte) (string, error) {
	signed := append(append([]byte(nil), raw...), cdh...)
	switch format {
	case "none":
		return attestationNone, nil
	case "packed", "fido-u2f":
	default:
		return "", fmt.Errorf("%w: format %q is not supported", errAttestation, format)
	}
	var st attStmt
	if err := cbor.Unmarshal(stmtCBOR, &st); err != nil {
		return "", fmt.Errorf("%w: statement: %w", errAttestation, err)
	}
	if format == "fido-u2f" {
		return verifyU2F(st, ad, cdh)
	}
	if len(st.X5C) == 0 {
		if st.Alg != ad.pub.alg {
			return "", fmt.Errorf("%w: self attestation with alg %d for a key of alg %d", errAttestation, st.Alg, ad.pub.alg)
		}
		if !ad.pub.verify(signed, st.Sig) {
			return "", fmt.Errorf("%w: self attestation signature", errAttestation)
		}
		return attestationSelf, nil
	}
	cert, err := x509.ParseCertificate(st.X5C[0])
	if err != nil {
		return "", fmt.Errorf("%w: certificate: %w", errAttestation, err)
	}
	if err := checkPackedCert(cert, ad.aaguid); err != nil {
		return "", err
	}
	var certKey publicKey
	switch k := cert.PublicKey.(type) {
	case *ecdsa.PublicKey:
		if st.Alg != fido2.ES256 || k.Curve != elliptic.P256() {
			return "", fmt.Errorf("%w: certificate key does not match alg %d", errAttestation, st.Alg)
		}
		certKey = publicKey{alg: fido2.ES256, key: k}
	case ed25519.PublicKey:
		if st.Alg != fido2.EdDSA {
			return "", fmt.Errorf("%w: certificate key does not match alg %d", errAttestation, st.Alg)
		}
		certKey = publicKey{alg: fido2.EdDSA, key: k}
	default:
		return "", fmt.Errorf("%w: certificate key type %T is not supported", errAttestation, cert.PublicKey)
	}
	if !certKey.verify(signed, st.Sig) {
		return "", fmt.Errorf("%w: attestation signature", errAttestation)
	}
	return attestationBasic, nil
}

// checkPackedCert checks a packed attestation certificate's requirements
// (WebAuthn §8.2.1): version 3, subject with C, O, OU "Authenticator
// Attestation" and CN, not a CA, and an AAGUID extension (if any) equal
// to the credential's.
func checkPackedCert(cert *x509.Certificate, aaguid []byte) error {
	s := cert.Subject
	switch {
	case cert.Version != 3:
		return fmt.Errorf("%w: certificate version %d", errAttestation, cert.Version)
	case len(s.Country) == 0 || len(s.Organization) == 0 || s.CommonName == "" ||
		len(s.OrganizationalUnit) != 1 || s.OrganizationalUnit[0] != "Authenticator Attestation":
		return fmt.Errorf("%w: certificate subject %q", errAttestation, s.String())
	case cert.IsCA:
		return fmt.Errorf("%w: certificate is a CA", errAttestation)
	}
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(oidAAGUID) {
			continue
		}
		var v []byte
		if _, err := asn1.Unmarshal(ext.Value, &v); err != nil || !bytes.Equal(v, aaguid) {
			return fmt.Errorf("%w: certificate AAGUID differs from the credential's", errAttestation)
		}
	}
	return nil
}

// verifyU2F checks a fido-u2f statement (a U2F key through CTAP1).
func verifyU2F(st attStmt, ad authData, cdh []byte) (string, error) {
	if len(st.X5C) != 1 {
		return "", fmt.Errorf("%w: fido-u2f needs exactly one certificate", errAttestation)
	}
	cert, err := x509.ParseCertificate(st.X5C[0])
	if err != nil {
		return "", fmt.Errorf("%w: certificate: %w", errAttestation, err)
	}
	ck, ok := cert.PublicKey.(*ecdsa.PublicKey)
	cred, ok2 := ad.pub.key.(*ecdsa.PublicKey)
	if !ok || !ok2 || ck.Curve != elliptic.P256() {
		return "", fmt.Errorf("%w: fido-u2f needs P-256 keys", errAttestation)
	}
	point, err := cred.Bytes()
	if err != nil {
		return "", fmt.Errorf("%w: %w", errAttestation, err)
	}
	var msg bytes.Buffer
	msg.WriteByte(0)
	msg.Write(ad.rpIDHash)
	msg.Write(cdh)
	msg.Write(ad.credID)
	msg.Write(point)
	if !(publicKey{alg: fido2.ES256, key: ck}).verify(msg.Bytes(), st.Sig) {
		return "", fmt.Errorf("%w: fido-u2f signature", errAttestation)
	}
	return attestationBasic, nil
}

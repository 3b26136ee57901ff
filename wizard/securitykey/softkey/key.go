// Package softkey is a software FIDO2 security key for tests and demos:
// the CTAP 2.0 commands a registration and a sign-in use (getInfo,
// makeCredential, getAssertion, clientPIN with PIN protocol 1), spoken
// over CTAPHID reports exactly as a USB key speaks them, so that libfido2
// can be pointed at it instead of a /dev/hidraw device (see the fido2
// package's fido2soft build). Tests can give it a PIN, make it wait for a
// touch that never comes, wind its signature counter back (a cloned key),
// give it another AAGUID or spoil its signatures.
//
// It keeps its keys in memory, in the clear: it is no security key for
// real use, and the app's release build never contains it.
package softkey

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"sync"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// COSE algorithm identifiers.
const (
	ES256 = -7
	EdDSA = -8
)

// CTAP2 commands and status codes the key uses.
const (
	cmdMakeCredential = 0x01
	cmdGetAssertion   = 0x02
	cmdGetInfo        = 0x04
	cmdClientPIN      = 0x06

	statusOK                  = 0x00
	statusInvalidCommand      = 0x01
	statusInvalidParameter    = 0x02
	statusInvalidCBOR         = 0x12
	statusMissingParameter    = 0x14
	statusCredentialExcluded  = 0x19
	statusUnsupportedAlg      = 0x26
	statusUnsupportedOption   = 0x2B
	statusKeepaliveCancel     = 0x2D
	statusNoCredentials       = 0x2E
	statusUserActionTimeout   = 0x2F
	statusPINInvalid          = 0x31
	statusPINBlocked          = 0x32
	statusPINAuthInvalid      = 0x33
	statusPINAuthBlocked      = 0x34
	statusPINNotSet           = 0x35
	statusPINRequired         = 0x36
	statusInvalidSubcommand   = 0x3E
	statusOther               = 0x7F
	maxPINRetries             = 8
	maxConsecutivePINFailures = 3
)

// Touch says how the key's "person" answers a request for presence.
type Touch int

const (
	// TouchAtOnce touches the key as soon as it asks.
	TouchAtOnce Touch = iota
	// TouchNever never touches it: the key gives up after TouchTimeout,
	// as a real key does after about 30 seconds.
	TouchNever
	// TouchOnRequest waits until Touch is called (or the host cancels, or
	// TouchTimeout passes).
	TouchOnRequest
)

// Key is one software security key. Its zero value is not usable: make
// one with New. It is safe for concurrent use.
type Key struct {
	mu          sync.Mutex
	aaguid      [16]byte
	algs        []int
	touch       Touch
	touchWait   time.Duration
	touched     chan struct{}
	pinHash     []byte // LEFT(SHA-256(PIN), 16); nil: no PIN set
	retries     int
	consecutive int
	agreement   *ecdh.PrivateKey
	pinToken    []byte
	counter     uint32
	creds       []*credential
	tamper      bool
	alwaysUV    bool              // every assertion needs the PIN (CTAP 2.1 alwaysUv)
	attKey      *ecdsa.PrivateKey // batch attestation key, with attCert
	attCert     []byte
	prompts     int
}

type credential struct {
	id       []byte
	rpIDHash []byte
	userID   []byte
	resident bool
	alg      int
	ec       *ecdsa.PrivateKey
	ed       ed25519.PrivateKey
}

// New makes a key with the given AAGUID, no PIN, ES256 only, self
// attestation, touched at once.
func New(aaguid [16]byte) *Key {
	return &Key{aaguid: aaguid, algs: []int{ES256}, retries: maxPINRetries, touchWait: 2 * time.Second,
		touched: make(chan struct{}, 1)}
}

// AAGUID returns the key's model identifier.
func (k *Key) AAGUID() [16]byte { return k.aaguid }

// SetAlgorithms sets the COSE algorithms the key offers, most preferred
// first (ES256, EdDSA).
func (k *Key) SetAlgorithms(algs ...int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.algs = append([]int(nil), algs...)
}

// SetPIN gives the key a PIN with the full number of tries.
func (k *Key) SetPIN(pin string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	h := sha256.Sum256([]byte(pin))
	k.pinHash = h[:16]
	k.retries, k.consecutive = maxPINRetries, 0
}

// SetAlwaysUV makes the key ask for its PIN for every assertion, as a
// key with CTAP 2.1's alwaysUv option does (it needs a PIN set).
func (k *Key) SetAlwaysUV(on bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.alwaysUV = on
}

// SetPINRetries sets how many PIN tries are left (0 blocks the PIN).
func (k *Key) SetPINRetries(n int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.retries = n
}

// PINRetries returns how many PIN tries are left.
func (k *Key) PINRetries() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.retries
}

// Replug is taking the key out and putting it back: the count of wrong
// PINs in a row, which blocks PIN entry after 3 until then, starts again.
func (k *Key) Replug() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.consecutive = 0
}

// SetTouch sets how presence is answered, and after how long an
// unanswered request gives up.
func (k *Key) SetTouch(t Touch, wait time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.touch, k.touchWait = t, wait
}

// Touch touches the key (for TouchOnRequest).
func (k *Key) Touch() {
	select {
	case k.touched <- struct{}{}:
	default:
	}
}

// Prompts counts the requests for presence so far (each blinks a real key).
func (k *Key) Prompts() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.prompts
}

// SetCounter sets the signature counter, as a clone made at that count
// would have it.
func (k *Key) SetCounter(n uint32) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.counter = n
}

// Counter returns the signature counter.
func (k *Key) Counter() uint32 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.counter
}

// SpoilSignatures makes every later signature wrong, an assertion's or
// an attestation's (one bit flipped), as a forged or damaged answer would
// be.
func (k *Key) SpoilSignatures(on bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.tamper = on
}

// UseBatchAttestation makes the key attest new credentials with key and
// its certificate (DER) instead of self attestation.
func (k *Key) UseBatchAttestation(key *ecdsa.PrivateKey, certDER []byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.attKey, k.attCert = key, append([]byte(nil), certDER...)
}

// Credentials returns how many credentials the key holds.
func (k *Key) Credentials() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.creds)
}

var enc, _ = cbor.CTAP2EncOptions().EncMode()

// Handle answers one CTAP2 request (command byte and CBOR parameters)
// with a status byte and CBOR. cancel is closed if the host cancels; the
// key then stops waiting for a touch. keepalive is called every 100 ms
// while it waits.
func (k *Key) Handle(req []byte, cancel <-chan struct{}, keepalive func()) []byte {
	if len(req) == 0 {
		return []byte{statusInvalidCommand}
	}
	var params map[int]cbor.RawMessage
	if len(req) > 1 {
		if err := cbor.Unmarshal(req[1:], &params); err != nil {
			return []byte{statusInvalidCBOR}
		}
	}
	var resp any
	var status byte
	switch req[0] {
	case cmdGetInfo:
		resp, status = k.getInfo()
	case cmdMakeCredential:
		resp, status = k.makeCredential(params, cancel, keepalive)
	case cmdGetAssertion:
		resp, status = k.getAssertion(params, cancel, keepalive)
	case cmdClientPIN:
		resp, status = k.clientPIN(params)
	default:
		return []byte{statusInvalidCommand}
	}
	if status != statusOK {
		return []byte{status}
	}
	if resp == nil {
		return []byte{statusOK}
	}
	b, err := enc.Marshal(resp)
	if err != nil {
		return []byte{statusOther}
	}
	return append([]byte{statusOK}, b...)
}

func (k *Key) getInfo() (any, byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var algs []map[string]any
	for _, a := range k.algs {
		algs = append(algs, map[string]any{"type": "public-key", "alg": a})
	}
	return map[int]any{
		1:  []string{"FIDO_2_0"},
		3:  k.aaguid[:],
		4:  map[string]bool{"rk": true, "up": true, "plat": false, "clientPin": k.pinHash != nil, "alwaysUv": k.alwaysUV},
		5:  1200,
		6:  []int{1},
		10: algs,
	}, statusOK
}

// waitTouch asks for presence.
func (k *Key) waitTouch(cancel <-chan struct{}, keepalive func()) byte {
	k.mu.Lock()
	k.prompts++
	mode, wait := k.touch, k.touchWait
	k.mu.Unlock()
	if mode == TouchAtOnce {
		return statusOK
	}
	deadline := time.After(wait)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-k.touched:
			if mode == TouchOnRequest {
				return statusOK
			}
		case <-cancel:
			return statusKeepaliveCancel
		case <-deadline:
			return statusUserActionTimeout
		case <-tick.C:
			if keepalive != nil {
				keepalive()
			}
		}
	}
}

type rpEntity struct {
	ID   string `cbor:"id"`
	Name string `cbor:"name,omitempty"`
}

type userEntity struct {
	ID          []byte `cbor:"id"`
	Name        string `cbor:"name,omitempty"`
	DisplayName string `cbor:"displayName,omitempty"`
}

type credParam struct {
	Type string `cbor:"type"`
	Alg  int    `cbor:"alg"`
}

type credDescriptor struct {
	Type string `cbor:"type"`
	ID   []byte `cbor:"id"`
}

func decode[T any](params map[int]cbor.RawMessage, key int, v *T) (bool, byte) {
	raw, ok := params[key]
	if !ok {
		return false, statusOK
	}
	if err := cbor.Unmarshal(raw, v); err != nil {
		return false, statusInvalidCBOR
	}
	return true, statusOK
}

// checkPINAuth checks a request's pinAuth over cdh: UV is then true.
// Without pinAuth, a key with a PIN refuses to make credentials (CTAP
// 2.0) and gives assertions without UV, unless it has alwaysUv.
func (k *Key) checkPINAuth(params map[int]cbor.RawMessage, authKey, protoKey int, cdh []byte, making bool) (uv bool, status byte) {
	var pinAuth []byte
	has, st := decode(params, authKey, &pinAuth)
	if st != statusOK {
		return false, st
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if !has {
		if (making || k.alwaysUV) && k.pinHash != nil {
			return false, statusPINRequired
		}
		return false, statusOK
	}
	var proto int
	if ok, st := decode(params, protoKey, &proto); st != statusOK || !ok {
		return false, statusMissingParameter
	}
	if proto != 1 {
		return false, statusInvalidParameter
	}
	if k.pinHash == nil {
		return false, statusPINNotSet
	}
	if k.pinToken == nil {
		return false, statusPINAuthInvalid
	}
	m := hmac.New(sha256.New, k.pinToken)
	m.Write(cdh)
	if !hmac.Equal(m.Sum(nil)[:16], pinAuth) {
		return false, statusPINAuthInvalid
	}
	return true, statusOK
}

func (k *Key) makeCredential(params map[int]cbor.RawMessage, cancel <-chan struct{}, keepalive func()) (any, byte) {
	var cdh []byte
	var rp rpEntity
	var user userEntity
	var algs []credParam
	ok1, st1 := decode(params, 1, &cdh)
	ok2, st2 := decode(params, 2, &rp)
	ok3, st3 := decode(params, 3, &user)
	ok4, st4 := decode(params, 4, &algs)
	for _, st := range []byte{st1, st2, st3, st4} {
		if st != statusOK {
			return nil, st
		}
	}
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return nil, statusMissingParameter
	}
	var exclude []credDescriptor
	if _, st := decode(params, 5, &exclude); st != statusOK {
		return nil, st
	}
	var opts map[string]bool
	if _, st := decode(params, 7, &opts); st != statusOK {
		return nil, st
	}
	if opts["uv"] {
		return nil, statusUnsupportedOption // no built-in user verification
	}
	rpHash := sha256.Sum256([]byte(rp.ID))
	k.mu.Lock()
	alg := 0
	for _, want := range algs {
		for _, have := range k.algs {
			if want.Type == "public-key" && want.Alg == have && alg == 0 {
				alg = have
			}
		}
	}
	excluded := false
	for _, d := range exclude {
		for _, c := range k.creds {
			if subtle.ConstantTimeCompare(c.id, d.ID) == 1 && subtle.ConstantTimeCompare(c.rpIDHash, rpHash[:]) == 1 {
				excluded = true
			}
		}
	}
	k.mu.Unlock()
	uv, st := k.checkPINAuth(params, 8, 9, cdh, true)
	if st != statusOK {
		return nil, st
	}
	if excluded {
		if st := k.waitTouch(cancel, keepalive); st != statusOK {
			return nil, st
		}
		return nil, statusCredentialExcluded
	}
	if alg == 0 {
		return nil, statusUnsupportedAlg
	}
	if st := k.waitTouch(cancel, keepalive); st != statusOK {
		return nil, st
	}
	c := &credential{rpIDHash: rpHash[:], userID: user.ID, resident: opts["rk"], alg: alg, id: make([]byte, 48)}
	rand.Read(c.id)
	var cose []byte
	var err error
	if alg == EdDSA {
		var pub ed25519.PublicKey
		pub, c.ed, _ = ed25519.GenerateKey(rand.Reader)
		cose, err = enc.Marshal(map[int]any{1: 1, 3: EdDSA, -1: 6, -2: []byte(pub)})
	} else {
		c.ec, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		cose, err = coseEC2(&c.ec.PublicKey, ES256)
	}
	if err != nil {
		return nil, statusOther
	}
	k.mu.Lock()
	k.counter++
	counter := k.counter
	k.creds = append(k.creds, c)
	attKey, attCert := k.attKey, k.attCert
	aaguid, tamper := k.aaguid, k.tamper
	k.mu.Unlock()

	flags := byte(0x01 | 0x40) // UP, AT
	if uv {
		flags |= 0x04
	}
	var ad bytes.Buffer
	ad.Write(rpHash[:])
	ad.WriteByte(flags)
	binary.Write(&ad, binary.BigEndian, counter)
	ad.Write(aaguid[:])
	binary.Write(&ad, binary.BigEndian, uint16(len(c.id)))
	ad.Write(c.id)
	ad.Write(cose)
	authData := ad.Bytes()
	signed := append(append([]byte(nil), authData...), cdh...)
	stmt := map[string]any{}
	if attKey != nil {
		sig, err := signES256(attKey, signed)
		if err != nil {
			return nil, statusOther
		}
		stmt = map[string]any{"alg": ES256, "sig": sig, "x5c": [][]byte{attCert}}
	} else {
		sig, err := c.sign(signed)
		if err != nil {
			return nil, statusOther
		}
		stmt = map[string]any{"alg": alg, "sig": sig}
	}
	if tamper {
		sig := stmt["sig"].([]byte)
		sig[len(sig)-1] ^= 0x01
	}
	return map[int]any{1: "packed", 2: authData, 3: stmt}, statusOK
}

func coseEC2(pub *ecdsa.PublicKey, alg int) ([]byte, error) {
	e, err := pub.ECDH()
	if err != nil {
		return nil, err
	}
	b := e.Bytes() // 0x04 || x || y
	return enc.Marshal(map[int]any{1: 2, 3: alg, -1: 1, -2: b[1:33], -3: b[33:65]})
}

func signES256(key *ecdsa.PrivateKey, msg []byte) ([]byte, error) {
	h := sha256.Sum256(msg)
	return ecdsa.SignASN1(rand.Reader, key, h[:])
}

func (c *credential) sign(msg []byte) ([]byte, error) {
	if c.alg == EdDSA {
		return c.ed.Sign(rand.Reader, msg, crypto.Hash(0))
	}
	return signES256(c.ec, msg)
}

func (k *Key) getAssertion(params map[int]cbor.RawMessage, cancel <-chan struct{}, keepalive func()) (any, byte) {
	var rpID string
	var cdh []byte
	if ok, st := decode(params, 1, &rpID); st != statusOK || !ok {
		return nil, statusMissingParameter
	}
	if ok, st := decode(params, 2, &cdh); st != statusOK || !ok {
		return nil, statusMissingParameter
	}
	var allow []credDescriptor
	if _, st := decode(params, 3, &allow); st != statusOK {
		return nil, st
	}
	opts := map[string]bool{"up": true}
	if _, st := decode(params, 5, &opts); st != statusOK {
		return nil, st
	}
	if opts["uv"] {
		return nil, statusUnsupportedOption
	}
	rpHash := sha256.Sum256([]byte(rpID))
	k.mu.Lock()
	var found *credential
	for _, c := range k.creds {
		if subtle.ConstantTimeCompare(c.rpIDHash, rpHash[:]) != 1 {
			continue
		}
		if len(allow) == 0 && c.resident {
			found = c
			break
		}
		for _, d := range allow {
			if bytes.Equal(d.ID, c.id) {
				found = c
			}
		}
		if found != nil {
			break
		}
	}
	k.mu.Unlock()
	uv, st := k.checkPINAuth(params, 6, 7, cdh, false)
	if st != statusOK {
		return nil, st
	}
	if found == nil {
		return nil, statusNoCredentials
	}
	flags := byte(0)
	if up, ok := opts["up"]; !ok || up {
		if st := k.waitTouch(cancel, keepalive); st != statusOK {
			return nil, st
		}
		flags |= 0x01
	}
	if uv {
		flags |= 0x04
	}
	k.mu.Lock()
	k.counter++
	counter := k.counter
	tamper := k.tamper
	k.mu.Unlock()
	var ad bytes.Buffer
	ad.Write(rpHash[:])
	ad.WriteByte(flags)
	binary.Write(&ad, binary.BigEndian, counter)
	authData := ad.Bytes()
	sig, err := found.sign(append(append([]byte(nil), authData...), cdh...))
	if err != nil {
		return nil, statusOther
	}
	if tamper {
		sig[len(sig)-1] ^= 0x01
	}
	resp := map[int]any{1: credDescriptor{Type: "public-key", ID: found.id}, 2: authData, 3: sig}
	if found.resident {
		resp[4] = map[string]any{"id": found.userID}
	}
	return resp, statusOK
}

// coseKey is a COSE_Key as clientPIN sends it.
type coseKey struct {
	Kty int    `cbor:"1,keyasint"`
	Alg int    `cbor:"3,keyasint"`
	Crv int    `cbor:"-1,keyasint"`
	X   []byte `cbor:"-2,keyasint"`
	Y   []byte `cbor:"-3,keyasint"`
}

func (k *Key) clientPIN(params map[int]cbor.RawMessage) (any, byte) {
	var proto, sub int
	if ok, st := decode(params, 1, &proto); st != statusOK || !ok {
		return nil, statusMissingParameter
	}
	if ok, st := decode(params, 2, &sub); st != statusOK || !ok {
		return nil, statusMissingParameter
	}
	if proto != 1 {
		return nil, statusInvalidParameter
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	switch sub {
	case 1: // getRetries
		return map[int]any{3: k.retries}, statusOK
	case 2: // getKeyAgreement
		if k.agreement == nil {
			k.agreement, _ = ecdh.P256().GenerateKey(rand.Reader)
		}
		b := k.agreement.PublicKey().Bytes()
		return map[int]any{1: map[int]any{1: 2, 3: -25, -1: 1, -2: b[1:33], -3: b[33:65]}}, statusOK
	case 5: // getPINToken
		return k.getPINToken(params)
	}
	return nil, statusInvalidSubcommand
}

// getPINToken checks pinHashEnc; k.mu is held.
func (k *Key) getPINToken(params map[int]cbor.RawMessage) (any, byte) {
	var platform coseKey
	var pinHashEnc []byte
	if ok, st := decode(params, 3, &platform); st != statusOK || !ok {
		return nil, statusMissingParameter
	}
	if ok, st := decode(params, 6, &pinHashEnc); st != statusOK || !ok {
		return nil, statusMissingParameter
	}
	if k.pinHash == nil {
		return nil, statusPINNotSet
	}
	if k.retries <= 0 {
		return nil, statusPINBlocked
	}
	if k.consecutive >= maxConsecutivePINFailures {
		return nil, statusPINAuthBlocked
	}
	if k.agreement == nil {
		return nil, statusPINAuthInvalid
	}
	pub, err := ecdh.P256().NewPublicKey(append(append([]byte{4}, platform.X...), platform.Y...))
	if err != nil {
		return nil, statusInvalidParameter
	}
	z, err := k.agreement.ECDH(pub)
	if err != nil {
		return nil, statusInvalidParameter
	}
	shared := sha256.Sum256(z)
	k.retries--
	got, err := cbcCrypt(shared[:], pinHashEnc, false)
	if err != nil || !hmac.Equal(got, k.pinHash) {
		k.agreement, _ = ecdh.P256().GenerateKey(rand.Reader)
		k.consecutive++
		switch {
		case k.retries <= 0:
			return nil, statusPINBlocked
		case k.consecutive >= maxConsecutivePINFailures:
			return nil, statusPINAuthBlocked
		}
		return nil, statusPINInvalid
	}
	k.retries, k.consecutive = maxPINRetries, 0
	k.pinToken = make([]byte, 32)
	rand.Read(k.pinToken)
	tokenEnc, err := cbcCrypt(shared[:], k.pinToken, true)
	if err != nil {
		return nil, statusOther
	}
	return map[int]any{2: tokenEnc}, statusOK
}

// cbcCrypt is PIN protocol 1's AES-256-CBC with a zero IV.
func cbcCrypt(key, data []byte, encrypt bool) ([]byte, error) {
	if len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, errors.New("softkey: data is not whole AES blocks")
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	iv := make([]byte, aes.BlockSize)
	if encrypt {
		cipher.NewCBCEncrypter(b, iv).CryptBlocks(out, data)
	} else {
		cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, data)
	}
	return out, nil
}

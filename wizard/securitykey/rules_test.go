package securitykey

import (
	"errors"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
	"github.com/securityinfo/securityinfo/wizard/words"
)

func TestMessage_PeopleWordsApartFromTheChain(t *testing.T) {
	cause := &fido2.Error{Op: "fido_dev_make_cred", Code: 0x31, Retries: 1}
	err := problem(cause)
	if !errors.Is(err, ErrWrongPIN) || err.Left != 1 {
		t.Fatalf("problem(wrong PIN) = %+v", err)
	}
	if got := Message(err); got != "that PIN isn't right: 1 try left before the key's PIN is blocked" {
		t.Errorf("Message = %q", got)
	}
	if !strings.Contains(err.Error(), "fido_dev_make_cred") || strings.Contains(Message(err), "fido") {
		t.Errorf("chain %q / message %q: the chain says what happened, the message does not", err.Error(), Message(err))
	}
	if got := problem(&fido2.Error{Code: 0x31, Retries: 0}); !errors.Is(got, ErrPINBlocked) {
		t.Errorf("wrong PIN with no tries left = %v, want ErrPINBlocked", got)
	}
	for code, want := range map[int]error{0x2f: ErrTimeout, 0x32: ErrPINBlocked, 0x34: ErrPINAuthBlocked, 0x19: ErrAlreadyRegistered,
		0x2e: ErrNotRegistered, -10: ErrNoKey, -2: ErrKeyLost, 0x2d: ErrCancelled, 0x26: ErrUnsupportedKey} {
		if got := problem(&fido2.Error{Code: code, Retries: -1}); !errors.Is(got.Problem, want) {
			t.Errorf("code %#x: %v, want %v", code, got.Problem, want)
		}
	}
}

func TestPolicy_AllowsListedModels(t *testing.T) {
	aaguid := []byte{0xcb, 0x69, 0x48, 0x1e, 0x8f, 0xf7, 0x40, 0x39, 0x93, 0xec, 0x0a, 0x27, 0x29, 0xa1, 0x54, 0xa8}
	if FormatAAGUID(aaguid) != "cb69481e-8ff7-4039-93ec-0a2729a154a8" {
		t.Errorf("FormatAAGUID = %s", FormatAAGUID(aaguid))
	}
	if !(Policy{}).allows(aaguid) || !(Policy{AAGUIDs: []string{"CB69481E-8FF7-4039-93EC-0A2729A154A8"}}).allows(aaguid) ||
		(Policy{AAGUIDs: []string{"ee882879-721c-4913-9775-3dfcce97072a"}}).allows(aaguid) {
		t.Error("allows")
	}
	if (Policy{}).rpID() != DefaultRPID || (Policy{RPID: "contoso.example"}).rpID() != "contoso.example" {
		t.Error("rpID")
	}
}

func TestParse_RefusesMalformedData(t *testing.T) {
	if _, err := parseAuthData(make([]byte, 36), false); !errors.Is(err, errAuthData) {
		t.Errorf("short authenticator data: %v", err)
	}
	ad := make([]byte, 37)
	ad[32] = flagUP | flagAT
	if _, err := parseAuthData(ad, false); !errors.Is(err, errAuthData) {
		t.Errorf("credential data in an assertion: %v", err)
	}
	if _, err := parseAuthData(ad, true); !errors.Is(err, errAuthData) {
		t.Errorf("registration without a credential: %v", err)
	}
	rsa, _ := cbor.Marshal(map[int]any{1: 3, 3: -257, -1: []byte{1}, -2: []byte{1, 0, 1}})
	if _, err := parseCOSEKey(rsa); !errors.Is(err, errKey) {
		t.Errorf("RS256 key: %v, want errKey", err)
	}
	offCurve, _ := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: make([]byte, 32), -3: make([]byte, 32)})
	if _, err := parseCOSEKey(offCurve); !errors.Is(err, errKey) {
		t.Errorf("a point off the curve: %v, want errKey", err)
	}
	if _, err := verifyAttestation("tpm", nil, nil, authData{}, nil); !errors.Is(err, errAttestation) {
		t.Errorf("tpm attestation: %v, want refused", err)
	}
}

// Every problem a person can meet has words of its own, which the UI
// translates by key; a wrong PIN counts the tries left in the right
// plural.
func TestError_WordsForPeople(t *testing.T) {
	for _, e := range []error{ErrNoKey, ErrTimeout, ErrWrongPIN, ErrPINBlocked, ErrPINAuthBlocked, ErrPINNotSet, ErrPINNeeded,
		ErrPINTooShort, ErrAlreadyRegistered, ErrNotAllowed, ErrNotVerified, ErrUnsupportedKey, ErrKeyLost, ErrCancelled,
		ErrTooManyKeys, ErrKeyProblem, ErrUnavailable, ErrNoKeys, ErrNotRegistered, ErrClonedKey, ErrBadSignature,
		ErrNameEmpty, ErrNameTooLong, ErrNameChars, ErrNameTaken} {
		w, ok := words.Of(e)
		if !ok || !strings.HasSuffix(w, ".") || w[:1] != strings.ToUpper(w[:1]) {
			t.Errorf("%q: words %q, %v", e.Error(), w, ok)
		}
		if got, _ := words.Of(&Error{Problem: e, Left: -1, Err: errors.New("underneath")}); got != w {
			t.Errorf("%q as a problem says %q, not %q", e.Error(), got, w)
		}
	}
	for left, want := range map[int]string{
		-1: "That PIN isn't right. Check it and try again.",
		1:  "That PIN isn't right. Check it and try again (1 try left before the key's PIN is blocked).",
		3:  "That PIN isn't right. Check it and try again (3 tries left before the key's PIN is blocked).",
	} {
		if got := (&Error{Problem: ErrWrongPIN, Left: left}).Words(); got != want {
			t.Errorf("wrong PIN, %d left: %q, want %q", left, got, want)
		}
	}
}

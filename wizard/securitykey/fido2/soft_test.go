//go:build cgo && !nofido2 && fido2soft

package fido2_test

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
	"github.com/securityinfo/securityinfo/wizard/securitykey/softkey"
)

var testAAGUID = [16]byte{0x5e, 0xc0, 0x7d, 0x3a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}

func openSoft(t *testing.T, k *softkey.Key) *fido2.Device {
	t.Helper()
	d, err := fido2.OpenTransport(k.HID())
	if err != nil {
		t.Fatalf("OpenTransport: %v", err)
	}
	d.SetTimeout(10 * time.Second)
	t.Cleanup(func() { d.Close() })
	return d
}

func cdh(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

func makeCred(d *fido2.Device, pin string, exclude ...[]byte) (*fido2.Credential, error) {
	return d.MakeCredential(fido2.CredentialRequest{ClientDataHash: cdh("reg"), RPID: "contoso.example", RPName: "Contoso",
		UserID: []byte("user-1"), UserName: "alice", DisplayName: "Alice", Algorithm: fido2.ES256, PIN: pin, Exclude: exclude})
}

// credID reads the credential ID out of raw authenticator data.
func credID(t *testing.T, ad []byte) []byte {
	t.Helper()
	if len(ad) < 55 {
		t.Fatalf("authenticator data too short: %d", len(ad))
	}
	n := int(ad[53])<<8 | int(ad[54])
	return ad[55 : 55+n]
}

func TestSoftKey_RegisterAndAssertThroughLibfido2(t *testing.T) {
	k := softkey.New(testAAGUID)
	d := openSoft(t, k)
	info, err := d.Info()
	if err != nil {
		t.Fatal(err)
	}
	if !info.FIDO2 || info.HasPIN() || !info.SupportsPIN() || string(info.AAGUID) != string(testAAGUID[:]) || !info.Offers(fido2.ES256) {
		t.Fatalf("Info = %+v", info)
	}
	c, err := makeCred(d, "")
	if err != nil {
		t.Fatalf("MakeCredential: %v", err)
	}
	if c.Format != "packed" || len(c.AttStmt) == 0 {
		t.Fatalf("credential = %+v", c)
	}
	if err := fido2.VerifyAttestation(c, cdh("reg"), "contoso.example", fido2.ES256); err != nil {
		t.Errorf("libfido2 refused the self attestation: %v", err)
	}
	if err := fido2.VerifyAttestation(c, cdh("other"), "contoso.example", fido2.ES256); err == nil {
		t.Error("libfido2 accepted the attestation over another challenge")
	}
	id := credID(t, c.AuthData)
	a, err := d.GetAssertion(fido2.AssertionRequest{ClientDataHash: cdh("sign"), RPID: "contoso.example", Allow: [][]byte{id}})
	if err != nil {
		t.Fatalf("GetAssertion: %v", err)
	}
	if string(a.CredentialID) != string(id) || len(a.AuthData) != 37 || len(a.Signature) == 0 {
		t.Fatalf("assertion = %+v", a)
	}
	if _, err := makeCred(d, "", id); !errors.Is(err, fido2.ErrCredentialExcluded) {
		t.Errorf("MakeCredential with its own credential excluded = %v, want ErrCredentialExcluded", err)
	}
	_, err = d.GetAssertion(fido2.AssertionRequest{ClientDataHash: cdh("sign"), RPID: "contoso.example", Allow: [][]byte{[]byte("not-this-one")}})
	if !errors.Is(err, fido2.ErrNoCredentials) {
		t.Errorf("GetAssertion of an unknown credential = %v, want ErrNoCredentials", err)
	}
}

func TestSoftKey_PINThroughLibfido2(t *testing.T) {
	k := softkey.New(testAAGUID)
	k.SetPIN("123456")
	d := openSoft(t, k)
	if info, _ := d.Info(); !info.HasPIN() {
		t.Fatal("key with a PIN says it has none")
	}
	if _, err := makeCred(d, ""); !errors.Is(err, fido2.ErrPINRequired) {
		t.Errorf("no PIN: %v, want ErrPINRequired", err)
	}
	_, err := makeCred(d, "654321")
	var fe *fido2.Error
	if !errors.Is(err, fido2.ErrPINInvalid) || !errors.As(err, &fe) || fe.Retries != 7 {
		t.Fatalf("wrong PIN: %v (%+v), want ErrPINInvalid with 7 tries left", err, fe)
	}
	c, err := makeCred(d, "123456")
	if err != nil {
		t.Fatalf("right PIN: %v", err)
	}
	if c.AuthData[32]&0x04 == 0 {
		t.Error("UV flag not set after the PIN")
	}
	if n, _ := d.Retries(); n != 8 {
		t.Errorf("retries after the right PIN = %d, want 8", n)
	}
	for i := 0; i < 2; i++ {
		makeCred(d, "000000")
	}
	if _, err := makeCred(d, "000000"); !errors.Is(err, fido2.ErrPINAuthBlocked) {
		t.Errorf("third wrong PIN in a row: %v, want ErrPINAuthBlocked", err)
	}
	k.Replug()
	k.SetPINRetries(1)
	if _, err := makeCred(d, "000000"); !errors.Is(err, fido2.ErrPINBlocked) {
		t.Errorf("last try wrong: %v, want ErrPINBlocked", err)
	}
	if _, err := makeCred(d, "123456"); !errors.Is(err, fido2.ErrPINBlocked) {
		t.Errorf("right PIN once blocked: %v, want ErrPINBlocked", err)
	}
}

func TestSoftKey_TouchTimeoutAndCancel(t *testing.T) {
	k := softkey.New(testAAGUID)
	k.SetTouch(softkey.TouchNever, 300*time.Millisecond)
	d := openSoft(t, k)
	if _, err := makeCred(d, ""); !errors.Is(err, fido2.ErrTimeout) {
		t.Errorf("no touch: %v, want ErrTimeout", err)
	}
	k.SetTouch(softkey.TouchOnRequest, 10*time.Second)
	done := make(chan error)
	go func() { _, err := makeCred(d, ""); done <- err }()
	for k.Prompts() < 2 {
		time.Sleep(10 * time.Millisecond)
	}
	if err := d.Cancel(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, fido2.ErrCancelled) {
		t.Errorf("cancelled: %v, want ErrCancelled", err)
	}
}

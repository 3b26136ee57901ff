package securitykey_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
)

// handleKey is a FIDO2 key with resident-key support and no PIN that
// records the user handle of each credential asked for and then says
// the person stopped waiting (as "Stop waiting" does).
type handleKey struct{ handles *[][]byte }

func (k handleKey) Info() (fido2.Info, error) {
	return fido2.Info{Versions: []string{"FIDO_2_0"}, FIDO2: true, Options: map[string]bool{"rk": true, "up": true},
		Algorithms: []int{fido2.ES256}, AAGUID: make([]byte, 16)}, nil
}
func (k handleKey) Retries() (int, error) { return 8, nil }
func (k handleKey) MakeCredential(req fido2.CredentialRequest) (*fido2.Credential, error) {
	*k.handles = append(*k.handles, bytes.Clone(req.UserID))
	return nil, fido2.ErrCancelled
}
func (k handleKey) GetAssertion(fido2.AssertionRequest) (*fido2.Assertion, error) {
	return nil, errors.New("not used")
}
func (k handleKey) Cancel() error { return nil }
func (k handleKey) Close() error  { return nil }

// With resident_key = true every registration makes a discoverable
// credential that the key keeps under (rp ID, user handle). The user
// handle is drawn afresh for every attempt (and then thrown away), so
// each attempt that is abandoned after the touch, retried, or given up
// leaves another credential on the key that nothing refers to, filling
// its few slots (WebAuthn L2 §6.1: one discoverable credential per
// (rpId, userHandle); the user handle identifies the account). Two
// registrations for one account must name the same user.
func TestReview5_ResidentKeyUserHandleStablePerAccount(t *testing.T) {
	var handles [][]byte
	dir := memory.New()
	if err := dir.CreateAccount(info.Account{Name: "alice@contoso.example"}); err != nil {
		t.Fatal(err)
	}
	cfg := securitykey.Config{Policy: securitykey.Policy{RPID: "contoso.example", ResidentKey: true},
		Open: func() (securitykey.Authenticator, error) { return handleKey{&handles}, nil }}
	now := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	for i := 0; i < 2; i++ {
		s, err := securitykey.NewSetup(method.Context{Account: "alice@contoso.example", Organisation: "Contoso", Dir: dir, Now: now, Rand: rand.Reader}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Detect(); err != nil {
			t.Fatal(err)
		}
		if s.Screen() != securitykey.ScreenTouch {
			t.Fatalf("screen %s", s.Screen())
		}
		if err := s.Register(""); !errors.Is(err, securitykey.ErrCancelled) {
			t.Fatalf("register: %v", err)
		}
		s.Abort()
	}
	if len(handles) != 2 {
		t.Fatalf("%d requests", len(handles))
	}
	if !bytes.Equal(handles[0], handles[1]) {
		t.Errorf("two registrations for one account used different user handles (%x, %x): each leaves its own resident credential on the key", handles[0], handles[1])
	}
}

package securitykey_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
)

// handleRecorder is a FIDO2 key with resident-key support and no PIN that
// records the user handle of each credential asked for and then says the
// person stopped waiting (as "Stop waiting" does).
type handleRecorder struct{ handles *[][]byte }

func (k handleRecorder) Info() (fido2.Info, error) {
	return fido2.Info{Versions: []string{"FIDO_2_0"}, FIDO2: true, Options: map[string]bool{"rk": true, "up": true},
		Algorithms: []int{fido2.ES256}, AAGUID: make([]byte, 16)}, nil
}
func (k handleRecorder) Retries() (int, error) { return 8, nil }
func (k handleRecorder) MakeCredential(req fido2.CredentialRequest) (*fido2.Credential, error) {
	*k.handles = append(*k.handles, bytes.Clone(req.UserID))
	return nil, fido2.ErrCancelled
}
func (k handleRecorder) GetAssertion(fido2.AssertionRequest) (*fido2.Assertion, error) {
	return nil, errors.New("not used")
}
func (k handleRecorder) Cancel() error { return nil }
func (k handleRecorder) Close() error  { return nil }

// handleStation is one station: its store (with the accounts in it) and
// the user handles its registrations asked the key for.
type handleStation struct {
	dir     *memory.Store
	cfg     securitykey.Config
	handles [][]byte
}

func newHandleStation(t *testing.T, fleetKey []byte, accounts ...string) *handleStation {
	t.Helper()
	st := &handleStation{dir: memory.New()}
	for _, a := range accounts {
		if err := st.dir.CreateAccount(info.Account{Name: a}); err != nil {
			t.Fatal(err)
		}
	}
	st.cfg = securitykey.Config{Policy: securitykey.Policy{RPID: "contoso.example", ResidentKey: true},
		Open: func() (securitykey.Authenticator, error) { return handleRecorder{&st.handles}, nil }}
	if fleetKey != nil {
		st.cfg.HandleKey = func() ([]byte, error) { return fleetKey, nil }
	}
	return st
}

// register starts a registration for account, has the key asked tries
// times (each given up with Stop waiting) and abandons it.
func (st *handleStation) register(t *testing.T, account string, tries int) {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	s, err := securitykey.NewSetup(method.Context{Account: account, Organisation: "Contoso", Dir: st.dir, Now: now, Rand: rand.Reader}, st.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Detect(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < tries; i++ {
		if err := s.Register(""); !errors.Is(err, securitykey.ErrCancelled) {
			t.Fatalf("register: %v", err)
		}
	}
	s.Abort()
}

// With resident_key = true every registration makes a discoverable
// credential that the key keeps under (rp ID, user handle); a new one
// under the same pair replaces the old. Two registrations for one account
// (an abandoned one, then a retry) must name the same user, or each
// leaves its own credential on the key, filling its few slots.
func TestSetup_ResidentKeyUserHandleStablePerAccount(t *testing.T) {
	st := newHandleStation(t, nil, "alice@contoso.example")
	st.register(t, "alice@contoso.example", 1)
	st.register(t, "Alice@Contoso.example ", 2) // as typed another time
	if len(st.handles) != 3 {
		t.Fatalf("%d requests", len(st.handles))
	}
	for _, h := range st.handles[1:] {
		if !bytes.Equal(h, st.handles[0]) {
			t.Errorf("registrations for one account used different user handles (%x, %x): each leaves its own resident credential on the key", st.handles[0], h)
		}
	}
}

// The handle is no personal data: not the account name, not a hash of
// it anyone can compute, not the same for two people, and not the same
// at two stations that share no key.
func TestSetup_UserHandleTellsNothingOfTheAccount(t *testing.T) {
	const alice, bob = "alice@contoso.example", "bob@contoso.example"
	st := newHandleStation(t, nil, alice, bob)
	st.register(t, alice, 1)
	st.register(t, bob, 1)
	a, b := st.handles[0], st.handles[1]
	if bytes.Equal(a, b) {
		t.Errorf("two accounts share the user handle %x", a)
	}
	plain := sha256.Sum256([]byte(alice))
	if bytes.Contains(a, []byte("alice")) || bytes.Equal(a, plain[:]) {
		t.Errorf("the user handle %x is the account name or its plain hash", a)
	}
	if len(a) < 16 || len(a) > 64 {
		t.Errorf("user handle of %d bytes (WebAuthn: at most 64; 16 or more to be unguessable)", len(a))
	}
	other := newHandleStation(t, nil, alice)
	other.register(t, alice, 1)
	if bytes.Equal(other.handles[0], a) {
		t.Errorf("two stations with keys of their own derived one handle: it depends on the account alone")
	}
}

// Stations of one fleet share the directory's key (Config.HandleKey): the
// person gets one handle at every desk, so a retry at another desk
// replaces what an abandoned attempt left on the key.
func TestSetup_UserHandleSameAtEveryStationOfAFleet(t *testing.T) {
	fleet := bytes.Repeat([]byte{7}, 32)
	desk1 := newHandleStation(t, fleet, "alice@contoso.example")
	desk2 := newHandleStation(t, fleet, "alice@contoso.example")
	desk1.register(t, "alice@contoso.example", 1)
	desk2.register(t, "alice@contoso.example", 1)
	if !bytes.Equal(desk1.handles[0], desk2.handles[0]) {
		t.Errorf("one person at two desks of a fleet: handles %x and %x", desk1.handles[0], desk2.handles[0])
	}
	if want := securitykey.UserHandle(fleet, "contoso.example", "alice@contoso.example"); !bytes.Equal(desk1.handles[0], want) {
		t.Errorf("handle %x, not the one derived from the fleet's key %x", desk1.handles[0], want)
	}
}

// A station whose keyring can't be read still registers keys: its
// handle is then drawn for the one registration, and the retries within
// it still share it.
func TestSetup_UserHandleWithoutKeyring(t *testing.T) {
	st := newHandleStation(t, nil, "alice@contoso.example")
	st.dir.FailSecrets(info.ErrKeyringUnavailable)
	st.register(t, "alice@contoso.example", 2)
	if len(st.handles) != 2 || !bytes.Equal(st.handles[0], st.handles[1]) {
		t.Errorf("retries of one registration without a keyring: handles %x", st.handles)
	}
}

package wizard_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
)

// usbPort is where a test plugs a security key in: none, or one that
// holds no credential of this station's accounts (someone else's key).
type usbPort struct {
	mu      sync.Mutex
	plugged bool
	asked   int // assertions the key was asked for
}

func (u *usbPort) plug(in bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.plugged = in
}

func (u *usbPort) asks() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.asked
}

func (u *usbPort) open() (securitykey.Authenticator, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if !u.plugged {
		return nil, fmt.Errorf("open: %w", fido2.ErrNoDevice)
	}
	return otherKey{u}, nil
}

// otherKey is a key that holds none of the credentials asked for.
type otherKey struct{ port *usbPort }

func (otherKey) Info() (fido2.Info, error) { return fido2.Info{}, nil }
func (otherKey) Retries() (int, error)     { return 8, nil }
func (otherKey) MakeCredential(fido2.CredentialRequest) (*fido2.Credential, error) {
	return nil, fido2.ErrDenied
}
func (k otherKey) GetAssertion(fido2.AssertionRequest) (*fido2.Assertion, error) {
	k.port.mu.Lock()
	defer k.port.mu.Unlock()
	k.port.asked++
	return nil, fido2.ErrNoCredentials
}
func (otherKey) Cancel() error { return nil }
func (otherKey) Close() error  { return nil }

// "Use my security key" at a reset reads, counts and asks the key the same
// for alice (a key registered), bob (none) and a name that doesn't exist:
// with no key plugged in, nothing is counted for any (review: the
// stand-in's failure counted towards the back-off while a real account's
// "no key" didn't); with a key that isn't theirs, it is asked and every
// try counts, for all three. Not counting "no key" is the rule kept: no
// key was asked, so nothing was guessed, and a person who forgot to plug
// theirs in must not be made to wait, as at sign-in.
func TestReset_SecurityKeyCountsAlike(t *testing.T) {
	for _, uv := range []bool{false, true} {
		t.Run(fmt.Sprintf("pin=%v", uv), func(t *testing.T) {
			port := &usbPort{}
			r, _ := newResetRig(t)
			key := info.Method{ID: "key1", Kind: info.KindSecurityKey, Label: "YubiKey", Created: t0, CredentialID: []byte("alice's credential")}
			if err := r.dir.AddMethod(alice, key, nil); err != nil {
				t.Fatal(err)
			}
			r.flow = wizard.New(wizard.Config{
				Policy: mustPolicy(t, usePolicy), Dir: r.dir, Now: r.c.Now, Rand: seeded(),
				Provers: map[info.Kind]method.ProverFactory{
					info.KindAuthenticatorApp: authapp.NewProver,
					info.KindSecurityKey:      securitykey.ProverFactory(securitykey.Config{Policy: securitykey.Policy{UserVerification: uv}, Open: port.open}),
				},
				Audit: (&auditLog{}).add,
			})
			var answers []string
			if uv {
				answers = []string{"482916"}
			}
			var challenges []wizard.Challenge
			for _, name := range resetNames {
				nextReset(t, r, name)
				ch, err := r.flow.StartProof(r.option(info.KindSecurityKey))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				challenges = append(challenges, ch)
				port.plug(false)
				for i := range regulation.Default.Free + 2 {
					if err := r.flow.Prove(answers); err != wizard.ErrResetProofFailed {
						t.Fatalf("%s: no key plugged in, try %d: %v, want ErrResetProofFailed alone", name, i+1, err)
					}
				}
				port.plug(true)
				before := port.asks()
				for i := range regulation.Default.Free {
					if err := r.flow.Prove(answers); err != wizard.ErrResetProofFailed {
						t.Fatalf("%s: another's key, try %d: %v", name, i+1, err)
					}
				}
				var wait *regulation.WaitError
				if err := r.flow.Prove(answers); !errors.As(err, &wait) {
					t.Errorf("%s: another's key after %d tries: %v, want a wait", name, regulation.Default.Free, err)
				}
				if got := port.asks() - before; got != regulation.Default.Free {
					t.Errorf("%s: the key was asked %d times, want %d", name, got, regulation.Default.Free)
				}
			}
			for i, ch := range challenges[1:] {
				if ch.Prompt != challenges[0].Prompt || strings.Join(ch.Fields, ",") != strings.Join(challenges[0].Fields, ",") {
					t.Errorf("%s is asked %+v, alice %+v", resetNames[i+1], ch, challenges[0])
				}
			}
			if uv && len(challenges[0].Fields) != 1 {
				t.Errorf("with a PIN every time, alice is asked %+v", challenges[0].Fields)
			}
		})
	}
}

package authapp

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// The whole life of an authenticator app against the real local store and
// the in-memory keyring: nothing kept on a failed save, registration after
// a successful test, codes checked later, replay refused after a reopen.
func TestSetup_WithLocalStore(t *testing.T) {
	dataDir := t.TempDir()
	keyring := storage.NewMemoryKeyring()
	dir, err := storage.OpenLocal(dataDir, keyring)
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.CreateAccount(info.Account{Name: testAccount, Created: t0}); err != nil {
		t.Fatal(err)
	}
	c := newClock(t0)
	ws, err := NewSetup(method.Context{Organisation: "Contoso",
		Account: testAccount, Dir: dir, Now: c.Now, Rand: seeded(5)})
	if err != nil {
		t.Fatal(err)
	}
	s := ws.(*Setup)
	toTry(t, s)
	secret := pendingSecret(t, s)

	keyring.SetFailure(info.ErrKeyringUnavailable)
	if err := s.Submit(Code(secret, c.Now())); !errors.Is(err, info.ErrKeyringUnavailable) {
		t.Fatalf("Submit with the keyring down: %v", err)
	}
	if ms, _ := dir.Methods(testAccount); len(ms) != 0 || keyring.Len() != 0 || s.Done() {
		t.Fatalf("something was kept after a failed save: %d methods, %d secrets", len(ms), keyring.Len())
	}
	keyring.SetFailure(nil)
	if err := s.Submit(Code(secret, c.Now())); err != nil || !s.Done() {
		t.Fatalf("Submit: %v", err)
	}
	ms, err := dir.Methods(testAccount)
	if err != nil || len(ms) != 1 || keyring.Len() != 1 || ms[0].Label != DefaultDeviceName {
		t.Fatalf("after registering: %+v, %v, %d secrets", ms, err, keyring.Len())
	}

	c.Add(time.Minute)
	code := Code(secret, c.Now())
	if err := CheckCode(dir, testAccount, code, c.Now()); err != nil {
		t.Fatalf("sign-in code: %v", err)
	}
	if err := dir.Close(); err != nil {
		t.Fatal(err)
	}
	dir, err = storage.OpenLocal(dataDir, keyring)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	if err := CheckCode(dir, testAccount, code, c.Now()); !errors.Is(err, ErrReplayed) {
		t.Fatalf("same code after reopening: %v; want ErrReplayed", err)
	}
	c.Add(Period)
	if err := CheckCode(dir, testAccount, Code(secret, c.Now()), c.Now()); err != nil {
		t.Fatalf("next code after reopening: %v", err)
	}
}

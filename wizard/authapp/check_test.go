package authapp

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestCheckCode(t *testing.T) {
	k1, _ := NewSecret(seeded(11))
	k2, _ := NewSecret(seeded(12))
	dir := newFakeDir(t)
	addApp(t, dir, testAccount, "a1", "Phone", k1)
	addApp(t, dir, testAccount, "a2", "Tablet", k2)
	now := t0

	// Either app's code is accepted, once.
	if err := CheckCode(dir, testAccount, Code(k2, now), now); err != nil {
		t.Fatalf("tablet code: %v", err)
	}
	if err := CheckCode(dir, testAccount, Code(k2, now), now); !errors.Is(err, ErrReplayed) {
		t.Fatalf("tablet code again: %v", err)
	}
	// An earlier step of the same app, still inside the window, is refused.
	if err := CheckCode(dir, testAccount, Code(k2, now.Add(-Period)), now); !errors.Is(err, ErrReplayed) {
		t.Fatalf("earlier tablet code: %v", err)
	}
	// The other app's last step is its own.
	if err := CheckCode(dir, testAccount, Code(k1, now.Add(-Period)), now); err != nil {
		t.Fatalf("phone code: %v", err)
	}
	ms, _ := dir.Methods(testAccount)
	if ms[0].LastStep == 0 || ms[1].LastStep == 0 {
		t.Fatalf("last steps not persisted: %+v", ms)
	}

	// A fresh view of the same store (a restart) still refuses the replay.
	restarted := newFakeDir(t)
	for _, m := range ms {
		s, _ := dir.Secret(testAccount, m.ID)
		if err := restarted.AddMethod(testAccount, m, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := CheckCode(restarted, testAccount, Code(k1, now.Add(-Period)), now); !errors.Is(err, ErrReplayed) {
		t.Fatalf("replay after restart: %v", err)
	}
	// The next step is fine.
	later := now.Add(Period)
	if err := CheckCode(restarted, testAccount, Code(k1, later), later); err != nil {
		t.Fatalf("next code after restart: %v", err)
	}
}

func TestCheckCode_Errors(t *testing.T) {
	k1, _ := NewSecret(seeded(11))
	now := t0
	dir := newFakeDir(t)
	if err := CheckCode(dir, testAccount, "123456", now); !errors.Is(err, ErrNoAuthenticator) {
		t.Fatalf("no apps: %v", err)
	}
	addApp(t, dir, testAccount, "a1", "Phone", k1)
	for _, tc := range []struct {
		name, code string
		want       error
	}{
		{"format", "12 34", ErrCodeFormat},
		{"wrong", wrongCode(t, k1, now), ErrWrongCode},
		{"skewed", Code(k1, now.Add(-3*time.Minute)), ErrClockSkew},
	} {
		if err := CheckCode(dir, testAccount, tc.code, now); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, err, tc.want)
		}
	}
	dir.FailRead(info.ErrKeyringLocked)
	if err := CheckCode(dir, testAccount, Code(k1, now), now); !errors.Is(err, info.ErrKeyringLocked) {
		t.Fatalf("locked keyring: %v", err)
	}
	dir.FailRead(nil)
	if err := CheckCode(dir, testAccount, Code(k1, now), now); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

func TestCheckCode_ConcurrentAcceptance(t *testing.T) {
	// A step recorded between reading the method and persisting is caught
	// inside UpdateMethod.
	k1, _ := NewSecret(seeded(11))
	dir := newFakeDir(t)
	addApp(t, dir, testAccount, "a1", "Phone", k1)
	if err := persistStep(dir, testAccount, "a1", Step(t0)); err != nil {
		t.Fatal(err)
	}
	if err := persistStep(dir, testAccount, "a1", Step(t0)); !errors.Is(err, ErrReplayed) {
		t.Fatalf("same step persisted twice: %v", err)
	}
}

// boundStore records the actions a check bounds and the secrets read
// inside one.
type boundStore struct {
	info.Store
	open, reads, readsInside int
}

func (b *boundStore) Bound(time.Duration) func() {
	b.open++
	return func() { b.open-- }
}

func (b *boundStore) Secret(account, id string) ([]byte, error) {
	b.reads++
	if b.open > 0 {
		b.readsInside++
	}
	return b.Store.Secret(account, id)
}

// Checking a code reads every app's key inside one bounded action, so a
// slow keyring costs one time limit for all of them, not one each.
func TestCheckCode_ReadsKeysInOneBoundedAction(t *testing.T) {
	dir := newFakeDir(t)
	for i, id := range []string{"a1", "a2", "a3", "a4", "a5"} {
		k, _ := NewSecret(seeded(int64(20 + i)))
		addApp(t, dir, testAccount, id, "App "+id, k)
	}
	b := &boundStore{Store: dir}
	if err := CheckCode(b, testAccount, "000000", t0); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("CheckCode: %v", err)
	}
	if b.reads != 5 || b.readsInside != 5 || b.open != 0 {
		t.Errorf("%d keys read, %d inside a bounded action, %d actions left open; want 5, 5, 0", b.reads, b.readsInside, b.open)
	}
}

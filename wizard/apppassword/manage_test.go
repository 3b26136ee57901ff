package apppassword

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

// The password is returned once and stored nowhere: not in the record,
// not in the keyring, not in the data file; only its salted hash is.
func TestCreate_StoresOnlyTheHash(t *testing.T) {
	dir := newLocalStore(t)
	pw, m, err := Create(dir, testAccount, "  Laptop ", t0, seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(pw) != Length || m.Label != "Laptop" || m.Kind != info.KindAppPassword ||
		m.HasSecret || !m.Created.Equal(t0) || len(m.ID) != 32 {
		t.Fatalf("Create: %q, %+v", pw, m)
	}
	ms, err := List(dir, testAccount)
	if err != nil || len(ms) != 1 || ms[0].ID != m.ID || ms[0].HasSecret {
		t.Fatalf("List: %+v, %v", ms, err)
	}
	hash := ms[0].Hash
	if !phc.MatchString(hash) {
		t.Fatalf("stored hash %q is not an argon2id PHC string", hash)
	}
	if ok, err := secret.Check(hash, pw); !ok || err != nil {
		t.Fatalf("stored hash does not check: %v", err)
	}
	js, _ := json.Marshal(ms)
	if strings.Contains(string(js), pw) || strings.Contains(string(js), Format(pw)) {
		t.Fatalf("the password is in the record: %s", js)
	}
	if dir.keyring.Len() != 0 {
		t.Fatalf("%d items in the keyring", dir.keyring.Len())
	}
	if _, err := dir.Secret(testAccount, m.ID); err == nil {
		t.Fatal("a keyring secret can be read for the app password")
	}
	err = filepath.WalkDir(dir.path, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), pw) {
			t.Errorf("the password is in %s", p)
		}
		if !strings.Contains(string(b), hash) && filepath.Base(p) == storage.DataFileName {
			t.Errorf("the hash is not in %s: the search looks at the wrong file", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A second password gets a different salt and password.
	pw2, m2 := mustCreate(t, dir, testAccount, "Desktop", seeded(2))
	if pw2 == pw || m2.Hash == hash || m2.ID == m.ID {
		t.Fatal("two creations share a password, hash or id")
	}
}

func TestCreate_RefusesBadNames(t *testing.T) {
	dir := newStore(t)
	mustCreate(t, dir, testAccount, "Laptop", seeded(1))
	for name, want := range map[string]error{"laptop": ErrNameTaken, "": ErrNameEmpty, "a\nb": ErrNameChars} {
		if _, _, err := Create(dir, testAccount, name, t0, seeded(2)); !errors.Is(err, want) {
			t.Errorf("Create(%q): %v, want %v", name, err, want)
		}
	}
	// Names are per account.
	mustCreate(t, dir, otherAccount, "Laptop", seeded(3))
	if ms, _ := List(dir, testAccount); len(ms) != 1 {
		t.Fatalf("%d app passwords, want 1", len(ms))
	}
	if _, _, err := Create(dir, "nobody", "Laptop", t0, seeded(4)); !errors.Is(err, info.ErrNoAccount) {
		t.Fatalf("unknown account: %v", err)
	}
}

func TestList_OnlyAppPasswordsOldestFirst(t *testing.T) {
	dir := newStore(t)
	addRecord(t, dir, testAccount, "b", "Second", t0.Add(time.Minute))
	addRecord(t, dir, testAccount, "a", "First", t0)
	err := dir.AddMethod(testAccount, info.Method{ID: "c", Kind: info.KindAuthenticatorApp,
		Label: "Laptop", Created: t0.Add(-time.Hour)}, []byte("key"))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := List(dir, testAccount)
	if err != nil || len(ms) != 2 || ms[0].Label != "First" || ms[1].Label != "Second" {
		t.Fatalf("List: %+v, %v", ms, err)
	}
	// An authenticator app called Laptop does not take the name.
	if _, err := CheckName("Laptop", ms); err != nil {
		t.Fatal(err)
	}
}

// 40 app passwords, the 41st refused with a prompt to delete one; after a
// deletion the 41st is made.
func TestCreate_Limit(t *testing.T) {
	dir := newStore(t)
	r := seeded(5)
	for i := 1; i <= MaxPasswords; i++ {
		mustCreate(t, dir, testAccount, fmt.Sprintf("Device %d", i), r)
	}
	_, _, err := Create(dir, testAccount, "One more", t0, r)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "delete one") {
		t.Fatalf("41st: %v; want ErrLimit", err)
	}
	if _, err := NewSetup(method.Context{Account: testAccount, Dir: dir, Rand: r}); !errors.Is(err, ErrLimit) {
		t.Fatalf("NewSetup with 40: %v; want ErrLimit", err)
	}
	if ms, _ := List(dir, testAccount); len(ms) != MaxPasswords {
		t.Fatalf("%d app passwords after the refusal", len(ms))
	}
	// The limit is per account.
	mustCreate(t, dir, otherAccount, "One more", r)
	if err := Delete(dir, testAccount, " device 7 "); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	mustCreate(t, dir, testAccount, "One more", r)
	if _, _, err := Create(dir, testAccount, "Yet another", t0, r); !errors.Is(err, ErrLimit) {
		t.Fatalf("41st again: %v", err)
	}
}

func TestDelete(t *testing.T) {
	dir := newStore(t)
	pw, _ := mustCreate(t, dir, testAccount, "Laptop", seeded(6))
	addRecord(t, dir, testAccount, "x", "Desktop", t0)
	if err := Delete(dir, testAccount, "Tablet"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete unknown: %v", err)
	}
	if err := Delete(dir, otherAccount, "Laptop"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete of another account's: %v", err)
	}
	if err := Delete(dir, testAccount, "LAPTOP"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	ms, _ := List(dir, testAccount)
	if len(ms) != 1 || ms[0].Label != "Desktop" {
		t.Fatalf("after Delete: %+v", ms)
	}
	if err := Verify(dir, testAccount, pw, t0); !errors.Is(err, ErrNoMatch) {
		t.Fatalf("deleted password still works: %v", err)
	}
	if err := Delete(dir, testAccount, "Laptop"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete twice: %v", err)
	}
}

// racingDir lets another creation land just before an AddMethod.
type racingDir struct {
	info.Store
	before func()
}

func (d *racingDir) AddMethod(account string, m info.Method, secret []byte) error {
	if d.before != nil {
		d.before()
		d.before = nil
	}
	return d.Store.AddMethod(account, m, secret)
}

func TestCreate_Race(t *testing.T) {
	t.Run("same name", func(t *testing.T) {
		st := newStore(t)
		dir := &racingDir{Store: st, before: func() {
			addRecord(t, st, testAccount, "other", "laptop", t0.Add(-time.Second))
		}}
		if _, _, err := Create(dir, testAccount, "Laptop", t0, seeded(1)); !errors.Is(err, ErrNameTaken) {
			t.Fatalf("Create: %v; want ErrNameTaken", err)
		}
		if ms, _ := List(st, testAccount); len(ms) != 1 || ms[0].ID != "other" {
			t.Fatalf("left behind: %+v", ms)
		}
	})
	t.Run("limit", func(t *testing.T) {
		st := newStore(t)
		addRecords(t, st, testAccount, MaxPasswords-1)
		dir := &racingDir{Store: st, before: func() {
			addRecord(t, st, testAccount, "other", "Other", t0.Add(-time.Second))
		}}
		if _, _, err := Create(dir, testAccount, "Laptop", t0, seeded(1)); !errors.Is(err, ErrLimit) {
			t.Fatalf("Create: %v; want ErrLimit", err)
		}
		if ms, _ := List(st, testAccount); len(ms) != MaxPasswords || ms[len(ms)-1].ID != "other" {
			t.Fatalf("left behind %d", len(ms))
		}
	})
}

// failingDir refuses every AddMethod.
type failingDir struct{ info.Store }

func (failingDir) AddMethod(string, info.Method, []byte) error { return info.ErrStoreBusy }

func TestCreate_StoreFailureKeepsNothing(t *testing.T) {
	st := newStore(t)
	pw, m, err := Create(failingDir{st}, testAccount, "Laptop", t0, seeded(1))
	if !errors.Is(err, info.ErrStoreBusy) || pw != "" || m.ID != "" {
		t.Fatalf("Create with a failing store: %q, %+v, %v", pw, m, err)
	}
	if ms, _ := List(st, testAccount); len(ms) != 0 {
		t.Fatalf("%d app passwords saved", len(ms))
	}
}

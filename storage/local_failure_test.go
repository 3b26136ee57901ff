package storage

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

func TestLocal_AddMethodKeyringSetFails(t *testing.T) {
	tests := []struct {
		name string
		err  error
		// lateWrite: the keyring went on to store the secret after the
		// call gave up (only possible after a time-out).
		lateWrite   bool
		wantJournal int
	}{
		{"unavailable", info.ErrKeyringUnavailable, false, 0},
		{"locked", info.ErrKeyringLocked, false, 0},
		{"timed out", timeoutErr, false, 1},
		{"timed out but written late", timeoutErr, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := newFaultyKeyring()
			l, dir := newAccount(t, kr)
			kr.fail(tt.err, nil, nil)
			kr.setWrites = tt.lateWrite
			err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("seed"))
			if !errors.Is(err, tt.err) {
				t.Fatalf("AddMethod error = %v, want %v", err, tt.err)
			}
			if ids := methodIDs(t, l, "alice@contoso.example"); len(ids) != 0 {
				t.Errorf("failed add left methods %v", ids)
			}
			if n := journalLen(t, l); n != tt.wantJournal {
				t.Errorf("journal entries = %d, want %d", n, tt.wantJournal)
			}
			// Once the keyring works, reopening leaves neither record nor
			// secret nor journal entry.
			kr.fail(nil, nil, nil)
			l = reopen(t, l, dir, kr)
			if ids := methodIDs(t, l, "alice@contoso.example"); len(ids) != 0 {
				t.Errorf("after reopen: methods %v", ids)
			}
			if kr.Len() != 0 || journalLen(t, l) != 0 {
				t.Errorf("after reopen: %d keyring items, %d journal entries; want none", kr.Len(), journalLen(t, l))
			}
			// And the same id can be added for real.
			if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("seed2")); err != nil {
				t.Fatalf("AddMethod after recovery: %v", err)
			}
		})
	}
}

func TestLocal_AddMethodPendingIntentSettledBeforeRetry(t *testing.T) {
	kr := newFaultyKeyring()
	l, _ := newAccount(t, kr)
	kr.fail(timeoutErr, nil, nil)
	kr.setWrites = true
	if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("late")); err == nil {
		t.Fatal("AddMethod succeeded")
	}
	kr.fail(nil, nil, nil)
	if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("fresh")); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if s, err := l.Secret("alice@contoso.example", "app"); err != nil || string(s) != "fresh" {
		t.Errorf("Secret = %q, %v; want fresh", s, err)
	}
	if kr.Len() != 1 || journalLen(t, l) != 0 {
		t.Errorf("%d keyring items, %d journal entries; want 1, 0", kr.Len(), journalLen(t, l))
	}
}

func TestLocal_AddMethodRecordWriteFails(t *testing.T) {
	tests := []struct {
		name        string
		deleteErr   error // keyring error when rolling back
		wantItems   int
		wantJournal int
	}{
		{"keyring item deleted again", nil, 0, 0},
		{"keyring gone too: repaired on next open", info.ErrKeyringUnavailable, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := newFaultyKeyring()
			l, dir := newAccount(t, kr)
			errDisk := errors.New("disk full")
			l.failCommit = func(op string) error {
				kr.fail(nil, nil, tt.deleteErr)
				return errDisk
			}
			err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("seed"))
			if !errors.Is(err, errDisk) {
				t.Fatalf("AddMethod error = %v, want %v", err, errDisk)
			}
			if kr.sets != 1 {
				t.Fatalf("keyring Set called %d times, want 1 (the hook must run after it)", kr.sets)
			}
			if kr.Len() != tt.wantItems || journalLen(t, l) != tt.wantJournal {
				t.Errorf("%d keyring items, %d journal entries; want %d, %d", kr.Len(), journalLen(t, l), tt.wantItems, tt.wantJournal)
			}
			if ids := methodIDs(t, l, "alice@contoso.example"); len(ids) != 0 {
				t.Errorf("methods %v visible after a failed add", ids)
			}
			kr.fail(nil, nil, nil)
			l.failCommit = nil
			l = reopen(t, l, dir, kr)
			if kr.Len() != 0 || journalLen(t, l) != 0 {
				t.Errorf("after reopen: %d keyring items, %d journal entries; want none", kr.Len(), journalLen(t, l))
			}
		})
	}
}

func TestLocal_RemoveMethodKeyringFails(t *testing.T) {
	tests := []struct {
		name string
		err  error
		// wantKept: the method is still listed and usable.
		wantKept bool
	}{
		{"unavailable: kept", info.ErrKeyringUnavailable, true},
		{"locked: kept", info.ErrKeyringLocked, true},
		{"timed out: hidden, finished later", timeoutErr, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := newFaultyKeyring()
			l, dir := newAccount(t, kr)
			if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("seed")); err != nil {
				t.Fatal(err)
			}
			kr.fail(nil, nil, tt.err)
			if err := l.RemoveMethod("alice@contoso.example", "app"); !errors.Is(err, tt.err) {
				t.Fatalf("RemoveMethod error = %v, want %v", err, tt.err)
			}
			ids := methodIDs(t, l, "alice@contoso.example")
			if tt.wantKept != slices.Equal(ids, []string{"app"}) {
				t.Errorf("methods after failed removal = %v, want kept: %v", ids, tt.wantKept)
			}
			_, err := l.Secret("alice@contoso.example", "app")
			if tt.wantKept != (err == nil) {
				t.Errorf("Secret after failed removal: %v, want kept: %v", err, tt.wantKept)
			}
			kr.fail(nil, nil, nil)
			if err := l.CheckSecrets(); err != nil {
				t.Fatal(err)
			}
			wantItems := 0
			if tt.wantKept {
				wantItems = 1
			}
			if kr.Len() != wantItems || journalLen(t, l) != 0 {
				t.Errorf("after CheckSecrets: %d keyring items, %d journal entries; want %d, 0", kr.Len(), journalLen(t, l), wantItems)
			}
			l = reopen(t, l, dir, kr)
			if got := len(methodIDs(t, l, "alice@contoso.example")); got != wantItems {
				t.Errorf("after reopen: %d methods, want %d", got, wantItems)
			}
		})
	}
}

func TestLocal_RemoveAllMethodsStopsAtKeyringFailure(t *testing.T) {
	kr := newFaultyKeyring()
	l, _ := newAccount(t, kr)
	for _, id := range []string{"a1", "a2", "p1"} {
		var secret []byte
		if id[0] == 'a' {
			secret = []byte("seed")
		}
		if err := l.AddMethod("alice@contoso.example", info.Method{ID: id, Kind: info.KindAuthenticatorApp}, secret); err != nil {
			t.Fatal(err)
		}
	}
	kr.fail(nil, nil, info.ErrKeyringLocked)
	n, err := l.RemoveAllMethods("alice@contoso.example")
	if !errors.Is(err, info.ErrKeyringLocked) || n != 1 {
		t.Fatalf("RemoveAllMethods = %d, %v; want 1 (the phone), info.ErrKeyringLocked", n, err)
	}
	if kr.deletes != 1 {
		t.Errorf("keyring Delete called %d times, want 1: stop at the first failure", kr.deletes)
	}
	ids := methodIDs(t, l, "alice@contoso.example")
	if !slices.Equal(ids, []string{"a1", "a2"}) && !slices.Equal(ids, []string{"a2", "a1"}) {
		t.Errorf("methods kept = %v, want a1 and a2", ids)
	}
	if kr.Len() != 2 || journalLen(t, l) != 0 {
		t.Errorf("%d keyring items, %d journal entries; want 2, 0", kr.Len(), journalLen(t, l))
	}
}

func TestLocal_RemoveMethodRecordDeleteFails(t *testing.T) {
	kr := newFaultyKeyring()
	l, dir := newAccount(t, kr)
	if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("seed")); err != nil {
		t.Fatal(err)
	}
	l.failCommit = func(string) error { return errors.New("disk full") }
	if err := l.RemoveMethod("alice@contoso.example", "app"); err == nil {
		t.Fatal("RemoveMethod succeeded")
	}
	if ids := methodIDs(t, l, "alice@contoso.example"); len(ids) != 0 {
		t.Errorf("method whose secret is gone is still listed: %v", ids)
	}
	l.failCommit = nil
	l = reopen(t, l, dir, kr)
	if kr.Len() != 0 || journalLen(t, l) != 0 {
		t.Errorf("after reopen: %d keyring items, %d journal entries; want none", kr.Len(), journalLen(t, l))
	}
	if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("new")); err != nil {
		t.Errorf("the id is not free again: %v", err)
	}
}

func TestOpenLocal_TwoUsersOfOneDirectory(t *testing.T) {
	keys := NewMemoryKeyring()
	app, dir := openTest(t, keys)
	admin, err := OpenLocal(dir, keys)
	if err != nil {
		t.Fatalf("a second Local on the directory (an admin command beside the app): %v", err)
	}
	if err := admin.CreateAccount(info.Account{Name: "bob@contoso.example", PasswordHash: "h"}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Account("bob@contoso.example"); err != nil {
		t.Fatalf("the app does not see the admin's account: %v", err)
	}
	if err := app.AddMethod("bob@contoso.example", info.Method{ID: "m1", Kind: info.KindPhone}, []byte("s")); err != nil {
		t.Fatal(err)
	}
	if n, err := admin.RemoveAllMethods("bob@contoso.example"); err != nil || n != 1 {
		t.Fatalf("admin reset = %d, %v", n, err)
	}
	if ms, _ := app.Methods("bob@contoso.example"); len(ms) != 0 || keys.Len() != 0 {
		t.Errorf("after the reset the app sees %v, keyring holds %d", ms, keys.Len())
	}
}

func TestOpenLocal_HeldTooLongIsBusy(t *testing.T) {
	l, dir := openTest(t, NewMemoryKeyring())
	// Another process holding the data file.
	other, err := bolt.Open(filepath.Join(dir, DataFileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.busyTimeout = 100 * time.Millisecond
	_, err = allAccounts(l)
	other.Close()
	if !errors.Is(err, info.ErrStoreBusy) {
		t.Fatalf("with the file held elsewhere: %v, want info.ErrStoreBusy", err)
	}
	if _, err := allAccounts(l); err != nil {
		t.Fatalf("once released: %v", err)
	}
}

func TestOpenLocal_PermissionsAndStoreID(t *testing.T) {
	l, dir := openTest(t, NewMemoryKeyring())
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, DataFileName): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode = %o, want %o", path, got, want)
		}
	}
	svc := l.KeyringService()
	id, ok := strings.CutPrefix(svc, "securityinfo:")
	if b, err := hex.DecodeString(id); !ok || err != nil || len(b) != 16 {
		t.Errorf("KeyringService() = %q, want securityinfo:<32 hex digits>", svc)
	}
	l = reopen(t, l, dir, NewMemoryKeyring())
	if l.KeyringService() != svc {
		t.Errorf("store id changed on reopen: %q, then %q", svc, l.KeyringService())
	}
	other, _ := openTest(t, NewMemoryKeyring())
	if other.KeyringService() == svc {
		t.Errorf("two data directories share keyring service %q", svc)
	}
}

func TestLocal_DataFileHoldsNoSecret(t *testing.T) {
	canary := []byte("CANARY-7f3e9a1c-secret-seed-value")
	label := "LABEL-visible-in-file"
	kr := NewMemoryKeyring()
	l, dir := newAccount(t, kr)
	if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp, Label: label}, canary); err != nil {
		t.Fatal(err)
	}
	// Remove and add again, so that freed pages are in the file too.
	if err := l.RemoveMethod("alice@contoso.example", "app"); err != nil {
		t.Fatal(err)
	}
	if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp, Label: label}, canary); err != nil {
		t.Fatal(err)
	}
	if s, err := l.Secret("alice@contoso.example", "app"); err != nil || !bytes.Equal(s, canary) {
		t.Fatalf("Secret = %q, %v", s, err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	// The file is searchable: what is not secret is found in it.
	if !bytes.Contains(data, []byte(label)) {
		t.Fatalf("label %q not found in the data file; the search below proves nothing", label)
	}
	for name, needle := range map[string][]byte{
		"raw":          canary,
		"base64":       []byte(base64.StdEncoding.EncodeToString(canary)),
		"base64 (raw)": []byte(base64.RawStdEncoding.EncodeToString(canary)),
		"hex":          []byte(hex.EncodeToString(canary)),
	} {
		if bytes.Contains(data, needle) {
			t.Errorf("the data file contains the secret (%s)", name)
		}
	}
}

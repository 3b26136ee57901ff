package storage

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// A store opened read-only (the admin commands that only read) reads
// everything, leaves a crash's half-done write for a read-write open, and
// refuses every write before it changes the data file or the keyring.
func TestOpenLocalWith_ReadOnlyReadsAndNeverWrites(t *testing.T) {
	kr := newFaultyKeyring()
	l, dir := newAccount(t, kr)
	const alice = "alice@contoso.example"
	if err := l.AddMethod(alice, info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("seed")); err != nil {
		t.Fatal(err)
	}
	if err := l.AppendAudit(info.AuditEntry{Account: alice, Action: "signed-in"}); err != nil {
		t.Fatal(err)
	}
	if err := l.SetStationSecret("smtp", []byte("token")); err != nil {
		t.Fatal(err)
	}
	// A second add that a keyring time-out left half done: repair work
	// that a read-only open must leave alone.
	kr.fail(timeoutErr, nil, nil)
	if err := l.AddMethod(alice, info.Method{ID: "app2", Kind: info.KindAuthenticatorApp}, []byte("seed2")); err == nil {
		t.Fatal("AddMethod succeeded with the keyring timing out")
	}
	kr.fail(nil, nil, nil)
	l.Close()
	file := filepath.Join(dir, DataFileName)
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	kr.mu.Lock()
	kr.sets, kr.deletes = 0, 0
	kr.mu.Unlock()

	ro, err := OpenLocalWith(dir, kr, LocalOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.Account(alice); err != nil {
		t.Errorf("Account: %v", err)
	}
	if ids := methodIDs(t, ro, alice); len(ids) != 1 || ids[0] != "app" {
		t.Errorf("methods read as %v, want [app] (the half-done add absent)", ids)
	}
	if got, err := readAudit(ro, alice); err != nil || len(got) != 1 || got[0].Action != "signed-in" {
		t.Errorf("audit log read as %+v, %v", got, err)
	}
	if s, err := ro.StationSecret("smtp"); err != nil || string(s) != "token" {
		t.Errorf("StationSecret: %q, %v", s, err)
	}

	writes := map[string]error{
		"AppendAudit":                      ro.AppendAudit(info.AuditEntry{Account: alice, Action: "user-reset"}),
		"CreateAccount":                    ro.CreateAccount(info.Account{Name: "bob@contoso.example"}),
		"UpdateAccount":                    ro.UpdateAccount(alice, func(a *info.Account) error { a.Failures++; return nil }),
		"AddMethod":                        ro.AddMethod(alice, info.Method{ID: "app3", Kind: info.KindAuthenticatorApp}, []byte("seed3")),
		"AddMethod over the half-done one": ro.AddMethod(alice, info.Method{ID: "app2", Kind: info.KindAuthenticatorApp}, []byte("seed2")),
		"RemoveMethod":                     ro.RemoveMethod(alice, "app"),
		"SetStationSecret":                 ro.SetStationSecret("smtp", []byte("other")),
		"DeleteStationSecret":              ro.DeleteStationSecret("smtp"),
	}
	_, err = ro.RemoveAllMethods(alice)
	writes["RemoveAllMethods"] = err
	for op, err := range writes {
		if err == nil {
			t.Errorf("%s on a read-only store succeeded", op)
		}
	}
	for _, op := range []string{"SetStationSecret", "DeleteStationSecret"} {
		if !errors.Is(writes[op], ErrReadOnly) {
			t.Errorf("%s: %v, want ErrReadOnly", op, writes[op])
		}
	}
	if err := ro.CheckSecrets(); err != nil {
		t.Errorf("CheckSecrets: %v", err)
	}
	if n := journalLen(t, ro); n != 1 {
		t.Errorf("%d journal entries after the read-only open, want the 1 left for a repair", n)
	}

	after, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the data file changed under a read-only store")
	}
	kr.mu.Lock()
	sets, deletes := kr.sets, kr.deletes
	kr.mu.Unlock()
	if sets+deletes != 0 {
		t.Errorf("a read-only store wrote to the keyring: %d sets, %d deletes", sets, deletes)
	}
	if s, err := kr.MemoryKeyring.Get(ro.providerService(), "smtp"); err != nil || string(s) != "token" {
		t.Errorf("the station secret is now %q, %v", s, err)
	}

	// A read-write open still repairs.
	rw, err := OpenLocal(dir, kr)
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if n := journalLen(t, rw); n != 0 {
		t.Errorf("a read-write open left %d journal entries", n)
	}
}

// Read-only operations share the data file: one doesn't wait for another.
// A writer still waits for them, so a read sees no write half made.
func TestOpenLocalWith_ReadOnlySharesTheFileWithReadersOnly(t *testing.T) {
	l, dir := newAccount(t, NewMemoryKeyring())
	l.Close()
	ro, err := OpenLocalWith(dir, NewMemoryKeyring(), LocalOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	release, err := ro.hold()
	if err != nil {
		t.Fatal(err)
	}
	defer release()

	other, err := OpenLocalWith(dir, NewMemoryKeyring(), LocalOptions{ReadOnly: true})
	if err != nil {
		t.Fatalf("a second read-only open waited for the first: %v", err)
	}
	other.busyTimeout = 50 * time.Millisecond
	if _, err := other.Account("alice@contoso.example"); err != nil {
		t.Errorf("a read during another read: %v", err)
	}
	writer := &Local{path: filepath.Join(dir, DataFileName), secrets: NewMemoryKeyring(), busyTimeout: 50 * time.Millisecond}
	if err := writer.AppendAudit(info.AuditEntry{Action: "signed-in"}); !errors.Is(err, info.ErrStoreBusy) {
		t.Errorf("a write during a read: %v, want ErrStoreBusy", err)
	}
}

// A read-only command on a directory with no data file yet sets the store
// up, as any open does, and then reads it read-only.
func TestOpenLocalWith_ReadOnlySetsUpANewStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ro, err := OpenLocalWith(dir, NewMemoryKeyring(), LocalOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if ro.KeyringService() == "securityinfo:" || ro.KeyringService() == "" {
		t.Errorf("no store id: %q", ro.KeyringService())
	}
	if got, err := readAudit(ro, ""); err != nil || len(got) != 0 {
		t.Errorf("audit log of a new store: %+v, %v", got, err)
	}
	if err := ro.AppendAudit(info.AuditEntry{Action: "signed-in"}); err == nil {
		t.Error("a write to the new store, opened read-only, succeeded")
	}
}

// readAudit returns account's audit entries (all with "").
func readAudit(l *Local, account string) ([]info.AuditEntry, error) {
	var out []info.AuditEntry
	err := l.EachAudit(account, time.Time{}, func(e info.AuditEntry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

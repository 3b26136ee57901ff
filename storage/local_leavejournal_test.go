package storage

import (
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// A command that reads no secret (app-password verify) opens the store
// without touching the keyring, even with a write a keyring time-out left
// half done: it never waits on the keyring for a repair that isn't its.
// A later ordinary open settles it.
func TestOpenLocalWith_LeaveJournalDoesNotTouchTheKeyring(t *testing.T) {
	kr := newFaultyKeyring()
	l, dir := newAccount(t, kr)
	kr.fail(timeoutErr, nil, nil)
	if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("seed")); err == nil {
		t.Fatal("AddMethod succeeded")
	}
	if journalLen(t, l) != 1 {
		t.Fatal("no journal entry to repair")
	}
	l.Close()
	kr.fail(timeoutErr, timeoutErr, timeoutErr) // the keyring stops answering
	kr.mu.Lock()
	kr.sets, kr.gets, kr.deletes = 0, 0, 0
	kr.mu.Unlock()

	quick, err := OpenLocalWith(dir, kr, LocalOptions{LeaveJournal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := quick.Account("alice@contoso.example"); err != nil {
		t.Fatal(err)
	}
	if ids := methodIDs(t, quick, "alice@contoso.example"); len(ids) != 0 {
		t.Errorf("the half-done add reads as %v", ids)
	}
	kr.mu.Lock()
	calls := kr.sets + kr.gets + kr.deletes
	kr.mu.Unlock()
	if calls != 0 {
		t.Errorf("opening to read hashes made %d keyring calls", calls)
	}
	quick.Close()

	kr.fail(nil, nil, nil)
	l2, err := OpenLocal(dir, kr)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if n := journalLen(t, l2); n != 0 {
		t.Errorf("an ordinary open left %d journal entries", n)
	}
}

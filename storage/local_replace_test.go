package storage

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// A replacement whose transaction fails to commit (a full disk; a crash
// before the commit is the same to bbolt) leaves the old set, also after
// reopening.
func TestLocal_ReplaceMethodsCommitFails(t *testing.T) {
	kr := NewMemoryKeyring()
	l, dir := newAccount(t, kr)
	const alice = "alice@contoso.example"
	set := func(prefix string) []info.Method {
		var ms []info.Method
		for i := range 10 {
			ms = append(ms, info.Method{ID: fmt.Sprintf("%s%d", prefix, i), Kind: info.KindRecoveryCodes, Hash: "h"})
		}
		return ms
	}
	if err := l.ReplaceMethods(alice, info.KindRecoveryCodes, set("o")); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(methodIDs(t, l, alice), ",")
	l.failCommit = func(op string) error {
		if op == "replace" {
			return errors.New("disk full")
		}
		return nil
	}
	if err := l.ReplaceMethods(alice, info.KindRecoveryCodes, set("n")); err == nil {
		t.Fatal("ReplaceMethods succeeded")
	}
	if got := strings.Join(methodIDs(t, l, alice), ","); got != want {
		t.Errorf("after a failed commit: %s, want the old set %s", got, want)
	}
	l.failCommit = nil
	l = reopen(t, l, dir, kr)
	if got := strings.Join(methodIDs(t, l, alice), ","); got != want {
		t.Errorf("after reopening: %s, want the old set %s", got, want)
	}
	if journalLen(t, l) != 0 {
		t.Errorf("%d journal entries, want none", journalLen(t, l))
	}
}

// Methods with a secret are never replaced as a set: their keyring items
// can't be in the transaction.
func TestLocal_ReplaceMethodsRefusesSecrets(t *testing.T) {
	l, _ := newAccount(t, NewMemoryKeyring())
	const alice = "alice@contoso.example"
	if err := l.AddMethod(alice, info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("seed")); err != nil {
		t.Fatal(err)
	}
	if err := l.ReplaceMethods(alice, info.KindAuthenticatorApp, nil); err == nil {
		t.Error("ReplaceMethods removed an authenticator app without its keyring item")
	}
	if ids := methodIDs(t, l, alice); len(ids) != 1 {
		t.Errorf("methods after a refused replacement: %v", ids)
	}
}

package memory

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func newStore(t *testing.T) *Store {
	t.Helper()
	s := New()
	s.Now = func() time.Time { return t0 }
	for _, n := range []string{"Alice@contoso.example", "bob@contoso.example"} {
		if err := s.CreateAccount(info.Account{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestAccounts(t *testing.T) {
	s := newStore(t)
	if err := s.CreateAccount(info.Account{Name: " alice@CONTOSO.example"}); !errors.Is(err, info.ErrAccountExists) {
		t.Fatalf("a taken name in another case: %v", err)
	}
	if err := s.CreateAccount(info.Account{Name: "  "}); err == nil {
		t.Fatal("an empty name was accepted")
	}
	a, err := s.Account("ALICE@contoso.example")
	if err != nil || a.Name != "Alice@contoso.example" || !a.Created.Equal(t0) {
		t.Fatalf("Account: %+v, %v", a, err)
	}
	if _, err := s.Account("nobody"); !errors.Is(err, info.ErrNoAccount) {
		t.Fatalf("unknown account: %v", err)
	}
	boom := errors.New("boom")
	if err := s.UpdateAccount("alice@contoso.example", func(a *info.Account) error { a.Failures = 7; return boom }); err != boom {
		t.Fatalf("a failing change: %v", err)
	}
	if err := s.UpdateAccount("alice@contoso.example", func(a *info.Account) error { a.Name = "carol"; return nil }); err == nil {
		t.Fatal("an account was renamed")
	}
	s.UpdateAccount("alice@contoso.example", func(a *info.Account) error { a.Failures, a.LastFailure, a.Locked = 5, t0, true; return nil })
	if a, _ := s.Account("alice@contoso.example"); a.Failures != 5 {
		t.Fatalf("after a change: %+v", a)
	}
	if err := s.Unlock("alice@contoso.example"); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Account("alice@contoso.example"); a.Failures != 0 || !a.LastFailure.IsZero() || a.Locked {
		t.Fatalf("after Unlock: %+v", a)
	}
	var names []string
	if err := s.EachAccount("CONTOSO", 1, func(a info.Account) error { names = append(names, a.Name); return nil }); err != nil || len(names) != 1 || names[0] != "Alice@contoso.example" {
		t.Fatalf("EachAccount: %v, %v", names, err)
	}
	if err := s.EachAccount("", 0, func(info.Account) error { return boom }); err != boom {
		t.Fatalf("a visit error: %v", err)
	}
	if _, err := s.Bind("alice@contoso.example", "x"); !errors.Is(err, info.ErrNotSupported) {
		t.Fatalf("Bind: %v", err)
	}
}

func TestMethodsAndSecrets(t *testing.T) {
	s := newStore(t)
	key := []byte("seed")
	if err := s.AddMethod("alice@contoso.example", info.Method{ID: "b", Kind: info.KindAuthenticatorApp, Created: t0.Add(time.Second)}, key); err != nil {
		t.Fatal(err)
	}
	key[0] = 0 // the caller zeroes its copy
	if err := s.AddMethod("ALICE@contoso.example", info.Method{ID: "a", Kind: info.KindPhone}, nil); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []info.Method{{ID: "a"}, {ID: ""}, {ID: "x/y"}, {ID: "s", HasSecret: true}} {
		if err := s.AddMethod("alice@contoso.example", bad, nil); err == nil {
			t.Errorf("AddMethod(%+v) accepted", bad)
		}
	}
	if err := s.AddMethod("nobody", info.Method{ID: "z"}, nil); !errors.Is(err, info.ErrNoAccount) {
		t.Fatalf("unknown account: %v", err)
	}
	ms, _ := s.Methods("alice@contoso.example")
	if len(ms) != 2 || ms[0].ID != "a" || !ms[1].HasSecret {
		t.Fatalf("Methods: %+v", ms)
	}
	if got, err := s.Secret("alice@contoso.example", "b"); err != nil || string(got) != "seed" {
		t.Fatalf("Secret: %q, %v", got, err)
	}
	if _, err := s.Secret("alice@contoso.example", "a"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Fatalf("Secret of a method without one: %v", err)
	}
	if err := s.UpdateMethod("alice@contoso.example", "b", func(m *info.Method) error { m.LastStep = 9; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateMethod("alice@contoso.example", "b", func(m *info.Method) error { m.HasSecret = false; return nil }); err == nil {
		t.Fatal("HasSecret changed")
	}

	locked := info.ErrKeyringLocked
	s.FailSecrets(locked)
	if err := s.AddMethod("alice@contoso.example", info.Method{ID: "c"}, []byte("k")); !errors.Is(err, locked) {
		t.Fatalf("AddMethod with the keyring locked: %v", err)
	}
	if err := s.RemoveMethod("alice@contoso.example", "b"); !errors.Is(err, locked) {
		t.Fatalf("RemoveMethod with the keyring locked: %v", err)
	}
	if err := s.CheckSecrets(); !errors.Is(err, locked) {
		t.Fatalf("CheckSecrets: %v", err)
	}
	n, err := s.RemoveAllMethods("alice@contoso.example")
	if n != 1 || !errors.Is(err, locked) || s.SecretCount() != 1 {
		t.Fatalf("RemoveAllMethods with the keyring locked: %d, %v", n, err)
	}
	s.FailSecrets(nil)
	if err := s.RemoveMethod("alice@contoso.example", "b"); err != nil || s.SecretCount() != 0 {
		t.Fatalf("RemoveMethod: %v, %d secrets", err, s.SecretCount())
	}
	if err := s.RemoveMethod("alice@contoso.example", "b"); !errors.Is(err, info.ErrNoMethod) {
		t.Fatalf("removing twice: %v", err)
	}
}

func TestPassesAuditAndStationSecrets(t *testing.T) {
	s := newStore(t)
	if _, err := s.GetPass("alice@contoso.example"); !errors.Is(err, info.ErrNoPass) {
		t.Fatal(err)
	}
	if err := s.SetPass("nobody", "", info.Pass{Hash: "h"}); !errors.Is(err, info.ErrNoAccount) {
		t.Fatal(err)
	}
	if err := s.SetPass("alice@contoso.example", "", info.Pass{Hash: "h", OneTime: true}); err != nil {
		t.Fatal(err)
	}
	s.UpdatePass("alice@contoso.example", func(p *info.Pass) error { p.Used = true; return nil })
	if p, _ := s.GetPass("ALICE@contoso.example"); !p.Used {
		t.Fatalf("pass %+v", p)
	}
	if err := s.DeletePass("alice@contoso.example"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePass("alice@contoso.example"); !errors.Is(err, info.ErrNoPass) {
		t.Fatal(err)
	}

	if err := s.AppendAudit(info.AuditEntry{}); err == nil {
		t.Fatal("an entry without an action")
	}
	s.AppendAudit(info.AuditEntry{Account: "alice@contoso.example", Action: info.ActionSignIn, Time: t0.Add(-time.Hour)})
	s.AppendAudit(info.AuditEntry{Account: "Alice@contoso.example", Action: info.ActionReset})
	s.AppendAudit(info.AuditEntry{Account: "bob@contoso.example", Action: info.ActionReset})
	if es, _ := storetest.AuditEntries(s, "alice@contoso.example", t0); len(es) != 1 || es[0].Action != info.ActionReset {
		t.Fatalf("Audit: %+v", es)
	}
	if es, _ := storetest.AuditEntries(s, "", time.Time{}); len(es) != 3 {
		t.Fatalf("the whole log: %d entries", len(es))
	}

	if _, err := s.StationSecret("webhook"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Fatal(err)
	}
	s.SetStationSecret("webhook", []byte("k"))
	if b, err := s.StationSecret("webhook"); err != nil || string(b) != "k" {
		t.Fatal(b, err)
	}
	if err := s.DeleteStationSecret("never-set"); err != nil {
		t.Fatal(err)
	}
}

// The in-memory store keeps the contract of the real backends, so tests
// on it say something about the app on them.
func TestMemory_Contract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		s := New()
		return storetest.Backend{Store: s, AddPerson: func(t *testing.T, uid, password string) string {
			name := uid + "@contoso.example"
			if err := s.CreateAccount(info.Account{Name: name, PasswordHash: "$argon2id$placeholder"}); err != nil {
				t.Fatal(err)
			}
			return name
		}}
	})
}

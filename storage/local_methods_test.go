package storage

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// newAccount opens a store with one account, "Alice@Contoso.example".
func newAccount(t *testing.T, secrets SecretStore) (*Local, string) {
	t.Helper()
	l, dir := openTest(t, secrets)
	if err := l.CreateAccount(info.Account{Name: "Alice@Contoso.example"}); err != nil {
		t.Fatal(err)
	}
	return l, dir
}

func TestLocal_AddMethodAndReadBack(t *testing.T) {
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		account    string
		m          info.Method
		secret     []byte
		wantErr    error
		wantSecret bool
	}{
		{"app with seed", "alice@contoso.example", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0}, []byte("seed-1"), nil, true},
		{"phone without secret", "ALICE@contoso.example", info.Method{ID: "ph1", Kind: info.KindPhone, Label: "+1 ••• 42", Created: t0, Phone: "+15550100042"}, nil, nil, false},
		{"empty but present secret", "alice@contoso.example", info.Method{ID: "app2", Kind: info.KindAuthenticatorApp, Created: t0}, []byte{}, nil, true},
		{"no such account", "bob", info.Method{ID: "x", Kind: info.KindPhone}, nil, info.ErrNoAccount, false},
		{"no such account with secret", "bob", info.Method{ID: "x", Kind: info.KindAuthenticatorApp}, []byte("s"), info.ErrNoAccount, false},
		{"empty id", "alice@contoso.example", info.Method{Kind: info.KindPhone}, nil, errAny, false},
		{"slash in id", "alice@contoso.example", info.Method{ID: "a/b", Kind: info.KindPhone}, nil, errAny, false},
		{"HasSecret without secret", "alice@contoso.example", info.Method{ID: "x", Kind: info.KindAuthenticatorApp, HasSecret: true}, nil, errAny, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := NewMemoryKeyring()
			l, _ := newAccount(t, kr)
			err := l.AddMethod(tt.account, tt.m, tt.secret)
			if tt.wantErr != nil {
				if err == nil || (tt.wantErr != errAny && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("AddMethod error = %v, want %v", err, tt.wantErr)
				}
				if kr.Len() != 0 || journalLen(t, l) != 0 {
					t.Errorf("failed AddMethod left %d keyring items, %d journal entries", kr.Len(), journalLen(t, l))
				}
				if ids := methodIDs(t, l, "alice@contoso.example"); len(ids) != 0 {
					t.Errorf("failed AddMethod left methods %v", ids)
				}
				return
			}
			if err != nil {
				t.Fatalf("AddMethod: %v", err)
			}
			ms, err := l.Methods("Alice@Contoso.example")
			if err != nil || len(ms) != 1 {
				t.Fatalf("Methods = %v, %v", ms, err)
			}
			got := ms[0]
			if got.ID != tt.m.ID || got.Kind != tt.m.Kind || got.Label != tt.m.Label || !got.Created.Equal(t0) || got.HasSecret != tt.wantSecret {
				t.Errorf("Methods()[0] = %+v, want %+v with HasSecret %v", got, tt.m, tt.wantSecret)
			}
			if got.Phone != tt.m.Phone {
				t.Errorf("Phone = %q, want %q", got.Phone, tt.m.Phone)
			}
			s, err := l.Secret("alice@contoso.example", tt.m.ID)
			if tt.wantSecret {
				if err != nil || !bytes.Equal(s, tt.secret) {
					t.Errorf("Secret = %q, %v; want %q", s, err, tt.secret)
				}
				if kr.Len() != 1 {
					t.Errorf("keyring holds %d items, want 1", kr.Len())
				}
			} else {
				if !errors.Is(err, info.ErrSecretNotFound) {
					t.Errorf("Secret of a method without one: %v, want info.ErrSecretNotFound", err)
				}
				if kr.Len() != 0 {
					t.Errorf("a method without secret put %d items in the keyring", kr.Len())
				}
			}
			if n := journalLen(t, l); n != 0 {
				t.Errorf("journal has %d entries after a successful add", n)
			}
		})
	}
}

func TestLocal_AddMethodTwice(t *testing.T) {
	for _, withSecret := range []bool{false, true} {
		kr := NewMemoryKeyring()
		l, _ := newAccount(t, kr)
		var secret []byte
		if withSecret {
			secret = []byte("first")
		}
		if err := l.AddMethod("alice@contoso.example", info.Method{ID: "m", Kind: info.KindAuthenticatorApp}, secret); err != nil {
			t.Fatal(err)
		}
		err := l.AddMethod("ALICE@contoso.example", info.Method{ID: "m", Kind: info.KindAuthenticatorApp}, []byte("second"))
		if !errors.Is(err, info.ErrMethodExists) {
			t.Fatalf("second AddMethod (first with secret: %v): %v, want info.ErrMethodExists", withSecret, err)
		}
		if withSecret {
			if s, err := l.Secret("alice@contoso.example", "m"); err != nil || string(s) != "first" {
				t.Errorf("Secret after refused add = %q, %v; want the first", s, err)
			}
		} else if kr.Len() != 0 {
			t.Errorf("refused add left %d keyring items", kr.Len())
		}
	}
}

func TestLocal_MethodsSortedByCreatedThenID(t *testing.T) {
	l, dir := newAccount(t, NewMemoryKeyring())
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	adds := []struct {
		id string
		at time.Time
	}{
		{"c", t0.Add(time.Minute)},
		{"b", t0},
		{"z", t0.Add(-time.Hour)},
		{"a", t0},
	}
	for _, a := range adds {
		if err := l.AddMethod("alice@contoso.example", info.Method{ID: a.id, Kind: info.KindPhone, Created: a.at}, nil); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"z", "a", "b", "c"}
	if got := methodIDs(t, l, "alice@contoso.example"); !slices.Equal(got, want) {
		t.Errorf("Methods order = %v, want %v", got, want)
	}
	l = reopen(t, l, dir, NewMemoryKeyring())
	if got := methodIDs(t, l, "alice@contoso.example"); !slices.Equal(got, want) {
		t.Errorf("after reopen, Methods order = %v, want %v", got, want)
	}
	if _, err := l.Methods("nobody"); !errors.Is(err, info.ErrNoAccount) {
		t.Errorf("Methods of unknown account: %v, want info.ErrNoAccount", err)
	}
}

func TestLocal_UpdateMethod(t *testing.T) {
	errVeto := errors.New("veto")
	tests := []struct {
		name      string
		id        string
		change    func(*info.Method) error
		wantErr   error
		wantLabel string
		wantStep  int64
	}{
		{"record last step", "app", func(m *info.Method) error { m.LastStep = 42; m.Label = "Phone 2"; return nil }, nil, "Phone 2", 42},
		{"change error returned as is", "app", func(m *info.Method) error { m.Label = "x"; return errVeto }, errVeto, "Phone", 7},
		{"no such method", "nope", func(m *info.Method) error { return nil }, info.ErrNoMethod, "Phone", 7},
		{"id change refused", "app", func(m *info.Method) error { m.ID = "other"; return nil }, errAny, "Phone", 7},
		{"HasSecret change refused", "app", func(m *info.Method) error { m.HasSecret = false; return nil }, errAny, "Phone", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := newAccount(t, NewMemoryKeyring())
			m := info.Method{ID: "app", Kind: info.KindAuthenticatorApp, Label: "Phone", LastStep: 7}
			if err := l.AddMethod("alice@contoso.example", m, []byte("seed")); err != nil {
				t.Fatal(err)
			}
			err := l.UpdateMethod("ALICE@contoso.example", tt.id, tt.change)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("UpdateMethod: %v", err)
			case tt.wantErr == errAny && err == nil:
				t.Fatal("UpdateMethod succeeded, want an error")
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("UpdateMethod error = %v, want %v", err, tt.wantErr)
			}
			ms, err := l.Methods("alice@contoso.example")
			if err != nil || len(ms) != 1 {
				t.Fatalf("Methods = %v, %v", ms, err)
			}
			if ms[0].Label != tt.wantLabel || ms[0].LastStep != tt.wantStep || !ms[0].HasSecret {
				t.Errorf("after update: %+v, want label %q last step %d", ms[0], tt.wantLabel, tt.wantStep)
			}
		})
	}
}

func TestLocal_RemoveMethod(t *testing.T) {
	tests := []struct {
		name      string
		account   string
		id        string
		wantErr   error
		wantIDs   []string
		wantItems int
	}{
		{"with secret", "alice@contoso.example", "app", nil, []string{"phone"}, 0},
		{"without secret", "ALICE@CONTOSO.EXAMPLE", "phone", nil, []string{"app"}, 1},
		{"no such method", "alice@contoso.example", "nope", info.ErrNoMethod, []string{"app", "phone"}, 1},
		{"no such account", "bob", "app", info.ErrNoAccount, []string{"app", "phone"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := NewMemoryKeyring()
			l, _ := newAccount(t, kr)
			t0 := time.Now()
			if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app", Kind: info.KindAuthenticatorApp, Created: t0}, []byte("seed")); err != nil {
				t.Fatal(err)
			}
			if err := l.AddMethod("alice@contoso.example", info.Method{ID: "phone", Kind: info.KindPhone, Created: t0.Add(time.Second)}, nil); err != nil {
				t.Fatal(err)
			}
			err := l.RemoveMethod(tt.account, tt.id)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("RemoveMethod error = %v, want %v", err, tt.wantErr)
			}
			if got := methodIDs(t, l, "alice@contoso.example"); !slices.Equal(got, tt.wantIDs) {
				t.Errorf("methods left = %v, want %v", got, tt.wantIDs)
			}
			if kr.Len() != tt.wantItems {
				t.Errorf("keyring items left = %d, want %d", kr.Len(), tt.wantItems)
			}
			if _, err := l.Secret("alice@contoso.example", "app"); (tt.wantItems == 1) != (err == nil) {
				t.Errorf("Secret(app) after removal: %v", err)
			}
			if n := journalLen(t, l); n != 0 {
				t.Errorf("journal has %d entries", n)
			}
		})
	}
}

func TestLocal_RemoveAllMethods(t *testing.T) {
	kr := NewMemoryKeyring()
	l, _ := newAccount(t, kr)
	if err := l.CreateAccount(info.Account{Name: "bob"}); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"a1", "a2", "p1"} {
		var secret []byte
		if id[0] == 'a' {
			secret = []byte("seed-" + id)
		}
		if err := l.AddMethod("alice@contoso.example", info.Method{ID: id, Kind: info.KindAuthenticatorApp, Created: time.Unix(int64(i), 0)}, secret); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.AddMethod("bob", info.Method{ID: "a1", Kind: info.KindAuthenticatorApp}, []byte("bob-seed")); err != nil {
		t.Fatal(err)
	}
	n, err := l.RemoveAllMethods("Alice@contoso.example")
	if err != nil || n != 3 {
		t.Fatalf("RemoveAllMethods = %d, %v; want 3, nil", n, err)
	}
	if ids := methodIDs(t, l, "alice@contoso.example"); len(ids) != 0 {
		t.Errorf("methods left: %v", ids)
	}
	if kr.Len() != 1 {
		t.Errorf("keyring items left = %d, want bob's one", kr.Len())
	}
	if s, err := l.Secret("bob", "a1"); err != nil || string(s) != "bob-seed" {
		t.Errorf("bob's secret = %q, %v", s, err)
	}
	if n, err := l.RemoveAllMethods("alice@contoso.example"); err != nil || n != 0 {
		t.Errorf("second RemoveAllMethods = %d, %v; want 0, nil", n, err)
	}
	if _, err := l.RemoveAllMethods("nobody"); !errors.Is(err, info.ErrNoAccount) {
		t.Errorf("RemoveAllMethods(nobody) = %v, want info.ErrNoAccount", err)
	}
}

func TestLocal_CheckSecrets(t *testing.T) {
	tests := []struct {
		name    string
		fail    error
		wantErr error
	}{
		{"works", nil, nil},
		{"unavailable", info.ErrKeyringUnavailable, info.ErrKeyringUnavailable},
		{"locked", info.ErrKeyringLocked, info.ErrKeyringLocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := NewMemoryKeyring()
			l, _ := openTest(t, kr)
			kr.SetFailure(tt.fail)
			if err := l.CheckSecrets(); !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("CheckSecrets = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

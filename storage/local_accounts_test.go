package storage

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestLocal_CreateAccountAndLookUp(t *testing.T) {
	l, _ := openTest(t, NewMemoryKeyring())
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := l.CreateAccount(info.Account{Name: "Alice@Contoso.example", PasswordHash: "$argon2id$x", Created: created}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		lookup  string
		wantErr error
	}{
		{"exact", "Alice@Contoso.example", nil},
		{"lower case", "alice@contoso.example", nil},
		{"upper case and spaces", "  ALICE@CONTOSO.EXAMPLE ", nil},
		{"other name", "bob@contoso.example", info.ErrNoAccount},
		{"empty", "", info.ErrNoAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := l.Account(tt.lookup)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("info.Account(%q) error = %v, want %v", tt.lookup, err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			if a.Name != "Alice@Contoso.example" || a.PasswordHash != "$argon2id$x" || !a.Created.Equal(created) {
				t.Errorf("info.Account(%q) = %+v", tt.lookup, a)
			}
		})
	}
}

func TestLocal_CreateAccountRefuses(t *testing.T) {
	l, _ := openTest(t, NewMemoryKeyring())
	if err := l.CreateAccount(info.Account{Name: "alice"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		account string
		wantErr error
	}{
		{"same name", "alice", info.ErrAccountExists},
		{"other case", "ALICE", info.ErrAccountExists},
		{"surrounding spaces", " Alice\t", info.ErrAccountExists},
		{"empty", "", nil},
		{"only spaces", "   ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := l.CreateAccount(info.Account{Name: tt.account})
			if err == nil {
				t.Fatalf("CreateAccount(%q) succeeded", tt.account)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("CreateAccount(%q) error = %v, want %v", tt.account, err, tt.wantErr)
			}
		})
	}
	as, err := allAccounts(l)
	if err != nil || len(as) != 1 {
		t.Fatalf("Accounts() = %v, %v; want only alice", as, err)
	}
}

func TestLocal_AccountsSortedAndKeptAcrossReopen(t *testing.T) {
	l, dir := openTest(t, NewMemoryKeyring())
	for _, n := range []string{"carol", "Bob", "alice", "Dave"} {
		if err := l.CreateAccount(info.Account{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	l = reopen(t, l, dir, NewMemoryKeyring())
	as, err := allAccounts(l)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
		if a.Created.IsZero() {
			t.Errorf("account %q has no Created time", a.Name)
		}
	}
	if want := []string{"alice", "Bob", "carol", "Dave"}; !slices.Equal(names, want) {
		t.Errorf("Accounts() names = %v, want %v", names, want)
	}
}

func TestLocal_UpdateAccount(t *testing.T) {
	errVeto := errors.New("veto")
	tests := []struct {
		name         string
		account      string
		change       func(*info.Account) error
		wantErr      error // nil: success; errAny: some error
		wantFailures int
	}{
		{"count a failure", "ALICE", func(a *info.Account) error { a.Failures++; return nil }, nil, 1},
		{"change error returned as is, nothing saved", "alice", func(a *info.Account) error { a.Failures = 9; return errVeto }, errVeto, 0},
		{"no such account", "bob", func(a *info.Account) error { return nil }, info.ErrNoAccount, 0},
		{"rename refused", "alice", func(a *info.Account) error { a.Name = "mallory"; a.Failures = 5; return nil }, errAny, 0},
		{"case change allowed", "alice", func(a *info.Account) error { a.Name = "ALICE"; return nil }, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := openTest(t, NewMemoryKeyring())
			if err := l.CreateAccount(info.Account{Name: "alice"}); err != nil {
				t.Fatal(err)
			}
			err := l.UpdateAccount(tt.account, tt.change)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("UpdateAccount: %v", err)
			case tt.wantErr == errAny && err == nil:
				t.Fatal("UpdateAccount succeeded, want an error")
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("UpdateAccount error = %v, want %v", err, tt.wantErr)
			}
			a, err := l.Account("alice")
			if err != nil {
				t.Fatal(err)
			}
			if a.Failures != tt.wantFailures {
				t.Errorf("Failures = %d, want %d", a.Failures, tt.wantFailures)
			}
		})
	}
}

// errAny stands for "some error" in tables.
var errAny = errors.New("any error")

package info_test

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/sentcode"
)

// namePairs are typed names and the account they might name. Each place
// that finds, counts or rate limits by account must take a pair for the
// same account exactly when their info.AccountKey are equal: the first
// two are one account (spaces and case; İ lower-cases to i, though
// strings.EqualFold doesn't fold them), the last two are two accounts
// (ſ isn't s in lower case, though EqualFold folds them).
var namePairs = []struct {
	typed, account string
	same           bool
}{
	{"  Alex@Contoso.Example ", "alex@contoso.example", true},
	{"İvan@contoso.example", "ivan@contoso.example", true},
	{"ſam@contoso.example", "sam@contoso.example", false},
	{"alex@contoso.example", "alex2@contoso.example", false},
}

// The places that used to fold names each their own way now agree: a
// typed name signs in to, is counted, rate limited, asked questions and
// handed a security key's user handle as the account whose key it shares,
// and as no other. Reverting any of them to a fold of its own (no trim,
// EqualFold, upper case) fails here.
func TestAccountKey_EveryHomeAgrees(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for _, p := range namePairs {
		if got := info.AccountKey(p.typed) == info.AccountKey(p.account); got != p.same {
			t.Fatalf("AccountKey(%q) == AccountKey(%q) is %v, the table says %v", p.typed, p.account, got, p.same)
		}
		t.Run(p.typed, func(t *testing.T) {
			// The try slots, the counts of every sign-in.
			if got := info.TrySlot(key, p.typed) == info.TrySlot(key, p.account); got != p.same {
				t.Errorf("TrySlot: the same slot is %v", got)
			}
			a1, a2 := info.OldFactorSlotNames(p.typed)
			b1, b2 := info.OldFactorSlotNames(p.account)
			if got := a1 == b1 && a2 == b2; got != p.same {
				t.Errorf("OldFactorSlotNames: the same names is %v", got)
			}

			// The stores: the memory store, and the local data file with
			// its keyring items.
			mem := memory.New()
			local, err := storage.OpenLocal(t.TempDir(), storage.NewMemoryKeyring())
			if err != nil {
				t.Fatal(err)
			}
			defer local.Close()
			for name, s := range map[string]info.Store{"memory": mem, "local": local} {
				if err := s.CreateAccount(info.Account{Name: p.account, Created: t0}); err != nil {
					t.Fatal(err)
				}
				if err := s.AddMethod(p.account, info.Method{ID: "m1", Kind: info.KindAuthenticatorApp, Created: t0, HasSecret: true}, []byte("seed")); err != nil {
					t.Fatal(err)
				}
				a, err := s.Account(p.typed)
				if got := err == nil && a.Name == p.account; got != p.same || (!p.same && !errors.Is(err, info.ErrNoAccount)) {
					t.Errorf("%s store: Account(%q) = %q, %v", name, p.typed, a.Name, err)
				}
				if _, err := s.Secret(p.typed, "m1"); (err == nil) != p.same {
					t.Errorf("%s store: Secret(%q) error %v", name, p.typed, err)
				}
			}

			// The code senders' cap per account: the account's sends
			// count against the typed name's.
			l := sentcode.NewLimiter(sentcode.MaxSendsPerHour, sentcode.SendWindow)
			for i := range sentcode.MaxSendsPerAccount {
				if _, err := l.Reserve("+1201555010"+strconv.Itoa(i), p.account, t0); err != nil {
					t.Fatal(err)
				}
			}
			_, err = l.Reserve("+12015550199", p.typed, t0)
			if got := errors.Is(err, sentcode.ErrAccountSends); got != p.same {
				t.Errorf("sentcode: the account's cap reached for %q is %v (%v)", p.typed, got, err)
			}

			// The questions drawn on a day.
			if got := bytes.Equal(read(t, questions.DrawKey(key, "sign-in", p.typed, "2026-12-02")),
				read(t, questions.DrawKey(key, "sign-in", p.account, "2026-12-02"))); got != p.same {
				t.Errorf("questions.DrawKey: the same draw is %v", got)
			}

			// The user handle a security key is registered under.
			if got := bytes.Equal(securitykey.UserHandle(key, "contoso.example", p.typed),
				securitykey.UserHandle(key, "contoso.example", p.account)); got != p.same {
				t.Errorf("securitykey.UserHandle: the same handle is %v", got)
			}
		})
	}
}

// read is the first 64 bytes of r.
func read(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b := make([]byte, 64)
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatal(err)
	}
	return b
}

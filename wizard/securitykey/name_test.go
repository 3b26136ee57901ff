package securitykey_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
)

// The suggested name is worded by the caller (the UI, in the person's
// language) and numbered by the wizard: the first number whose words no
// registered key has, ignoring case, nor its English default (stored for
// a key named by default, whatever the language it was named in, and
// shown in the page's); nil words it in English.
func TestSetup_SuggestNameWordedByCaller(t *testing.T) {
	german := func(n int) string {
		if n < 2 {
			return "Sicherheitsschlüssel"
		}
		return fmt.Sprintf("Sicherheitsschlüssel %d", n)
	}
	for _, c := range []struct {
		labels       []string
		want, wantEN string
	}{
		{nil, "Sicherheitsschlüssel", "Security key"},
		{[]string{"Security key"}, "Sicherheitsschlüssel 2", "Security key 2"},
		{[]string{"Security key", "security key 3"}, "Sicherheitsschlüssel 2", "Security key 2"},
		{[]string{"Security key", "Security key 2"}, "Sicherheitsschlüssel 3", "Security key 3"},
		{[]string{"sicherheitsschlüssel", "Sicherheitsschlüssel 2", "Sicherheitsschlüssel 4"}, "Sicherheitsschlüssel 3", "Security key"},
	} {
		dir := memory.New()
		if err := dir.CreateAccount(info.Account{Name: "alice@contoso.example"}); err != nil {
			t.Fatal(err)
		}
		for i, l := range c.labels {
			m := info.Method{ID: fmt.Sprint("k", i), Kind: info.KindSecurityKey, Label: l, CredentialID: []byte{byte(i)}}
			if err := dir.AddMethod("alice@contoso.example", m, nil); err != nil {
				t.Fatal(err)
			}
		}
		s, err := securitykey.NewSetup(method.Context{Account: "alice@contoso.example", Dir: dir, Now: time.Now}, securitykey.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.SuggestName(german); got != c.want {
			t.Errorf("keys %q: suggested %q, want %q", c.labels, got, c.want)
		}
		if got := s.SuggestName(nil); got != c.wantEN {
			t.Errorf("keys %q: suggested in English %q, want %q", c.labels, got, c.wantEN)
		}
	}
}

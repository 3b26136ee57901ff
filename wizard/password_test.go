package wizard_test

import (
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
)

func TestHashSecret(t *testing.T) {
	h1, err := wizard.HashSecret("hunter2-hunter2", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := wizard.HashSecret("hunter2-hunter2", rand.Reader)
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h1, "hunter2") {
		t.Errorf("hash %q is not an argon2id PHC string", h1)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"hunter2-hunter2", true}, {"hunter2-hunter3", false}, {"", false}, {"HUNTER2-HUNTER2", false}} {
		ok, err := wizard.CheckSecret(h1, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("CheckSecret(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := wizard.CheckSecret(bad, "x"); !errors.Is(err, wizard.ErrBadHash) {
			t.Errorf("CheckSecret(%q) err = %v, want ErrBadHash", bad, err)
		}
	}
}

func TestValidateAccountName(t *testing.T) {
	long := strings.Repeat("a", wizard.MaxAccountName+1)
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"alice@contoso.example", "alice@contoso.example", true},
		{"  bob@contoso.example \n", "bob@contoso.example", true},
		{"ünïcode@contoso.example", "ünïcode@contoso.example", true},
		{"", "", false}, {"   ", "", false}, {long, "", false},
		{"a\x07b", "", false}, {"a\tb", "", false}, {"a b", "", false},
		{"a:b", "", false}, {"a\u0085b", "", false},
	} {
		got, err := wizard.ValidateAccountName(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ValidateAccountName(%q) = %q, %v", tc.in, got, err)
		}
		if err != nil && !errors.Is(err, wizard.ErrInvalidName) {
			t.Errorf("error %v is not ErrInvalidName", err)
		}
	}
}

func TestValidateAccountName_RefusesSpoofing(t *testing.T) {
	for _, name := range []string{"ali\u202ece", "al\u200bice", "\ufeffalice", "ali\u2066ce", "ali\x1bce", "ali\x7fce"} {
		if _, err := wizard.ValidateAccountName(name); !errors.Is(err, wizard.ErrInvalidName) {
			t.Errorf("ValidateAccountName(%q) = %v, want ErrInvalidName", name, err)
		}
	}
}

func TestParsePolicy_RefusesSpoofingNames(t *testing.T) {
	for _, org := range []string{"Con\x1btoso", "Con\x7ftoso", "Con\u202etoso"} {
		text := "organisation = \"" + strings.ReplaceAll(org, "\x1b", "\\u001b") + "\"\nrequired = [\"authenticator-app\"]\n"
		text = strings.ReplaceAll(text, "\x7f", "\\u007f")
		if _, err := wizard.ParsePolicy("p.toml", []byte(text)); err == nil {
			t.Errorf("organisation %q accepted", org)
		}
	}
}

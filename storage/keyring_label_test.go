//go:build unix

package storage

import (
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// A person looking at their keyring (Seahorse, secret-tool) reads what an
// item is and whose, and can find Security Info's items by attribute.
func TestRealKeyring_ItemsHaveLabelsAPersonUnderstands(t *testing.T) {
	needRealKeyring(t)
	l, err := OpenLocal(t.TempDir(), &OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.CreateAccount(info.Account{Name: "alice@contoso.example"}); err != nil {
		t.Fatal(err)
	}
	if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Label: "Pixel 8"}, []byte("0123456789abcdefghij")); err != nil {
		t.Fatal(err)
	}
	out, status := secretTool(t, "search", "--all", "application", "securityinfo", "account", "alice@contoso.example")
	if status != 0 {
		t.Fatalf("secret-tool search by application and account found nothing (status %d)", status)
	}
	if !strings.Contains(out, "label = Security Info: authenticator key 'Pixel 8' of alice@contoso.example") {
		t.Errorf("the item's label is not for people:\n%s", out)
	}
	if !strings.Contains(out, "attribute.method = authenticator-app") {
		t.Errorf("no method attribute:\n%s", out)
	}
	// go-keyring's own attributes stay, so the item is still read back.
	if s, err := l.Secret("alice@contoso.example", "app1"); err != nil || string(s) != "0123456789abcdefghij" {
		t.Errorf("Secret = %q, %v", s, err)
	}
}

// labellingKeyring records the labels a LabelledSecretStore is given.
type labellingKeyring struct {
	*MemoryKeyring
	labels map[string]ItemLabel
}

func (k *labellingKeyring) SetLabelled(service, user string, secret []byte, label ItemLabel) error {
	k.labels[service+" "+user] = label
	return k.Set(service, user, secret)
}

func (k *labellingKeyring) Label(service, user string) ItemLabel { return k.labels[service+" "+user] }

// A keyring that can label items is given the label a person reads.
func TestAddMethod_LabelsTheKeyringItem(t *testing.T) {
	keys := &labellingKeyring{NewMemoryKeyring(), map[string]ItemLabel{}}
	l, err := OpenLocal(t.TempDir(), keys)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.CreateAccount(info.Account{Name: "alice@contoso.example"})
	if err := l.AddMethod("alice@contoso.example", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Label: "Pixel 8"}, []byte("seed")); err != nil {
		t.Fatal(err)
	}
	got := keys.Label(l.KeyringService(), "alice@contoso.example/app1")
	if got.Label != "Security Info: authenticator key 'Pixel 8' of alice@contoso.example" ||
		got.Attributes["application"] != "securityinfo" || got.Attributes["account"] != "alice@contoso.example" {
		t.Errorf("label = %+v", got)
	}
}

package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
)

// A key saved under the English default ("Security key": by an English
// page, an earlier version or the CLI) is shown as "Sicherheitsschlüssel"
// on a German page, so the German name screen must not offer that name
// for the next key, and Save must refuse it when typed: the name it hands
// the wizard is the stored default, which the wizard finds taken.
// Otherwise the person has two keys listed under one name and can't tell
// which to remove when one is lost.
func TestSecurityKey_SuggestedNameDiffersFromShownNames(t *testing.T) {
	test.NewTempApp(t)
	useLanguageForTest(t, "de")
	const account = "alice@contoso.example"
	dir := testkit.NewStore(t, account)
	old := info.Method{ID: "k1", Kind: info.KindSecurityKey, Label: "Security key", Created: t0, CredentialID: []byte{1}, PublicKey: []byte{2}}
	if err := dir.AddMethod(account, old, nil); err != nil {
		t.Fatal(err)
	}
	k, err := securitykey.NewSetup(method.Context{Account: account, Dir: dir, Rand: testkit.Seeded(1)}, securitykey.Config{Policy: securitykey.Policy{RPID: "contoso.example"}})
	if err != nil {
		t.Fatal(err)
	}
	suggested, shown := k.SuggestName(keyName), methodLabel(old)
	if suggested == shown {
		t.Errorf("the German name screen offers %q for a new key while the key the person has is already shown as %q", suggested, shown)
	}
	if got := storedName(info.KindSecurityKey, shown); got != old.Label {
		t.Errorf("the name %q typed on the name screen is saved as %q, which the wizard doesn't compare with the key stored as %q", shown, got, old.Label)
	}
}

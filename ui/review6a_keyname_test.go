package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
)

// review6a: a key saved under the English default ("Security key": by an
// earlier version, an English station, or the CLI) is shown as
// "Sicherheitsschlüssel" on a German page (methodLabel), yet the German
// name screen offers "Sicherheitsschlüssel" for the next key too
// (SuggestName only compares stored labels), and Save accepts it. The
// person then has two keys listed under one name and can't tell which to
// remove when one is lost.
func TestReview6a_SuggestedKeyNameDiffersFromShownNames(t *testing.T) {
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
}

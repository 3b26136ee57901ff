package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/ui"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// The app's notices speak the language its window shows: in a German
// app, a change is told in German (here through the demo outbox).
func TestWiring_NoticeInTheAppsLanguage(t *testing.T) {
	pol, err := wizard.ParsePolicy("test.toml", []byte("organisation = \"Contoso\"\nlanguage = \"de\"\ndelivery = \"outbox\"\nallowed = [\"phone\"]\nrequired = [\"phone\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ui.UseLanguage(pol.Language); got != "de" {
		t.Fatalf("UseLanguage = %q", got)
	}
	t.Cleanup(func() { ui.UseLanguage("en") })
	const alice = "alice@contoso.example"
	dir := testkit.NewStore(t, alice)
	if err := dir.AddMethod(alice, info.Method{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: time.Now(), Phone: "+12015550123", Channel: "sms"}, nil); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	notices := notifier(pol, dir, sender(pol, data, dir))
	if _, err := notices.Deliver(context.Background(), "", info.ActionMethodAdded, alice, string(info.KindPhone)); err != nil {
		t.Fatal(err)
	}
	texts := mustOutbox(t, filepath.Join(data, OutboxFile))
	if len(texts) != 1 || !strings.HasPrefix(texts[0].Text, "Contoso: Ihre Sicherheitsinformationen wurden geändert: eine Methode wurde hinzugefügt (Telefon), ") {
		t.Fatalf("outbox %+v", texts)
	}
}

package notice

import (
	"context"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// marked is a Translator for a language of its own, "xx": each sentence
// in English, between guillemets.
func marked(key string, data map[string]any) string {
	if key == "" {
		return "xx"
	}
	return "«" + method.English(key, data) + "»"
}

// With a Translator, every sentence of a notice, and the names in its
// dates, are its words; what a person typed (an app password's name) is
// shown as typed, never read as a template.
func TestCompose_InTheTranslatorsLanguage(t *testing.T) {
	w := newWorld(t)
	w.n.Translate = marked
	if _, err := w.n.Deliver(context.Background(), "bob@contoso.example", info.ActionAppPasswordCreated, testAccount, "{{.Organisation}}"); err != nil {
		t.Fatal(err)
	}
	byChannel := map[method.Channel]method.Message{}
	for _, m := range w.box.Sent() {
		byChannel[m.Channel] = m
	}
	e, s := byChannel[method.ChannelEmail], byChannel[method.ChannelSMS]
	if e.Subject != "«Your Contoso security info was changed»" || e.Language != "xx" || s.Language != "xx" {
		t.Errorf("subject %q", e.Subject)
	}
	for _, want := range []string{
		"«Your Contoso security info was changed: «an app password was created» (“{{.Organisation}}”).»\n\n",
		"«Account: alice@contoso.example»\n",
		"«When: ««Friday» 1 «May» 2026, 09:00 UTC»»\n",
		"«Where: kiosk-7»\n«By: your helpdesk (bob@contoso.example)»\n\n«If this was you, there is nothing to do.»\n",
		"«If this wasn't you, contact your helpdesk right away: someone else may be\nusing your account.»\n\n",
		"«This notice goes to every email address",
	} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("the email lacks %q:\n%s", want, e.Text)
		}
	}
	if want := "«Contoso: your security info was changed: «an app password was created» (“{{.Organisation}}”), «1 «May» 2026 09:00 UTC», at kiosk-7. If this wasn't you, contact your helpdesk.»"; s.Text != want {
		t.Errorf("text %q, want %q", s.Text, want)
	}
}

// "By: your helpdesk" is left out where the actor is the account itself,
// as accounts compare names (info.AccountKey), and only then: a
// look-alike's change ("ſ", a long s, which strings.EqualFold takes for
// s) is someone else's.
func TestCompose_ByTheHelpdeskUnlessTheActorIsTheAccount(t *testing.T) {
	w := newWorld(t)
	for _, c := range []struct {
		actor string
		by    bool
	}{
		{"  Alice@Contoso.Example ", false},
		{testAccount, false},
		{"alice@contoſo.example", true},
		{"bob@contoso.example", true},
	} {
		m := w.n.compose(c.actor, info.ActionAppPasswordCreated, testAccount, "mail", t0)
		if got := strings.Contains(m.email, "By: your helpdesk"); got != c.by {
			t.Errorf("actor %q: the email says who changed it: %v, want %v\n%s", c.actor, got, c.by, m.email)
		}
	}
}

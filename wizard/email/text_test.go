package email

import (
	"strings"
	"testing"

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

// The email that registers an address and the one that proves it for a
// reset are said in the language of the context's Translator, subject and
// body, the code among the words it was given; the subject never holds
// it.
func TestTexts_InTheTranslatorsLanguage(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx(42)
	ctx.Translate = marked
	s, err := Factory(e.cfg)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.(*Setup).Send(testTyped); err != nil {
		t.Fatal(err)
	}
	m, code := e.box.Last(t), e.box.LastCode(t)
	if m.Subject != "«Your Contoso verification code»" || strings.Contains(m.Subject, code) || m.Language != "xx" {
		t.Errorf("subject %q", m.Subject)
	}
	if want := "«Use verification code " + code + " for Contoso security info registration.»\n\n«The code works for 10 minutes."; !strings.HasPrefix(m.Text, want) || !strings.HasSuffix(m.Text, "without the code.»\n") {
		t.Errorf("registration email %q, want it to start %q", m.Text, want)
	}

	if err := e.dir.AddMethod(testAccount, registered, nil); err != nil {
		t.Fatal(err)
	}
	ctx = e.ctx(7)
	ctx.Translate = marked
	p, err := ProverFactory(e.cfg)(ctx, registered)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(MaxCooldown)
	if err := p.Begin(); err != nil {
		t.Fatal(err)
	}
	m, code = e.box.Last(t), e.box.LastCode(t)
	if m.Subject != "«Your Contoso verification code»" || m.Language != "xx" ||
		!strings.HasPrefix(m.Text, "«Use verification code "+code+" to prove it's you and reset your Contoso password.»\n\n«The code works for 10 minutes.") {
		t.Errorf("reset email %+v", m)
	}
}

// Without an organisation, and without a Translator, the texts are the
// English ones; a paragraph is wrapped to MailWidth, never the line with
// the code.
func TestTexts_EnglishWithoutOrganisation(t *testing.T) {
	if got := CodeSubject(nil, " "); got != "Your verification code" {
		t.Errorf("subject %q", got)
	}
	want := "Use verification code 012345 to prove it's you and reset your password.\n\n" +
		"The code works for 10 minutes. If you didn't ask for it, don't give it to\n" +
		"anyone, and tell your helpdesk: someone may be trying to reset your\npassword.\n"
	if got := ResetText(nil, "", "012345"); got != want {
		t.Errorf("ResetText = %q, want %q", got, want)
	}
	long := RegisterText(nil, "Fabrikam Industries Worldwide Holdings International", "012345")
	if first := strings.SplitN(long, "\n", 2)[0]; !strings.Contains(first, "012345") || !strings.HasSuffix(first, "security info registration.") {
		t.Errorf("the code's line was broken: %q", long)
	}
}

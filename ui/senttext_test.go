package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/internal/smtptest"
	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/notice"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

const emailPhonePolicy = `organisation = "Contoso"
demo = true
required = ["email", "phone"]
allowed = ["email", "phone"]
`

// A person using the app in German is sent German: the email with a code
// (through a real SMTP server, umlauts intact in its subject and body)
// and the text message with a code, each with the code as it was sent.
func TestSentMessages_InTheLanguageOnScreen(t *testing.T) {
	useLanguageForTest(t, "de")
	email.SharedLimiter = email.NewLimiter(email.MaxSendsPerHour, email.SendWindow)
	phone.SharedLimiter = phone.NewLimiter(phone.MaxSendsPerHour, phone.SendWindow)
	srv := smtptest.Start(t, smtptest.Options{})
	box := &testkit.Phone{}
	mail := &delivery.SMTP{Host: srv.Host, Port: srv.Port, From: "security-info@contoso.example", FromName: "Contoso",
		Username: srv.Username, Password: srv.Password, RootCAs: srv.Pool, Timeout: 5 * time.Second}
	h := newHarnessWith(t, emailPhonePolicy, map[info.Kind]wizard.SetupFactory{
		info.KindEmail: email.Factory(email.Config{}),
		info.KindPhone: phone.NewSetup,
	}, delivery.ByChannel{Email: mail, Phone: box})
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	if s := h.u.flow.Setup(); s == nil || s.Kind() != info.KindEmail {
		t.Fatalf("setup %v, page %q", s, h.w.Title())
	}

	ev := h.u.host.views[info.KindEmail].(*emailView)
	test.Type(ev.address, "dana@fabrikam.example")
	test.Tap(h.u.host.next)
	h.u.Wait()
	ms := srv.Messages()
	if len(ms) != 1 {
		t.Fatalf("%d emails delivered; message %q", len(ms), h.u.host.message.Text)
	}
	m := ms[0]
	if got := m.DecodedSubject(); got != "Ihr Bestätigungscode für Contoso" || m.Header.Get("Content-Language") != "de" {
		t.Errorf("subject %q (raw %q)", got, m.Header.Get("Subject"))
	}
	code := testkit.CodeOf(t, wizard.Message{Text: m.Body})
	for _, want := range []string{
		"Verwenden Sie den Bestätigungscode " + code + " für die Registrierung Ihrer Sicherheitsinformationen bei Contoso.\n\n",
		"Der Code gilt 10 Minuten.",
		"denn ohne den Code ändert sich nichts.\n",
	} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("the email lacks %q:\n%s", want, m.Body)
		}
	}
	test.Type(ev.code, code)
	h.u.Wait()
	test.Tap(h.u.host.next)
	h.u.Wait()
	if s := h.u.flow.Setup(); s == nil || s.Kind() != info.KindPhone {
		t.Fatalf("setup %v, page %q, message %q", s, h.w.Title(), h.u.host.message.Text)
	}

	pv := h.u.host.views[info.KindPhone].(*phoneView)
	test.Type(pv.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	sms := box.Last(t)
	code = testkit.CodeOf(t, sms)
	if want := "Verwenden Sie den Bestätigungscode " + code + " für die Registrierung Ihrer Sicherheitsinformationen bei Contoso."; sms.Text != want || sms.Language != "de" {
		t.Errorf("text message %q, want %q", sms.Text, want)
	}
}

// The notices of a change speak the language on screen when the change
// is made: German words, weekday and month, then English again once the
// app is back in English.
func TestNotices_InTheLanguageOnScreen(t *testing.T) {
	useLanguageForTest(t, "de")
	dir := testkit.NewStore(t, "alice@contoso.example")
	for _, m := range []info.Method{
		{ID: "e1", Kind: info.KindEmail, Label: "a•••@fabrikam.example", Created: t0, Email: "alice@fabrikam.example"},
		{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: t0, Phone: "+12015550123", Channel: "voice"},
	} {
		if err := dir.AddMethod("alice@contoso.example", m, nil); err != nil {
			t.Fatal(err)
		}
	}
	box := &testkit.Phone{}
	n := &notice.Notifier{Dir: dir, Send: box, Organisation: "Contoso", Station: "kiosk-7",
		Now: func() time.Time { return t0 }, Translate: MessageTranslator}
	if sent, err := n.Deliver(context.Background(), "", info.ActionMethodAdded, "alice@contoso.example", string(info.KindAuthenticatorApp)); err != nil || sent != 2 {
		t.Fatalf("Deliver = %d, %v", sent, err)
	}
	byChannel := map[wizard.Channel]wizard.Message{}
	for _, m := range box.Sent() {
		byChannel[m.Channel] = m
	}
	e, call := byChannel[wizard.ChannelEmail], byChannel[wizard.ChannelVoice]
	if e.Subject != "Ihre Sicherheitsinformationen bei Contoso wurden geändert" || e.Language != "de" || call.Language != "de" {
		t.Errorf("subject %q", e.Subject)
	}
	for _, want := range []string{"Ihre Sicherheitsinformationen bei Contoso wurden geändert: eine Methode wurde hinzugefügt (Authenticator-App).",
		"Konto: alice@contoso.example", "Wann: Dienstag, 24. November 2026, 09:00 UTC", "Wo: kiosk-7",
		"Wenn Sie das nicht waren, wenden Sie sich sofort an Ihren Helpdesk:"} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("the email lacks %q:\n%s", want, e.Text)
		}
	}
	if !strings.Contains(call.Text, "am Dienstag, 24. November um 09:00 UTC, Ort: kiosk-7.") {
		t.Errorf("call %q", call.Text)
	}

	UseLanguage("en")
	box.ResetAttempts()
	if _, err := n.Deliver(context.Background(), "", info.ActionMethodAdded, "alice@contoso.example", string(info.KindAuthenticatorApp)); err != nil {
		t.Fatal(err)
	}
	for _, m := range box.Sent()[len(box.Sent())-2:] {
		if m.Language != "" || m.Channel == wizard.ChannelEmail && m.Subject != "Your Contoso security info was changed" ||
			m.Channel == wizard.ChannelVoice && !strings.HasPrefix(m.Text, "Hello. This is Contoso security info. Your security info was changed: a method was added (Authenticator app), on Tuesday 24 November at 09:00 UTC") {
			t.Errorf("back in English, the %s notice reads %q / %q", m.Channel, m.Subject, m.Text)
		}
	}
}

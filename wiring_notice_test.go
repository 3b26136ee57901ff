package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/smtptest"
	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/notice"
	"github.com/securityinfo/securityinfo/wizard/station"
)

// The notices of changes, wired as the app wires them: a method
// registered in the wizard, removed at the helpdesk, and a password reset
// each send one notice by email (through a real SMTP server, STARTTLS and
// AUTH) and one by text (the demo outbox), none with a code or key.
func TestWiring_NoticeForEveryChange(t *testing.T) {
	const alice, op = "alice@contoso.example", "op@contoso.example"
	const password = "correct-horse-42"
	srv := smtptest.Start(t, smtptest.Options{})
	data := t.TempDir()
	dir, err := storage.OpenLocal(data, storage.NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	policy := fmt.Sprintf(`organisation = "Contoso"
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone", "email"]
delivery = "outbox"
smtp_host = "localhost"
smtp_port = %d
smtp_from = "security-info@contoso.example"
smtp_ca_file = %q
`, srv.Port, srv.CAFile)
	pol, err := wizard.ParsePolicy("test.toml", []byte(policy))
	if err != nil {
		t.Fatal(err)
	}
	roots, err := smtpRoots("test.toml", pol)
	if err != nil {
		t.Fatal(err)
	}
	if err := station.SetSMTP(dir, station.SMTPCredentials{Username: srv.Username, Password: srv.Password}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []info.Account{{Name: alice}, {Name: op, Helpdesk: true}} {
		a.PasswordHash = testkit.CheapHash(t, password)
		if err := dir.CreateAccount(a); err != nil {
			t.Fatal(err)
		}
	}
	// The operator's own app, registered elsewhere (no notice: not through
	// the app's hook).
	opKey := []byte("operator-seed-20byte")
	if err := dir.AddMethod(op, info.Method{ID: "o1", Kind: info.KindAuthenticatorApp, Label: "Operator's phone", Created: time.Now()}, opKey); err != nil {
		t.Fatal(err)
	}
	// Email first: a password alone may still register a method (email is
	// no second factor); the phone comes after the app, below.
	if err := dir.AddMethod(alice, info.Method{ID: "e1", Kind: info.KindEmail, Label: "a•••@fabrikam.example", Created: time.Now(), Email: "alice@fabrikam.example"}, nil); err != nil {
		t.Fatal(err)
	}

	send := withEmail(pol, dir, sender(pol, data, dir), roots)
	notices := notifier(pol, dir, send)
	audit := auditor(dir, notices.Notify)
	flowFor := func(p wizard.Policy) *wizard.Flow {
		return wizard.New(wizard.Config{Policy: p, Dir: notices.Store(dir), Now: time.Now, Rand: testkit.Seeded(9),
			Setups:  map[info.Kind]wizard.SetupFactory{info.KindAuthenticatorApp: authapp.NewSetup},
			Provers: map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver},
			Send:    send, Audit: audit})
	}
	outbox := filepath.Join(data, OutboxFile)
	// waitBoth waits for n notices at the mail server and m in the outbox.
	waitBoth := func(n, m int) ([]smtptest.Message, []delivery.OutboxEntry) {
		t.Helper()
		mails := srv.Wait(t, n)
		var texts []delivery.OutboxEntry
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if texts, _ = delivery.ReadOutbox(outbox); len(texts) >= m {
				break
			}
		}
		notices.Wait(t.Context())
		mails, texts = srv.Messages(), mustOutbox(t, outbox)
		if len(mails) != n || len(texts) != m {
			t.Fatalf("%d emails and %d texts, want %d and %d", len(mails), len(texts), n, m)
		}
		return mails, texts
	}

	// 1. Alice registers an authenticator app in the wizard.
	f := flowFor(pol)
	if err := f.SignIn(alice, password); err != nil {
		t.Fatal(err)
	}
	if err := f.Next(); err != nil {
		t.Fatal(err)
	}
	app := f.Setup().(*authapp.Setup)
	for app.Screen() != authapp.ScreenTry {
		if err := app.Next(); err != nil {
			t.Fatal(err)
		}
	}
	manual := app.ManualKey()
	key, err := authapp.ParseKey(manual)
	if err != nil {
		t.Fatal(err)
	}
	code := authapp.Code(key, time.Now())
	if err := app.Submit(code); err != nil {
		t.Fatal(err)
	}
	waitBoth(1, 0)
	// Her phone, registered elsewhere: the later notices go to it too.
	if err := dir.AddMethod(alice, info.Method{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: time.Now(), Phone: "+12015550123", Channel: "sms"}, nil); err != nil {
		t.Fatal(err)
	}

	// 2. The helpdesk removes it.
	hp := pol
	hp.Mode = wizard.ModeHelpdesk
	h := flowFor(hp)
	if err := h.SignIn(op, password); err != nil {
		t.Fatal(err)
	}
	// The operator proves their own app's code (helpdesk powers need one).
	opts, err := h.ProofOptions()
	if err != nil || len(opts) == 0 {
		t.Fatalf("operator's proof options: %v %v", opts, err)
	}
	if _, err := h.StartProof(opts[0]); err != nil {
		t.Fatal(err)
	}
	if err := h.Prove([]string{authapp.Code(opKey, time.Now())}); err != nil {
		t.Fatal(err)
	}
	s, err := h.LookUp(alice)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range s.Methods {
		if m.Kind == info.KindAuthenticatorApp {
			if err := h.RemoveMethodOf(alice, m); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitBoth(2, 1)

	// 3. Her password is reset (the reset flow records password-reset
	// through the same hook).
	audit("", notice.ActionPasswordReset, alice, "")
	mails, texts := waitBoth(3, 2)

	wants := []string{"a method was added (Authenticator app)", "a method was removed (Authenticator app)", "your password was reset"}
	secrets := []string{code, manual, strings.ReplaceAll(manual, " ", ""), password, srv.Password}
	for i, m := range mails {
		if m.To[0] != "alice@fabrikam.example" || !m.TLS || m.DecodedSubject() != "Your Contoso security info was changed" {
			t.Errorf("email %d: to %v, TLS %v, subject %q", i, m.To, m.TLS, m.DecodedSubject())
		}
		if !strings.Contains(m.Body, wants[i]) || !strings.Contains(m.Body, "If this wasn't you, contact your helpdesk") ||
			!strings.Contains(m.Body, "Where: "+storage.StationName()) {
			t.Errorf("email %d says:\n%s", i, m.Body)
		}
		if i == 1 && !strings.Contains(m.Body, "By: your helpdesk (op@contoso.example)") {
			t.Errorf("the helpdesk's removal doesn't say who:\n%s", m.Body)
		}
		for _, s := range secrets {
			if strings.Contains(string(m.Raw), s) {
				t.Errorf("email %d holds a secret %q", i, s)
			}
		}
	}
	for i, e := range texts { // newest first
		want := wants[len(wants)-1-i]
		if e.To != "+12015550123" || e.Channel != "sms" || !strings.Contains(e.Text, want) || !strings.Contains(e.Text, "If this wasn't you, contact your helpdesk.") {
			t.Errorf("text %d: %+v", i, e)
		}
		for _, s := range secrets {
			if strings.Contains(e.Text, s) {
				t.Errorf("text %d holds a secret %q", i, s)
			}
		}
	}
	sentAudited := 0
	es, _ := storetest.AuditEntries(dir, alice, time.Time{})
	for _, e := range es {
		if e.Action == notice.ActionSent {
			sentAudited++
		}
		if e.Action == notice.ActionFailed {
			t.Errorf("a notice failed: %+v", e)
		}
	}
	if sentAudited != 5 {
		t.Errorf("%d notices audited as sent, want 5", sentAudited)
	}
}

func mustOutbox(t *testing.T, path string) []delivery.OutboxEntry {
	t.Helper()
	es, err := delivery.ReadOutbox(path)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// Without a mail server, email goes to the demo outbox like texts do:
// `make run` registers an email address with the code read there.
func TestWiring_EmailToTheOutboxWithoutAMailServer(t *testing.T) {
	data := t.TempDir()
	dir, err := storage.OpenLocal(data, storage.NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	pol, err := wizard.ParsePolicy("test.toml", []byte("organisation = \"Contoso\"\nrequired = [\"authenticator-app\"]\nallowed = [\"email\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	send := withEmail(pol, dir, sender(pol, data, dir), nil)
	m := wizard.Message{To: "dana@fabrikam.example", Channel: wizard.ChannelEmail, Subject: "Your Contoso verification code", Text: "Use verification code 123456."}
	if err := send.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	es := mustOutbox(t, filepath.Join(data, OutboxFile))
	if len(es) != 1 || es[0].To != m.To || es[0].Channel != wizard.ChannelEmail || es[0].Subject != m.Subject || es[0].Text != m.Text {
		t.Fatalf("outbox %+v", es)
	}
}

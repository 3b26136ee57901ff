package notice

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

var t0 = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)

const testAccount = "alice@contoso.example"

var (
	emailMethod = info.Method{ID: "e1", Kind: info.KindEmail, Label: "a•••@fabrikam.example", Created: t0, Email: "alice@fabrikam.example"}
	phoneMethod = info.Method{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: t0, Phone: "+12015550123", Channel: "sms"}
	appMethod   = info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0, HasSecret: true}
)

// world is an account with an email address and a phone, and a notifier
// whose sender keeps what it is sent.
type world struct {
	dir *testkit.Store
	box *testkit.Phone
	n   *Notifier
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{dir: testkit.NewStore(t, testAccount), box: &testkit.Phone{}}
	for _, m := range []info.Method{emailMethod, phoneMethod} {
		if err := w.dir.AddMethod(testAccount, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	w.n = &Notifier{Dir: w.dir, Send: w.box, Organisation: "Contoso", Station: "kiosk-7", Now: func() time.Time { return t0 }}
	return w
}

func (w *world) audit(t *testing.T) []info.AuditEntry {
	t.Helper()
	var out []info.AuditEntry
	_ = w.dir.EachAudit(testAccount, time.Time{}, func(a info.AuditEntry) error { out = append(out, a); return nil })
	return out
}

func TestDeliver_EveryChannelSaysWhatWhenWhere(t *testing.T) {
	w := newWorld(t)
	sent, err := w.n.Deliver(context.Background(), "", info.ActionMethodAdded, testAccount, string(info.KindAuthenticatorApp))
	if err != nil || sent != 2 {
		t.Fatalf("Deliver = %d, %v", sent, err)
	}
	ms := w.box.Sent()
	byChannel := map[method.Channel]method.Message{}
	for _, m := range ms {
		byChannel[m.Channel] = m
	}
	e, s := byChannel[method.ChannelEmail], byChannel[method.ChannelSMS]
	if e.To != "alice@fabrikam.example" || e.Subject != "Your Contoso security info was changed" {
		t.Errorf("email %+v", e)
	}
	for _, want := range []string{"a method was added (Authenticator app)", "Account: alice@contoso.example",
		"When: Friday 1 May 2026, 09:00 UTC", "Where: kiosk-7", "If this wasn't you, contact your helpdesk"} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("the email lacks %q:\n%s", want, e.Text)
		}
	}
	if strings.Contains(e.Text, "By:") {
		t.Error("a change the person made names a helpdesk")
	}
	if s.To != "+12015550123" || s.Text != "Contoso: your security info was changed: a method was added (Authenticator app), 1 May 2026 09:00 UTC, at kiosk-7. If this wasn't you, contact your helpdesk." {
		t.Errorf("text %+v", s)
	}
	var actions []string
	for _, a := range w.audit(t) {
		actions = append(actions, a.Action+" "+a.Detail)
	}
	if strings.Join(actions, "|") != "notice-sent email to a•••@fabrikam.example: method-added|notice-sent sms to +1 ••• ••• 0123: method-added" {
		t.Errorf("audited %q", actions)
	}
}

func TestNotify_OnlyTheDocumentedActions(t *testing.T) {
	w := newWorld(t)
	for _, a := range []string{info.ActionSignIn, info.ActionSignInFailed, info.ActionKioskWipe, info.ActionTAPUsed, "security-key-used", ActionSent, ActionFailed} {
		w.n.Notify("", a, testAccount, "")
	}
	w.n.Wait(context.Background())
	if w.box.Attempts() != 0 {
		t.Fatalf("%d notices for actions outside the set", w.box.Attempts())
	}
	want := []string{info.ActionMethodAdded, info.ActionMethodRemoved, ActionMethodChanged, info.ActionAppPasswordCreated,
		info.ActionAppPasswordDeleted, info.ActionReset, info.ActionTAPIssued, ActionPasswordReset}
	if len(Actions()) != len(want) {
		t.Errorf("Actions() = %v", Actions())
	}
	for _, a := range want {
		w.box.ResetAttempts()
		w.n.Notify("bob@contoso.example", a, testAccount, "Outlook\n2010")
		w.n.Wait(context.Background())
		if w.box.Attempts() != 2 {
			t.Errorf("%s: %d notices", a, w.box.Attempts())
		}
		last := w.box.Sent()[len(w.box.Sent())-2:]
		for _, m := range last {
			if m.Channel == method.ChannelEmail && !strings.Contains(m.Text, "By: your helpdesk (bob@contoso.example)") {
				t.Errorf("%s by an operator doesn't say so:\n%s", a, m.Text)
			}
			if strings.Contains(m.Text, "\n2010") {
				t.Errorf("%s: a control character from the detail reached the notice", a)
			}
		}
	}
}

// A method removed through the notifier's store still hears of it.
func TestStore_RemovedChannelGetsTheNotice(t *testing.T) {
	w := newWorld(t)
	dir := w.n.Store(w.dir)
	if err := dir.RemoveMethod(testAccount, "e1"); err != nil {
		t.Fatal(err)
	}
	w.n.Notify("", info.ActionMethodRemoved, testAccount, string(info.KindEmail))
	w.n.Wait(context.Background())
	got := map[string]bool{}
	for _, m := range w.box.Sent() {
		got[m.To] = true
	}
	if !got["alice@fabrikam.example"] || !got["+12015550123"] || len(got) != 2 {
		t.Fatalf("notified %v", got)
	}
	// Only once: the next notice goes to what is registered.
	w.box.ResetAttempts()
	w.n.Notify("", info.ActionMethodAdded, testAccount, string(info.KindAuthenticatorApp))
	w.n.Wait(context.Background())
	if w.box.Attempts() != 1 {
		t.Errorf("%d notices after, want the phone's alone", w.box.Attempts())
	}
	// Everything removed: every channel hears it.
	w.dir.AddMethod(testAccount, emailMethod, nil)
	w.box.ResetAttempts()
	if n, err := dir.RemoveAllMethods(testAccount); err != nil || n != 2 {
		t.Fatal(n, err)
	}
	w.n.Notify("bob@contoso.example", info.ActionReset, testAccount, "2 methods removed")
	w.n.Wait(context.Background())
	if w.box.Attempts() != 2 {
		t.Errorf("%d notices after a reset, want 2", w.box.Attempts())
	}
}

// A failed channel is audited and doesn't stop the others; Notify never
// waits for delivery, and a hung provider is cut off by the timeout.
func TestNotify_FailuresAuditedNeverBlocking(t *testing.T) {
	w := newWorld(t)
	failing := senderFunc(func(ctx context.Context, m method.Message) error {
		if m.Channel == method.ChannelSMS {
			return &delivery.Error{Provider: "twilio", Reason: delivery.ReasonStatus, Status: 401, Detail: "HTTP 401"}
		}
		return w.box.Send(ctx, m)
	})
	w.n.Send = failing
	sent, err := w.n.Deliver(context.Background(), "", info.ActionAppPasswordCreated, testAccount, "Outlook")
	if sent != 1 || err == nil {
		t.Fatalf("Deliver = %d, %v", sent, err)
	}
	var failed []string
	for _, a := range w.audit(t) {
		if a.Action == ActionFailed {
			failed = append(failed, a.Detail)
		}
	}
	if len(failed) != 1 || failed[0] != "sms to +1 ••• ••• 0123: app-password-created: twilio: http-status: HTTP 401" {
		t.Errorf("failures audited %q", failed)
	}

	release := make(chan struct{})
	w.box.Block(release)
	w.n.Send = w.box
	w.n.Timeout = 50 * time.Millisecond
	w.n.Notify("", info.ActionMethodAdded, testAccount, "phone") // returns with delivery blocked
	w.n.Wait(context.Background())                               // the timeout ends it
	close(release)
	timeouts := 0
	for _, a := range w.audit(t) {
		if a.Action == ActionFailed && strings.Contains(a.Detail, "deadline exceeded") {
			timeouts++
		}
	}
	if timeouts != 2 {
		t.Errorf("%d channels audited as timed out, want 2", timeouts)
	}
}

func TestNotify_NeverACode(t *testing.T) {
	w := newWorld(t)
	for _, a := range Actions() {
		if _, err := w.n.Deliver(context.Background(), "", a, testAccount, "123456"); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range w.box.Sent() {
		// Only an app password's name is shown as given, in quotes.
		if strings.Contains(m.Text, "123456") && !strings.Contains(m.Text, "an app password was") {
			t.Errorf("a detail that looks like a code is in a notice: %q", m.Text)
		}
	}
}

type senderFunc func(context.Context, method.Message) error

func (f senderFunc) Send(ctx context.Context, m method.Message) error { return f(ctx, m) }

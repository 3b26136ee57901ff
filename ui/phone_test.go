package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// toPhone signs in an account that has its authenticator app, with its
// code on "Verify your identity", and reaches the phone page.
func toPhone(t *testing.T) (*harness, *phone.Setup, *phoneView, *testkit.Phone) {
	box := &testkit.Phone{}
	phone.SharedLimiter = phone.NewLimiter(phone.MaxSendsPerHour, phone.SendWindow)
	h := newHarnessProving(t, testPolicy, map[info.Kind]wizard.SetupFactory{info.KindPhone: phone.NewSetup}, box,
		map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver})
	h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0, HasSecret: true}, append([]byte(nil), appSeed...))
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("Verify your identity")
	test.Type(h.u.verify.panel.entries[0], authapp.Code(appSeed, h.now)) // submitted on the sixth digit
	h.u.Wait()
	h.wantTitle("More information required")
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Phone")
	return h, h.u.flow.Setup().(*phone.Setup), h.u.host.views[info.KindPhone].(*phoneView), box
}

func TestPhone_TextMeACodeAndRegister(t *testing.T) {
	h, p, v, box := toPhone(t)
	h.assertCard("phone_number.xml")
	test.Type(v.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if p.Screen() != phone.ScreenCode {
		t.Fatalf("screen %s, message %q", p.Screen(), h.u.host.message.Text)
	}
	if box.Count() != 1 || box.Last(t).To != "+12015550123" || box.Last(t).Channel != wizard.ChannelSMS {
		t.Fatalf("sent %+v", box.Sent())
	}
	if ms, _ := h.dir.Methods(wizard.DemoAccount); len(ms) != 1 {
		t.Fatal("the phone was stored before its code was entered")
	}
	h.assertCard("phone_code.xml")
	if !v.resend.Disabled() || v.resend.Text != "Resend code (30 s)" {
		t.Errorf("resend = %q disabled %v", v.resend.Text, v.resend.Disabled())
	}
	test.Type(v.code, box.LastCode(t))
	h.u.Wait()
	if !p.Done() {
		t.Fatalf("not registered: %q", h.u.host.message.Text)
	}
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	var got info.Method
	for _, m := range ms {
		if m.Kind == info.KindPhone {
			got = m
		}
	}
	if len(ms) != 2 || got.Label != "+1 ••• ••• 0123" || got.Phone != "+12015550123" {
		t.Fatalf("stored %+v", ms)
	}
}

func TestPhone_BadNumberSaysWhyAndSendsNothing(t *testing.T) {
	h, p, v, box := toPhone(t)
	for _, tc := range []struct{ typed, want string }{
		{"call me maybe", "can't contain letters"},
		{"+1 900 555 0123", "premium-rate"},
		{"12", "too short"},
	} {
		v.number.SetText(tc.typed)
		test.Tap(h.u.host.next)
		h.u.Wait()
		if !strings.Contains(h.u.host.message.Text, tc.want) || p.Screen() != phone.ScreenNumber {
			t.Errorf("%q: message %q, screen %s", tc.typed, h.u.host.message.Text, p.Screen())
		}
	}
	if box.Count() != 0 {
		t.Errorf("sent %v", box.Sent())
	}
}

func TestPhone_ResendCountsDownAndKillsTheOldCode(t *testing.T) {
	h, p, v, box := toPhone(t)
	test.Type(v.number, "07400 123456")
	v.region.SetText("United Kingdom (+44)")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if p.Region().Code != "GB" {
		t.Fatalf("region %v, message %q", p.Region(), h.u.host.message.Text)
	}
	old := box.LastCode(t)
	h.now = h.now.Add(29 * time.Second)
	h.u.tick()
	if v.resend.Text != "Resend code (1 s)" {
		t.Errorf("after 29 s: %q", v.resend.Text)
	}
	h.now = h.now.Add(time.Second)
	h.u.tick()
	if v.resend.Disabled() {
		t.Fatal("Resend code still disabled after 30 s")
	}
	test.Tap(v.resend)
	h.u.Wait()
	if box.Count() != 2 || v.resend.Text != "Resend code (60 s)" {
		t.Fatalf("after resend: %d sent, button %q", box.Count(), v.resend.Text)
	}
	fresh := box.LastCode(t)
	if old != fresh {
		test.Type(v.code, old)
		h.u.Wait()
		if p.Done() {
			t.Fatal("the old code still worked after a resend")
		}
	}
	test.Type(v.code, fresh)
	h.u.Wait()
	if !p.Done() {
		t.Fatalf("the new code failed: %q", h.u.host.message.Text)
	}
}

func TestPhone_ProviderFailureLetsThePersonRetry(t *testing.T) {
	h, p, v, box := toPhone(t)
	box.SetFail(context.DeadlineExceeded)
	test.Type(v.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if p.Screen() != phone.ScreenNumber || !strings.Contains(h.u.host.message.Text, "couldn't send the code") {
		t.Fatalf("screen %s, message %q", p.Screen(), h.u.host.message.Text)
	}
	// The person reads words; the log keeps the chain with its detail.
	if got := h.u.host.message.Text; got != "We couldn't send the code. Try again, or choose a different method." {
		t.Errorf("message %q", got)
	}
	if logs := strings.Join(h.logs, "\n"); !strings.Contains(logs, "deadline exceeded") {
		t.Errorf("the log lacks the provider's error: %q", logs)
	}
	box.SetFail(nil)
	test.Tap(h.u.host.next)
	h.u.Wait()
	if p.Screen() != phone.ScreenCode {
		t.Fatalf("retry: %s %q", p.Screen(), h.u.host.message.Text)
	}
}

func TestPhone_ExpiredCodeIsRefused(t *testing.T) {
	h, p, v, box := toPhone(t)
	test.Type(v.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	h.now = h.now.Add(phone.CodeLifetime + time.Second)
	test.Type(v.code, box.LastCode(t))
	h.u.Wait()
	if p.Done() || !strings.Contains(h.u.host.message.Text, "This code has expired") {
		t.Fatalf("after 10 minutes: done %v, message %q", p.Done(), h.u.host.message.Text)
	}
}

// The phone card's title and subtitle say different things.
func TestPhone_CardDoesntSayPhoneTwice(t *testing.T) {
	h, _, _, _ := toPhone(t)
	if h.u.host.card.Title == h.u.host.card.Subtitle {
		t.Errorf("card title and subtitle are both %q", h.u.host.card.Title)
	}
}

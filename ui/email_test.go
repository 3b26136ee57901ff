package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/questions"
)

// resetPolicy requires the two password-reset methods.
const resetPolicy = `organisation = "Contoso"
demo = true
required = ["email", "security-questions"]
allowed = ["authenticator-app", "email", "security-questions"]
email_refuse_domains = ["contoso.example"]
questions_custom = true
`

// toEmail signs in and reaches the email page.
func toEmail(t *testing.T) (*harness, *email.Setup, *emailView, *testkit.Phone) {
	box := &testkit.Phone{}
	email.SharedLimiter = email.NewLimiter(email.MaxSendsPerHour, email.SendWindow)
	pol, _ := wizard.ParsePolicy("p", []byte(resetPolicy))
	h := newHarnessWith(t, resetPolicy, map[info.Kind]wizard.SetupFactory{
		info.KindEmail:             email.Factory(email.Config{RefuseDomains: pol.Email.RefuseDomains}),
		info.KindSecurityQuestions: questions.Factory(questions.Config{Register: 3, Own: true, Language: "en"}),
	}, box)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Email")
	return h, h.u.flow.Setup().(*email.Setup), h.u.host.views[info.KindEmail].(*emailView), box
}

func TestEmail_SendCodeAndRegister(t *testing.T) {
	h, e, v, box := toEmail(t)
	test.AssertRendersToMarkup(t, "email_address.xml", h.w.Canvas())
	test.Type(v.address, " Dana.Demo@Fabrikam.Example ")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if e.Screen() != email.ScreenCode {
		t.Fatalf("screen %s, message %q", e.Screen(), h.u.host.message.Text)
	}
	m := box.Last(t)
	if m.To != "Dana.Demo@fabrikam.example" || m.Channel != wizard.ChannelEmail || m.Subject == "" {
		t.Fatalf("sent %+v", m)
	}
	test.AssertRendersToMarkup(t, "email_code.xml", h.w.Canvas())
	if !v.resend.Disabled() || v.resend.Text != "Resend code (30 s)" {
		t.Errorf("resend = %q, disabled %v", v.resend.Text, v.resend.Disabled())
	}
	if ms, _ := h.dir.Methods(wizard.DemoAccount); len(ms) != 0 {
		t.Fatal("stored before the code was entered")
	}
	code := box.LastCode(t)
	test.Type(v.code, code) // submitted on the sixth digit
	h.u.Wait()
	if !e.Done() {
		t.Fatalf("not registered: %q", h.u.host.message.Text)
	}
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	if len(ms) != 1 || ms[0].Kind != info.KindEmail || ms[0].Email != "Dana.Demo@fabrikam.example" || ms[0].Label != "D•••@fabrikam.example" {
		t.Fatalf("stored %+v", ms)
	}
	if h.u.host.card.Subtitle != "Email registered" {
		t.Errorf("done screen %q", h.u.host.card.Subtitle)
	}
	for _, l := range h.logs {
		if strings.Contains(l, code) {
			t.Errorf("the code is in the log: %q", l)
		}
	}
	test.Tap(h.u.host.next)
	h.u.Wait()
	h.wantTitle("Keep your account secure — Security questions")
}

func TestEmail_RefusedDomainSaysWhyAndSendsNothing(t *testing.T) {
	h, e, v, box := toEmail(t)
	for typed, want := range map[string]string{
		"dana@contoso.example":    "You can't use an address at contoso.example here. Use a personal email address: one you can read when you can't sign in to your work account.",
		"dana@hr.contoso.example": "You can't use an address at contoso.example here.",
		"dana":                    "That isn't an email address. Check it and enter it again, like name@example.com.",
	} {
		v.address.SetText(typed)
		test.Tap(h.u.host.next)
		h.u.Wait()
		if !strings.HasPrefix(h.u.host.message.Text, want) || e.Screen() != email.ScreenAddress {
			t.Errorf("%q: message %q, screen %s", typed, h.u.host.message.Text, e.Screen())
		}
	}
	if box.Attempts() != 0 {
		t.Errorf("%d sends", box.Attempts())
	}
}

func TestEmail_ResendAndChangeEmail(t *testing.T) {
	h, e, v, box := toEmail(t)
	test.Type(v.address, "dana@fabrikam.example")
	test.Tap(h.u.host.next)
	h.u.Wait()
	old := box.LastCode(t)
	h.now = h.now.Add(30 * time.Second)
	h.u.tick()
	if v.resend.Disabled() {
		t.Fatal("Resend code still disabled after 30 s")
	}
	test.Tap(v.resend)
	h.u.Wait()
	if box.Count() != 2 || v.resend.Text != "Resend code (60 s)" {
		t.Fatalf("after resend: %d sent, %q", box.Count(), v.resend.Text)
	}
	if fresh := box.LastCode(t); fresh != old {
		test.Type(v.code, old)
		h.u.Wait()
		if e.Done() {
			t.Fatal("the replaced code still worked")
		}
	}
	tapLink(t, h.w.Canvas(), "Change email")
	if e.Screen() != email.ScreenAddress || v.address.Text != "dana@fabrikam.example" {
		t.Fatalf("after Change email: %s, %q", e.Screen(), v.address.Text)
	}
}

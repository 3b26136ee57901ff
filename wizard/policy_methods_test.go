package wizard

import (
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestParsePolicy_EmailAndQuestionSettings(t *testing.T) {
	base := "organisation = \"Contoso\"\nrequired = [\"authenticator-app\"]\nallowed = [\"email\", \"security-questions\"]\n"
	p, err := ParsePolicy("p.toml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if p.SMTP.Host != "" || p.SMTP.Port != 587 || len(p.Email.RefuseDomains) != 0 {
		t.Errorf("email defaults = %+v %+v", p.SMTP, p.Email)
	}
	if q := p.Questions; q.Register != 3 || q.Reset != 3 || q.Custom {
		t.Errorf("question defaults = %+v", q)
	}
	p, err = ParsePolicy("p.toml", []byte(base+`smtp_host = "smtp.contoso.example"
smtp_from = "security-info@contoso.example"
smtp_ca_file = "/etc/ssl/contoso.pem"
email_refuse_domains = ["Contoso.Example", "bücher.example."]
questions_register = 5
questions_reset = 2
questions_custom = true
`))
	if err != nil {
		t.Fatal(err)
	}
	if s := p.SMTP; s.Host != "smtp.contoso.example" || s.Port != 587 || s.ImplicitTLS || s.From != "security-info@contoso.example" || s.CAFile != "/etc/ssl/contoso.pem" {
		t.Errorf("smtp = %+v", s)
	}
	if d := p.Email.RefuseDomains; len(d) != 2 || d[0] != "contoso.example" || d[1] != "xn--bcher-kva.example" {
		t.Errorf("refused domains = %q", d)
	}
	if q := p.Questions; q.Register != 5 || q.Reset != 2 || !q.Custom {
		t.Errorf("questions = %+v", q)
	}
	for text, tls := range map[string]bool{
		"smtp_port = 465\n":                          true,
		"smtp_port = 2525\nsmtp_tls = \"tls\"\n":     true,
		"smtp_port = 465\nsmtp_tls = \"STARTTLS\"\n": false,
		"smtp_port = 25\n":                           false,
	} {
		p, err := ParsePolicy("p.toml", []byte(base+"smtp_host = \"mail\"\nsmtp_from = \"a@b.example\"\n"+text))
		if err != nil || p.SMTP.ImplicitTLS != tls {
			t.Errorf("%q: implicit TLS %v, %v; want %v", text, p.SMTP.ImplicitTLS, err, tls)
		}
	}
	// questions_reset defaults to at most what is registered: 3 of 3, 3 of 4.
	if p, err := ParsePolicy("p.toml", []byte(base+"questions_register = 4\n")); err != nil || p.Questions.Reset != 3 {
		t.Errorf("reset default with 4 registered = %+v, %v", p.Questions, err)
	}
	for text, want := range map[string]string{
		"smtp_from = \"a@b.example\"\n":                                          "p.toml:4: the smtp_ settings need smtp_host",
		"smtp_host = \"smtp://mail.example:587\"\n":                              "p.toml:4: smtp_host \"smtp://mail.example:587\" is not a host name",
		"smtp_host = \"mail\"\n":                                                 "p.toml:4: smtp_host needs smtp_from",
		"smtp_host = \"mail\"\nsmtp_from = \"Contoso <a@b.example>\"\n":          "p.toml:5: smtp_host needs smtp_from",
		"smtp_host = \"mail\"\nsmtp_from = \"a@b.example\"\nsmtp_port = 0\n":     "p.toml:6: smtp_port 0 is not a port",
		"smtp_host = \"mail\"\nsmtp_from = \"a@b.example\"\nsmtp_tls = \"no\"\n": "p.toml:6: smtp_tls \"no\" is not known",
		"email_refuse_domains = [\"localhost\"]\n":                               "p.toml:4: email_refuse_domains: \"localhost\" is not a domain name",
		"questions_register = 2\n":                                               "p.toml:4: questions_register is 2: it must be 3 to 5",
		"questions_register = 6\n":                                               "questions_register is 6",
		"questions_reset = 4\n":                                                  "p.toml:4: questions_reset is 4: it must be 1 to questions_register (3)",
		"questions_reset = 0\n":                                                  "questions_reset is 0",
		"delivery = \"twilio\"\ntwilio_from = \"+14255550100\"\n":                "p.toml:4: email is allowed but delivery = \"twilio\" can't send email",
		"smtp_hots = \"mail\"\n":                                                 "unknown setting \"smtp_hots\"",
	} {
		_, err := ParsePolicy("p.toml", []byte(base+text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
	// Twilio for texts and the mail server for email is fine.
	if _, err := ParsePolicy("p.toml", []byte(base+"delivery = \"twilio\"\ntwilio_from = \"+14255550100\"\nsmtp_host = \"mail\"\nsmtp_from = \"a@b.example\"\n")); err != nil {
		t.Error(err)
	}
}

// Email and security questions are for password reset only: never a
// second factor, never the default sign-in method, and a policy whose
// only methods they are is refused.
func TestResetOnlyMethods(t *testing.T) {
	for _, k := range []info.Kind{info.KindEmail, info.KindSecurityQuestions} {
		d := Describe(k)
		if d.TwoStep || !strings.HasPrefix(d.UsedFor, "Password reset authentication only.") {
			t.Errorf("%s is described as %+v", k, d)
		}
	}
	if m, ok := DefaultMethod([]info.Method{{Kind: info.KindEmail}, {Kind: info.KindSecurityQuestions}}); ok {
		t.Errorf("default sign-in method %+v among reset-only methods", m)
	}
	if m, ok := DefaultMethod([]info.Method{{Kind: info.KindEmail}, {Kind: info.KindPhone}}); !ok || m.Kind != info.KindPhone {
		t.Errorf("default sign-in method %+v, %v; want the phone", m, ok)
	}
	_, err := ParsePolicy("p.toml", []byte("organisation = \"Contoso\"\nrequired = [\"email\", \"security-questions\"]\n"))
	if err == nil || !strings.Contains(err.Error(), "no method usable for two-step verification") {
		t.Errorf("a policy of reset-only methods: %v", err)
	}
}

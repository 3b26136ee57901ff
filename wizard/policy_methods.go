package wizard

import (
	"fmt"
	"net/mail"
	"strings"

	"golang.org/x/net/idna"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// SMTPSettings say how email (codes and notices) is sent: through the
// organisation's mail server, over TLS only.
type SMTPSettings struct {
	// Host is the submission server (smtp_host); empty means email goes
	// through the policy's delivery instead (the demo outbox, a webhook).
	Host string
	// Port is smtp_port: 587 (submission with STARTTLS) unless set.
	Port int
	// From is the sender's address (smtp_from).
	From string
	// ImplicitTLS (smtp_tls = "tls") speaks TLS from the first byte, as
	// port 465 does; otherwise ("starttls") the connection must switch to
	// TLS with STARTTLS before anything is sent. Plain text is never used.
	ImplicitTLS bool
	// CAFile (smtp_ca_file) is a PEM file of authorities to trust for the
	// server's certificate; empty for the system's.
	CAFile string
}

// EmailSettings are the email method's settings.
type EmailSettings struct {
	// RefuseDomains (email_refuse_domains) are domains whose addresses,
	// and their subdomains', may not be registered: the organisation's
	// own, since a reset email must reach someone locked out of their
	// work account. Lower case, ASCII form.
	RefuseDomains []string
}

// QuestionSettings are the security questions' settings.
type QuestionSettings struct {
	// Register (questions_register) is how many questions a person
	// registers: 3 to 5, default 3.
	Register int
	// Reset (questions_reset) is how many of them a password reset asks,
	// drawn at random: 1 to Register, default 3 (at most Register).
	Reset int
	// Custom (questions_custom) lets people write questions of their own
	// besides the list that ships with the app.
	Custom bool
}

// The security questions' limits.
const (
	MinQuestions     = 3
	MaxQuestions     = 5
	DefaultQuestions = 3
)

// methodsFile is the TOML shape of the email, SMTP and security questions
// settings, embedded in policyFile.
type methodsFile struct {
	SMTPHost          string   `toml:"smtp_host"`
	SMTPPort          *int     `toml:"smtp_port"`
	SMTPFrom          string   `toml:"smtp_from"`
	SMTPTLS           string   `toml:"smtp_tls"`
	SMTPCAFile        string   `toml:"smtp_ca_file"`
	EmailRefuse       []string `toml:"email_refuse_domains"`
	QuestionsRegister *int     `toml:"questions_register"`
	QuestionsReset    *int     `toml:"questions_reset"`
	QuestionsCustom   bool     `toml:"questions_custom"`
}

// methodSettingNames lists methodsFile's keys, for the unknown-setting
// message.
const methodSettingNames = "smtp_host, smtp_port, smtp_from, smtp_tls, smtp_ca_file, email_refuse_domains, questions_register, questions_reset, questions_custom"

// methodSettings reads the email, SMTP and security questions settings
// into p (whose Delivery and Allowed are already read).
func methodSettings(f methodsFile, p *Policy) error {
	s := SMTPSettings{Host: strings.TrimSpace(f.SMTPHost), From: strings.TrimSpace(f.SMTPFrom), CAFile: strings.TrimSpace(f.SMTPCAFile), Port: 587}
	if f.SMTPPort != nil {
		s.Port = *f.SMTPPort
	}
	switch {
	case s.Host == "" && (f.SMTPPort != nil || s.From != "" || f.SMTPTLS != "" || s.CAFile != ""):
		key := "smtp_port"
		for k, v := range map[string]string{"smtp_from": s.From, "smtp_tls": f.SMTPTLS, "smtp_ca_file": s.CAFile} {
			if v != "" {
				key = k
			}
		}
		return &keySettingError{key, "the smtp_ settings need smtp_host, your mail server's name (for example \"smtp.contoso.example\")"}
	case s.Host != "" && (strings.ContainsAny(s.Host, " /:@") || !plainText(s.Host)):
		return &keySettingError{"smtp_host", fmt.Sprintf("smtp_host %q is not a host name: write the name alone, without smtp:// or a port (set smtp_port for that)", f.SMTPHost)}
	case s.Port < 1 || s.Port > 65535:
		return &keySettingError{"smtp_port", fmt.Sprintf("smtp_port %d is not a port: use 587 (submission with STARTTLS) or 465 (TLS)", s.Port)}
	}
	switch strings.ToLower(strings.TrimSpace(f.SMTPTLS)) {
	case "":
		s.ImplicitTLS = s.Port == 465
	case "starttls":
	case "tls":
		s.ImplicitTLS = true
	default:
		return &keySettingError{"smtp_tls", fmt.Sprintf("smtp_tls %q is not known: use \"starttls\" (port 587) or \"tls\" (port 465); mail is never sent without TLS", f.SMTPTLS)}
	}
	if s.Host != "" {
		if a, err := mail.ParseAddress(s.From); err != nil || a.Name != "" || a.Address != s.From {
			key := "smtp_from"
			if s.From == "" {
				key = "smtp_host"
			}
			return &keySettingError{key, fmt.Sprintf("smtp_host needs smtp_from, the address emails come from, alone (for example \"security-info@contoso.example\"); %q is not one", f.SMTPFrom)}
		}
	}
	p.SMTP = s

	for _, d := range f.EmailRefuse {
		a, err := idna.Lookup.ToASCII(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), "."))
		if err != nil || a == "" || !strings.Contains(a, ".") {
			return &keySettingError{"email_refuse_domains", fmt.Sprintf("email_refuse_domains: %q is not a domain name (for example \"contoso.example\")", d)}
		}
		p.Email.RefuseDomains = append(p.Email.RefuseDomains, a)
	}

	q := QuestionSettings{Register: DefaultQuestions, Custom: f.QuestionsCustom}
	if f.QuestionsRegister != nil {
		q.Register = *f.QuestionsRegister
	}
	if q.Register < MinQuestions || q.Register > MaxQuestions {
		return &keySettingError{"questions_register", fmt.Sprintf("questions_register is %d: it must be %d to %d", q.Register, MinQuestions, MaxQuestions)}
	}
	q.Reset = min(DefaultQuestions, q.Register)
	if f.QuestionsReset != nil {
		q.Reset = *f.QuestionsReset
	}
	if q.Reset < 1 || q.Reset > q.Register {
		return &keySettingError{"questions_reset", fmt.Sprintf("questions_reset is %d: it must be 1 to questions_register (%d), since a reset can only ask questions that were registered", q.Reset, q.Register)}
	}
	p.Questions = q

	// Twilio sends texts and calls, not email.
	if containsKind(p.Allowed, info.KindEmail) && p.Delivery == "twilio" && s.Host == "" {
		return &keySettingError{"delivery", "email is allowed but delivery = \"twilio\" can't send email: set smtp_host, smtp_from (and the credentials, with 'securityinfo provider set smtp')"}
	}
	return nil
}

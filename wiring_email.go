package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/ui"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/notice"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/station"
)

// smtpRoots reads the authorities the policy trusts for its mail server
// (smtp_ca_file), at start, so that a wrong path is said at once; nil
// means the system's.
func smtpRoots(policyFile string, pol wizard.Policy) (*x509.CertPool, error) {
	if pol.SMTP.CAFile == "" {
		return nil, nil
	}
	pool, err := delivery.CertPool(pol.SMTP.CAFile)
	if err != nil {
		return nil, fmt.Errorf("%s: smtp_ca_file: %w", policyFile, err)
	}
	return pool, nil
}

// withEmail sends email through the policy's mail server when it names
// one (smtp_host), and everything else through phones; without one,
// email goes where texts go (the demo outbox, a webhook). The mail
// server's credentials are read from the keyring at each send.
func withEmail(pol wizard.Policy, dir info.Store, phones wizard.Sender, roots *x509.CertPool) wizard.Sender {
	s := pol.SMTP
	if s.Host == "" {
		return phones
	}
	mail := senderFunc(func(ctx context.Context, m wizard.Message) error {
		c, err := station.LoadSMTP(dir)
		if err != nil {
			return cantSend("smtp", err)
		}
		return (&delivery.SMTP{Host: s.Host, Port: s.Port, ImplicitTLS: s.ImplicitTLS, From: s.From, FromName: pol.Organisation,
			Username: c.Username, Password: c.Password, RootCAs: roots}).Send(ctx, m)
	})
	return delivery.ByChannel{Email: mail, Phone: phones}
}

// emailConfig is the email method's settings for this station.
func emailConfig(pol wizard.Policy) email.Config {
	return email.Config{RefuseDomains: pol.Email.RefuseDomains, Station: storage.StationName()}
}

// questionsConfig is the security questions' settings for this station,
// the shipped questions in lang.
func questionsConfig(pol wizard.Policy, lang string) questions.Config {
	q := pol.Questions
	return questions.Config{Register: q.Register, Reset: q.Reset, Own: q.Custom, Station: storage.StationName(), Language: lang}
}

// notifier tells people of every change to their security info, through
// the station's senders.
func notifier(pol wizard.Policy, dir info.Store, send wizard.Sender) *notice.Notifier {
	return &notice.Notifier{Dir: dir, Send: send, Organisation: pol.Organisation, Station: storage.StationName(),
		Now: time.Now, Location: time.Local, Translate: ui.MessageTranslator}
}

// finishNotices gives notices still being delivered when the window
// closes a moment to go out.
func finishNotices(n *notice.Notifier) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_ = n.Wait(ctx)
}

package notice

import (
	"strings"
	"time"
	"unicode"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// message is one notice in each channel's form.
type message struct {
	subject, email, sms, voice string
	language                   string // Message.Language
}

// what says what changed, in tr's language: the action's words and, where
// the detail is a method's kind or an app password's name, which.
func what(tr method.Translator, action, detail string) string {
	w := tr.Say(changes[action], nil)
	switch action {
	case info.ActionMethodAdded, info.ActionMethodRemoved, ActionMethodChanged:
		// Only a kind the app knows: never free text where a kind goes.
		if k := info.Kind(detail); wizard.Known(k) || k == info.KindAppPassword {
			w += " (" + tr.Say(wizard.Describe(k).Title, nil) + ")"
		}
	case info.ActionAppPasswordCreated, info.ActionAppPasswordDeleted:
		if d := plain(detail); d != "" {
			w += " (“" + d + "”)"
		}
	}
	return w
}

// plain is text a person typed, made safe for a notice: control and
// invisible characters dropped, at most 60 characters.
func plain(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

// weekdays, months and shortMonths are the names a notice's dates use,
// keys of the Translator: Sunday first, January first.
var (
	weekdays    = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	months      = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	shortMonths = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// dateData is t's parts for a date sentence in tr's language: the weekday
// and the month (full, or short for a text message) by name.
func dateData(tr method.Translator, t time.Time, short bool) map[string]any {
	month := months[t.Month()-1]
	if short {
		month = shortMonths[t.Month()-1]
	}
	return map[string]any{"Weekday": tr.Say(weekdays[t.Weekday()], nil), "Day": t.Day(), "Month": tr.Say(month, nil),
		"Year": t.Year(), "Time": t.Format("15:04"), "Zone": t.Format("MST")}
}

// compose writes the notice of action on account, in the language of the
// Translator.
func (n *Notifier) compose(actor, action, account, detail string, when time.Time) message {
	tr := n.Translate
	org := strings.TrimSpace(n.Organisation)
	loc := n.Location
	if loc == nil {
		loc = time.UTC
	}
	when = when.In(loc)
	station := n.Station
	if station == "" {
		station = tr.Say("an unnamed station", nil)
	}
	change := what(tr, action, detail)
	d := map[string]any{"Organisation": org, "Change": change, "Station": station}
	m := message{language: tr.Language()}
	var first string
	if org != "" {
		m.subject = tr.Say("Your {{.Organisation}} security info was changed", d)
		first = tr.Say("Your {{.Organisation}} security info was changed: {{.Change}}.", d)
	} else {
		m.subject = tr.Say("Your security info was changed", d)
		first = tr.Say("Your security info was changed: {{.Change}}.", d)
	}
	lines := []string{
		first,
		"",
		tr.Say("Account: {{.Account}}", map[string]any{"Account": account}),
		tr.Say("When: {{.Time}}", map[string]any{"Time": tr.Say("{{.Weekday}} {{.Day}} {{.Month}} {{.Year}}, {{.Time}} {{.Zone}}", dateData(tr, when, false))}),
		tr.Say("Where: {{.Station}}", d),
	}
	if actor != "" && info.AccountKey(actor) != info.AccountKey(account) && actor != "station" {
		lines = append(lines, tr.Say("By: your helpdesk ({{.Operator}})", map[string]any{"Operator": plain(actor)}))
	}
	lines = append(lines, "",
		tr.Say("If this was you, there is nothing to do.", nil),
		method.Wrap(tr.Say("If this wasn't you, contact your helpdesk right away: someone else may be using your account.", nil), email.MailWidth),
		"",
		method.Wrap(tr.Say("This notice goes to every email address and phone registered for your security info. It never contains a code or a password: don't trust a message that asks you for one.", nil), email.MailWidth),
		"")
	m.email = strings.Join(lines, "\n")

	d["Time"] = tr.Say("{{.Day}} {{.Month}} {{.Year}} {{.Time}} {{.Zone}}", dateData(tr, when, true))
	if org != "" {
		m.sms = tr.Say("{{.Organisation}}: your security info was changed: {{.Change}}, {{.Time}}, at {{.Station}}. If this wasn't you, contact your helpdesk.", d)
	} else {
		m.sms = tr.Say("Your security info was changed: {{.Change}}, {{.Time}}, at {{.Station}}. If this wasn't you, contact your helpdesk.", d)
	}
	d["Time"] = tr.Say("{{.Weekday}} {{.Day}} {{.Month}} at {{.Time}} {{.Zone}}", dateData(tr, when, false))
	if org != "" {
		m.voice = tr.Say("Hello. This is {{.Organisation}} security info. Your security info was changed: {{.Change}}, on {{.Time}}, at {{.Station}}. If this wasn't you, contact your helpdesk. Again: if this wasn't you, contact your helpdesk.", d)
	} else {
		m.voice = tr.Say("Hello. This is security info. Your security info was changed: {{.Change}}, on {{.Time}}, at {{.Station}}. If this wasn't you, contact your helpdesk. Again: if this wasn't you, contact your helpdesk.", d)
	}
	return m
}

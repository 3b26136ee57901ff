package notice

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// message is one notice in each channel's form.
type message struct {
	subject, email, sms, voice string
}

// what says what changed: the action's words and, where the detail is a
// method's kind or an app password's name, which.
func what(action, detail string) string {
	w := changes[action]
	switch action {
	case info.ActionMethodAdded, info.ActionMethodRemoved, ActionMethodChanged:
		// Only a kind the app knows: never free text where a kind goes.
		if k := info.Kind(detail); wizard.Known(k) || k == info.KindAppPassword {
			w += " (" + wizard.Describe(k).Title + ")"
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

// compose writes the notice of action on account.
func (n *Notifier) compose(actor, action, account, detail string, when time.Time) message {
	org := strings.TrimSpace(n.Organisation)
	orgSp := ""
	if org != "" {
		orgSp = org + " "
	}
	loc := n.Location
	if loc == nil {
		loc = time.UTC
	}
	at := when.In(loc).Format("Monday 2 January 2006, 15:04 MST")
	station := n.Station
	if station == "" {
		station = "an unnamed station"
	}
	change := what(action, detail)
	by := ""
	if actor != "" && !strings.EqualFold(actor, account) && actor != "station" {
		by = fmt.Sprintf("By: your helpdesk (%s)\n", plain(actor))
	}
	var m message
	m.subject = fmt.Sprintf("Your %ssecurity info was changed", orgSp)
	m.email = fmt.Sprintf(`Your %ssecurity info was changed: %s.

Account: %s
When: %s
Where: %s
%s
If this was you, there is nothing to do.
If this wasn't you, contact your helpdesk right away: someone else may be
using your account.

This notice goes to every email address and phone registered for your
security info. It never contains a code or a password: don't trust a
message that asks you for one.
`, orgSp, change, account, at, station, by)
	short := when.In(loc).Format("2 Jan 2006 15:04 MST")
	prefix := ""
	if org != "" {
		prefix = org + ": "
	}
	m.sms = fmt.Sprintf("%syour security info was changed: %s, %s, at %s. If this wasn't you, contact your helpdesk.", prefix, change, short, station)
	m.voice = fmt.Sprintf("Hello. This is %ssecurity info. Your security info was changed: %s, on %s, at %s. If this wasn't you, contact your helpdesk. Again: if this wasn't you, contact your helpdesk.",
		orgSp, change, when.In(loc).Format("Monday 2 January at 15:04 MST"), station)
	return m
}

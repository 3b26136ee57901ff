package ui

import (
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// outboxWindow shows the demo outbox: the texts, calls and e-mails the app
// would have sent, clearly marked as not sent anywhere.
type outboxWindow struct {
	u    *UI
	win  fyne.Window
	list *fyne.Container
	// seen is the file's size and time when last read: follow reads it
	// again when they change.
	seen struct {
		size int64
		mod  time.Time
	}
}

// follow reads the outbox again if its file changed since it was last
// read, so that a new code shows without Refresh (the UI's tick calls it).
func (o *outboxWindow) follow() {
	type stat struct {
		size int64
		mod  time.Time
	}
	background(o.u, func() stat {
		fi, err := os.Stat(o.u.opts.OutboxPath)
		if err != nil {
			return stat{}
		}
		return stat{fi.Size(), fi.ModTime()}
	}, func(st stat) {
		if o.u.outbox == o && (st.size != o.seen.size || !st.mod.Equal(o.seen.mod)) {
			o.seen.size, o.seen.mod = st.size, st.mod
			o.refresh()
		}
	})
}

// outboxHint is what a code screen shows when codes go to the demo
// outbox: a link that opens it, or on a kiosk, where the next person
// mustn't read the last one's messages, where the code is, so that a kiosk
// demo can still be finished. Nil when codes go elsewhere.
func (u *UI) outboxHint() fyne.CanvasObject {
	if u.opts.OutboxPath == "" {
		return nil
	}
	if !u.isKiosk() {
		return link(lang.L("Demo: open the outbox to read the code"), u.showOutbox)
	}
	l := widget.NewLabel(lang.L("Demo station: nothing is really sent. The code is in the demo outbox, the file {{.OutboxPath}} on this computer; this kiosk doesn't show it, so that the next person can't read it.", map[string]any{"OutboxPath": u.opts.OutboxPath}))
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	return l
}

// showOutbox opens (or raises) the demo outbox window.
func (u *UI) showOutbox() {
	if u.outbox == nil {
		o := &outboxWindow{u: u, list: container.NewVBox()}
		o.win = u.app.NewWindow(lang.L("Security Info — Demo outbox"))
		warn := widget.NewLabelWithStyle(lang.L("Demo outbox: these messages were NOT sent anywhere. In demo mode, codes for text messages and calls appear here instead of on a phone."), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		warn.Wrapping = fyne.TextWrapWord
		warn.Importance = widget.WarningImportance
		o.win.SetContent(container.NewBorder(
			container.NewVBox(warn, newButton(lang.L("Refresh"), o.refresh)), nil, nil, nil,
			container.NewVScroll(o.list)))
		o.win.Resize(fyne.NewSize(520, 480))
		o.win.SetOnClosed(func() { u.outbox = nil })
		u.outbox = o
	}
	u.outbox.refresh()
	u.outbox.win.Show()
}

// refresh reads the outbox off the UI thread, then lists its messages,
// newest first.
func (o *outboxWindow) refresh() {
	type result struct {
		msgs []delivery.OutboxEntry
		err  error
	}
	background(o.u, func() result {
		msgs, err := delivery.ReadOutbox(o.u.opts.OutboxPath)
		return result{msgs, err}
	}, func(r result) { o.fill(r.msgs, r.err) })
}

// channelName is how the outbox names a message's channel in the
// reader's language (the file holds "sms", "voice", "email"). The
// message itself is shown as it was sent: the wizard words it in English
// for whoever receives it.
func channelName(ch method.Channel) string {
	switch ch {
	case method.ChannelSMS:
		return lang.L("Text message")
	case method.ChannelVoice:
		return lang.L("Phone call")
	case method.ChannelEmail:
		return lang.L("Email")
	}
	return string(ch)
}

// fill lists the messages.
func (o *outboxWindow) fill(msgs []delivery.OutboxEntry, err error) {
	o.list.RemoveAll()
	if err != nil {
		o.list.Add(para(o.u.say(err)))
		return
	}
	if len(msgs) == 0 {
		o.list.Add(widget.NewLabel(lang.L("No messages yet.")))
	}
	for _, m := range msgs {
		l := widget.NewLabel(lang.L("{{.Time}}  {{.Channel}} to {{.To}}\n{{.Text}}", map[string]any{"Time": m.Time.Local().Format("15:04:05"), "Channel": channelName(m.Channel), "To": m.To, "Text": m.Text}))
		l.Wrapping = fyne.TextWrapWord
		o.list.Add(l)
	}
}

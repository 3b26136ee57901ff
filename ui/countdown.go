package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// countdown is a wait shown on a label, counted down every second.
type countdown struct {
	label *widget.Label
	until time.Time
}

// sayWait shows on l what a person reads about err (u.say). A wait after
// failed tries (*regulation.WaitError) is counted down every second until
// it is over, then says the person can try again.
func (u *UI) sayWait(l *widget.Label, err error) {
	l.SetText(u.say(err))
	var w *regulation.WaitError
	if errors.As(err, &w) {
		u.waits = append(u.waits, countdown{l, u.now().Add(w.Wait)})
	}
}

// tickWaits counts the waits on screen down.
func (u *UI) tickWaits() {
	kept := u.waits[:0]
	for _, c := range u.waits {
		left := c.until.Sub(u.now())
		if left <= 0 {
			c.label.SetText(lang.L("You can try again now."))
			continue
		}
		c.label.SetText(tooManyAttempts(left))
		kept = append(kept, c)
	}
	u.waits = kept
}

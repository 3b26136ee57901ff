package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
)

// hostPage is the "Keep your account secure" wizard: progress, the
// current method's screen, Back and Next, "I want to set up a different
// method" and Cancel.
type hostPage struct {
	u     *UI
	views methodViews

	progress *widget.Label
	steps    *widget.Label
	card     *widget.Card
	message  *widget.Label
	back     *keyButton
	skip     *keyButton
	next     *keyButton
	activity *widget.Activity
	box      fyne.CanvasObject
	view     methodView
	// busy is set while a method works in the background (sending a code,
	// saving to the keyring, hashing): nothing else may touch its setup
	// until it finishes.
	busy bool
	// reported is the unavailable method whose reason was last logged.
	reported *wizard.Unavailable
	// resume is the setup whose Next was refused for want of a recent
	// second factor (wizard.ErrReauthNeeded) while "Verify your identity"
	// is open over it: once the person confirms it's them, that Next
	// runs again (resumeAfterProof), with what they typed.
	resume wizard.Setup
}

func newHostPage(u *UI) *hostPage {
	p := &hostPage{u: u, views: methodViews{}}
	p.buildUI()
	return p
}

func (p *hostPage) buildUI() {
	pol := p.u.flow.Policy()
	p.progress = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.steps = widget.NewLabel("")
	p.card = widget.NewCard("", "", nil)
	p.message = errorLabel()
	p.back = newButton(lang.L("Back"), p.onBack)
	p.skip = newButton(lang.L("Skip for now"), p.onSkip)
	p.next = newButton(lang.L("Next"), p.onNext)
	p.next.Importance = widget.HighImportance
	p.activity = widget.NewActivity()
	p.activity.Hide()
	// The method's screen scrolls; the way forward and out stays in view.
	org := widget.NewLabelWithStyle(pol.Organisation, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head := heading(lang.L("Keep your account secure"))
	intro := para(lang.L("{{.Organisation}} requires you to set up the following methods of proving who you are.", map[string]any{"Organisation": pol.Organisation}))
	top := container.NewVBox(
		org,
		head,
		intro,
		container.NewHBox(p.progress, layoutSpacer(), p.steps),
	)
	bottom := container.NewVBox(
		container.NewHBox(p.back, layoutSpacer(), p.activity, p.skip, p.next),
		container.NewHBox(link(lang.L("I want to set up a different method"), p.onChooser), layoutSpacer(), link(lang.L("Cancel"), p.onCancel)),
	)
	// In a short window the organisation's name and sentence, then the
	// heading (the window's title says it too), give their room to the
	// method's screen (a QR code needs about 400 units with the card's
	// title and instructions).
	frame := &frameLayout{top: top, optional: []fyne.CanvasObject{org, intro, head}, centerWant: 430}
	p.box = column(container.New(frame, top, container.NewVScroll(p.card), bottom))
}

// viewFor returns the method view for the setup in progress.
func (p *hostPage) viewFor(s wizard.Setup) methodView {
	if _, ok := s.(*wizard.Unavailable); !ok {
		if v, ok := p.views[s.Kind()]; ok {
			return v
		}
	}
	return unavailableView{p.u}
}

func (p *hostPage) title() string {
	if st, ok := p.u.flow.Step(); ok {
		return lang.L("Keep your account secure — {{.Method}}", map[string]any{"Method": translate(wizard.Describe(st.Kind).Title)})
	}
	return lang.L("Keep your account secure")
}

func (p *hostPage) content() fyne.CanvasObject {
	p.refresh()
	return p.box
}

func (p *hostPage) focus() fyne.Focusable {
	if s := p.u.flow.Setup(); s != nil {
		return p.viewFor(s).focus(s)
	}
	return nil
}

// refresh redraws the host for the flow's current step and screen.
func (p *hostPage) refresh() {
	s := p.u.flow.Setup()
	st, ok := p.u.flow.Step()
	if s == nil || !ok {
		return
	}
	n, total := p.u.flow.Progress()
	p.progress.SetText(lang.L("Method {{.N}} of {{.Total}}: {{.ShortName}}", map[string]any{"N": n, "Total": total, "ShortName": shortName(st.Kind)}))
	var names []string
	for _, x := range p.u.flow.Journey() {
		mark := "○"
		switch {
		case x.Done:
			mark = "✓"
		case x.Current:
			mark = "●"
		}
		names = append(names, mark+" "+shortName(x.Kind))
	}
	p.steps.SetText(strings.Join(names, "   "))
	p.view = p.viewFor(s)
	if un, ok := s.(*wizard.Unavailable); ok && un.Err != nil && un != p.reported {
		p.reported = un // why it can't be set up, for the log, once
		p.u.logf("%s can't be set up: %v", un.Kind(), un.Err)
	}
	// One refresh, not one per setter: each re-applies the theme to the
	// whole card (its icons' SVG parsed again), a third of a show.
	p.card.Title = translate(wizard.Describe(st.Kind).Title)
	p.card.Subtitle = p.view.heading(s)
	// What went wrong shows right under the method's fields; a screen
	// that fills the card (the QR code's) has it at the card's foot.
	body := p.view.body(s)
	if c, ok := body.(*fyne.Container); ok && isGrowing(c) {
		p.card.Content = container.NewBorder(nil, collapsing(p.message), nil, nil, body)
	} else {
		p.card.Content = container.NewVBox(body, p.message)
	}
	p.card.Refresh()
	if p.u.flow.CanBack() {
		p.back.Enable()
	} else {
		p.back.Disable()
	}
	if st.Optional && !s.Done() && p.u.flow.LeaveWarning() == "" {
		p.skip.Show()
	} else {
		p.skip.Hide()
	}
	if s.Done() || p.view.canNext(s) {
		p.next.Enable()
	} else {
		p.next.Disable()
	}
	if s.Done() && n == total {
		p.next.SetText(lang.L("Done"))
	} else {
		p.next.SetText(lang.L("Next"))
	}
}

func (p *hostPage) onEnter() { p.onNext() }

func (p *hostPage) onNext() {
	s := p.u.flow.Setup()
	if s == nil || p.next.Disabled() {
		return
	}
	p.message.SetText("")
	if s.Done() {
		p.u.transition(p.u.flow.Next, nil)
		return
	}
	p.next.Disable()
	p.activity.Show()
	p.activity.Start()
	p.busy = true
	p.back.Disable()
	p.view.next(s, func(err error) {
		p.busy = false
		p.activity.Stop()
		p.activity.Hide()
		if errors.Is(err, wizard.ErrReauthNeeded) && p.u.flow.Page() == wizard.PageMethod && p.u.flow.Setup() == s {
			// The save needs a second factor from the last 10 minutes:
			// confirm it's you over this page, whose method stays as it
			// was, and come back to finish it.
			if err := p.u.flow.OpenVerify(); err == nil {
				p.resume = s
				p.u.show()
				return
			}
		}
		err = p.u.handle(err)
		if err != nil {
			p.message.SetText(p.u.say(err))
			// An error may name the field to fix ("Question 3: …"): the
			// keyboard goes there, not back to the view's first field,
			// so no one Tabs through every row to reach it.
			if f, ok := p.view.(errorFocuser); ok {
				if w := f.focusFor(err); w != nil {
					p.u.win.Canvas().Focus(w)
				}
			}
		}
	})
}

// resumeAfterProof runs again the Next that was refused for want of a
// recent second factor, now that the person confirmed it's them and is
// back on the method's page: a code they typed, still good, saves the
// method without being typed again (one that was cleared, an app's, which
// has moved on since, is asked for anew).
func (p *hostPage) resumeAfterProof() {
	s := p.resume
	p.resume = nil
	if s == nil || p.u.flow.Page() != wizard.PageMethod || p.u.flow.Setup() != s || s.Done() {
		return
	}
	p.onNext()
}

// errorFocuser is a method view whose errors can name one of its fields.
type errorFocuser interface {
	// focusFor returns the field err is about, or nil.
	focusFor(err error) fyne.Focusable
}

func (p *hostPage) onBack() {
	p.confirmLeave(func() {
		p.message.SetText("")
		_ = p.u.handle(p.u.flow.Back())
	})
}

func (p *hostPage) onSkip() {
	p.message.SetText("")
	p.u.transition(p.u.flow.Skip, func(err error) {
		if err != nil {
			p.message.SetText(p.u.say(err))
		}
	})
}

func (p *hostPage) onChooser() {
	p.confirmLeave(func() {
		p.message.SetText("")
		_ = p.u.handle(p.u.flow.OpenChooser())
	})
}

// onCancel signs out, after asking when a method is under way (its QR
// code shown, a code sent): that would be thrown away.
func (p *hostPage) onCancel() {
	if p.busy || p.u.moving {
		p.message.SetText(lang.L("Wait a moment: your security info is being saved."))
		return
	}
	warning := p.u.flow.CancelWarning()
	if warning != "" && p.u.flow.LeaveWarning() == "" && p.u.flow.Setup() != nil {
		// The flow's own words name the method inside: say them here.
		warning = lang.L("What you started for {{.Method}} is thrown away: a QR code you scanned or a code you were sent stops working, and you'll start this method again next time. Methods you already registered stay registered.",
			map[string]any{"Method": translate(wizard.Describe(p.u.flow.Setup().Kind()).Title)})
	}
	if warning == "" {
		p.u.wipe()
		return
	}
	d := p.u.newConfirm(lang.L("Sign out without finishing?"), translate(warning), func(ok bool) {
		if ok {
			p.u.wipe()
		}
	})
	d.SetConfirmText(lang.L("Sign out"))
	d.SetDismissText(lang.L("Stay"))
	d.Show()
}

// confirmLeave runs leave at once, or after the person confirms a
// method's leave warning. Nothing leaves while a method works in the
// background: its save must finish (or fail) first.
func (p *hostPage) confirmLeave(leave func()) {
	if p.busy || p.u.moving {
		p.message.SetText(lang.L("Wait a moment: your security info is being saved."))
		return
	}
	warning := p.u.flow.LeaveWarning()
	if warning == "" {
		leave()
		return
	}
	p.u.newConfirm(lang.L("Leave this page?"), translate(warning), func(ok bool) {
		if ok {
			leave()
		}
	}).Show()
}

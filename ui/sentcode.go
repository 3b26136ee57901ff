package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/sentcode"
)

// codeSetup is a registration that sent a code by a message and waits for
// it (email, phone: both sentcode.Setups): what the sentCode piece needs.
type codeSetup interface {
	wizard.Setup
	Masked() string
	Resend() error
	Submit(code string) error
	CooldownLeft() time.Duration
	CodeComplete(typed string) bool
}

// sentCode is the "enter the code we sent" piece of the email and phone
// views: the code field (submitted on its last digit), Resend code with
// its countdown, and the Change link back to the address or number.
type sentCode struct {
	u      *UI
	screen string // the setup's code screen, where the countdown runs

	code      *widget.Entry
	resend    *keyButton
	submitted string // the code last submitted, so that it goes once
}

func newSentCode(u *UI, screen string) *sentCode {
	p := &sentCode{u: u, screen: screen}
	p.code = widget.NewEntry()
	p.code.SetPlaceHolder(lang.L("Enter code"))
	p.code.OnChanged = func(s string) { p.u.touch(); p.onCodeChanged(s) }
	p.code.OnSubmitted = func(string) {
		// Enter after the last digit, which registered the method already,
		// must not pass by the done screen ("SMS verified").
		if s := p.u.flow.Setup(); s != nil && !s.Done() {
			p.u.host.onNext()
		}
	}
	p.resend = newButton(lang.L("Resend code"), p.onResend)
	return p
}

// setup is the flow's setup, if it sends codes.
func (p *sentCode) setup() (codeSetup, bool) {
	s, ok := p.u.flow.Setup().(codeSetup)
	return s, ok
}

// body draws the code screen: sent says where the code went, hint (if
// any) where the demo outbox is; change goes back to the address or
// number, returning what to focus there (nil: nothing).
func (p *sentCode) body(s codeSetup, sent string, hint fyne.CanvasObject, changeLabel string, change func() fyne.Focusable) fyne.CanvasObject {
	p.updateResend(s)
	items := []fyne.CanvasObject{para(sent)}
	if hint != nil {
		items = append(items, hint)
	}
	return container.NewVBox(append(items,
		widget.NewForm(widget.NewFormItem(lang.L("Code"), p.code)),
		container.NewHBox(p.resend, link(changeLabel, func() {
			focus := change()
			p.code.SetText("")
			p.u.host.refresh()
			if focus != nil {
				p.u.win.Canvas().Focus(focus)
			}
		})),
	)...)
}

// updateResend shows the cooldown on the Resend code button.
func (p *sentCode) updateResend(s codeSetup) {
	if left := s.CooldownLeft(); left > 0 {
		p.resend.SetText(lang.L("Resend code ({{.Left}} s)", map[string]any{"Left": int((left + time.Second - 1) / time.Second)}))
		p.resend.Disable()
		return
	}
	p.resend.SetText(lang.L("Resend code"))
	p.resend.Enable()
}

// tick counts the resend cooldown down.
func (p *sentCode) tick() {
	if s, ok := p.setup(); ok && s.Screen() == p.screen {
		p.updateResend(s)
	}
}

func (p *sentCode) onResend() {
	s, ok := p.setup()
	if !ok {
		return
	}
	p.resend.Disable()
	p.u.host.message.SetText("")
	background(p.u, s.Resend, func(err error) {
		p.code.SetText("")
		p.submitted = ""
		p.updateResend(s)
		p.u.win.Canvas().Focus(p.code) // the new code goes here next
		if err != nil {
			p.u.host.message.SetText(p.u.say(err))
		}
	})
}

// onCodeChanged submits on the code's last digit, once per code typed.
func (p *sentCode) onCodeChanged(text string) {
	if s, ok := p.setup(); ok && s.CodeComplete(text) && text != p.submitted {
		p.submitted = text
		p.u.host.onNext()
	}
}

// submit checks the code typed in the background; finish gets Submit's
// error. A wrong code stays submitted (typing it again does nothing); a
// short one stays in the field for its last digit.
func (p *sentCode) submit(s codeSetup, finish func(error)) {
	code := p.code.Text
	// Submit saves the method once the code is right.
	background(p.u, func() error { return s.Submit(code) }, func(err error) {
		var wrong *sentcode.WrongCodeError
		if err != nil && !errors.As(err, &wrong) {
			p.submitted = ""
		}
		switch {
		case errors.Is(err, sentcode.ErrCodeFormat), errors.Is(err, wizard.ErrReauthNeeded):
			// Five digits stay, for the sixth; and a right code whose
			// save waits for the person to confirm it's them stays (it
			// still works), so that it saves on their return untyped.
		case wrong != nil:
			dropChecked(p.code, code)
		default:
			p.code.SetText("")
		}
		finish(err)
	})
}

// send runs send (the setup's Send with what was typed: it may take up to
// the provider's or mail server's 10 s time limit) in the background; a
// code sent clears the field for it. finish gets send's error.
func (p *sentCode) send(send func() error, finish func(error)) {
	background(p.u, send, func(err error) {
		if err == nil {
			p.wipe()
		}
		finish(err)
	})
}

// wipe forgets the code typed (for the last person, or before a new one).
func (p *sentCode) wipe() {
	p.code.SetText("")
	p.submitted = ""
}

// dropChecked takes the code a wrong answer was given for out of e, and
// only it: digits typed while it was checked are the next try's (a slow
// check, on a loaded machine, erased the next code's first digits).
func dropChecked(e *widget.Entry, code string) {
	e.SetText(strings.TrimPrefix(e.Text, code))
}

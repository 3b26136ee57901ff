package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/email"
)

// emailView draws the email method's screens: the address, the code that
// was emailed (Resend code, Change email), registered.
type emailView struct {
	u *UI

	address   *widget.Entry
	code      *widget.Entry
	resend    *keyButton
	submitted string
}

func newEmailView(u *UI) *emailView {
	v := &emailView{u: u}
	v.address = widget.NewEntry()
	v.address.SetPlaceHolder(lang.L("Email address"))
	v.address.OnChanged = func(string) { v.u.touch() }
	v.address.OnSubmitted = func(string) { v.u.host.onNext() }
	v.code = widget.NewEntry()
	v.code.SetPlaceHolder(lang.L("Enter code"))
	v.code.OnChanged = func(s string) { v.u.touch(); v.onCodeChanged(s) }
	v.code.OnSubmitted = func(string) { v.u.host.onNext() }
	v.resend = newButton(lang.L("Resend code"), v.onResend)
	return v
}

func (v *emailView) setup(s wizard.Setup) *email.Setup {
	e, _ := s.(*email.Setup)
	return e
}

func (v *emailView) heading(s wizard.Setup) string {
	switch v.setup(s).Screen() {
	case email.ScreenAddress:
		return lang.L("Email")
	case email.ScreenCode:
		return lang.L("Enter code")
	default:
		return lang.L("Email registered")
	}
}

func (v *emailView) body(s wizard.Setup) fyne.CanvasObject {
	e := v.setup(s)
	switch e.Screen() {
	case email.ScreenAddress:
		note := para(lang.L("Use a personal address you can read when you can't sign in to your work account. Email is for resetting your password only: you'll need another method for two-factor verification."))
		note.Importance = widget.LowImportance
		return container.NewVBox(
			para(lang.L("You can prove who you are with a code we email you, when you reset your password.")),
			para(lang.L("What email address would you like to use?")),
			widget.NewForm(widget.NewFormItem(lang.L("Email"), v.address)),
			note,
		)
	case email.ScreenCode:
		v.updateResend(e)
		items := []fyne.CanvasObject{para(sentText(false, e.Masked(), email.CodeDigits))}
		// The demo outbox holds email only when no mail server sends it.
		if hint := v.u.outboxHint(); hint != nil && v.u.flow.Policy().SMTP.Host == "" {
			items = append(items, hint)
		}
		return container.NewVBox(append(items,
			widget.NewForm(widget.NewFormItem(lang.L("Code"), v.code)),
			container.NewHBox(v.resend, link(lang.L("Change email"), func() {
				e.ChangeAddress()
				v.address.SetText(e.Typed())
				v.code.SetText("")
				v.u.host.refresh()
				v.u.win.Canvas().Focus(v.address)
			})),
		)...)
	default:
		return container.NewVBox(widget.NewIcon(theme.ConfirmIcon()), para(translate(email.DoneText)))
	}
}

// updateResend shows the cooldown on the Resend code button.
func (v *emailView) updateResend(e *email.Setup) {
	if left := e.CooldownLeft(); left > 0 {
		v.resend.SetText(lang.L("Resend code ({{.Left}} s)", map[string]any{"Left": int((left + time.Second - 1) / time.Second)}))
		v.resend.Disable()
		return
	}
	v.resend.SetText(lang.L("Resend code"))
	v.resend.Enable()
}

// tick counts the resend cooldown down.
func (v *emailView) tick() {
	if e, ok := v.u.flow.Setup().(*email.Setup); ok && e.Screen() == email.ScreenCode {
		v.updateResend(e)
	}
}

func (v *emailView) onResend() {
	e, ok := v.u.flow.Setup().(*email.Setup)
	if !ok {
		return
	}
	v.resend.Disable()
	v.u.host.message.SetText("")
	background(v.u, e.Resend, func(err error) {
		v.code.SetText("")
		v.submitted = ""
		v.updateResend(e)
		v.u.win.Canvas().Focus(v.code)
		if err != nil {
			v.u.host.message.SetText(v.u.say(err))
		}
	})
}

func (v *emailView) canNext(s wizard.Setup) bool { return v.setup(s) != nil }

func (v *emailView) focus(s wizard.Setup) fyne.Focusable {
	switch v.setup(s).Screen() {
	case email.ScreenAddress:
		return v.address
	case email.ScreenCode:
		return v.code
	}
	return nil
}

// onCodeChanged submits on the code's last digit, once per code typed.
func (v *emailView) onCodeChanged(text string) {
	if e, ok := v.u.flow.Setup().(*email.Setup); ok && e.CodeComplete(text) && text != v.submitted {
		v.submitted = text
		v.u.host.onNext()
	}
}

func (v *emailView) next(s wizard.Setup, finish func(error)) {
	e := v.setup(s)
	switch e.Screen() {
	case email.ScreenAddress:
		typed := v.address.Text
		// Sending may take up to the mail server's 10 s time limit.
		background(v.u, func() error { return e.Send(typed) }, func(err error) {
			if err == nil {
				v.code.SetText("")
				v.submitted = ""
			}
			finish(err)
		})
	case email.ScreenCode:
		code := v.code.Text
		background(v.u, func() error { return e.Submit(code) }, func(err error) {
			var wrong *email.WrongCodeError
			if err != nil && !errors.As(err, &wrong) {
				v.submitted = ""
			}
			v.code.SetText("")
			finish(err)
		})
	default:
		finish(nil)
	}
}

// wipe forgets everything typed for the last person.
func (v *emailView) wipe() {
	v.address.SetText("")
	v.code.SetText("")
	v.submitted = ""
}

package ui

import (
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
	*sentCode

	address *widget.Entry
}

func newEmailView(u *UI) *emailView {
	v := &emailView{u: u, sentCode: newSentCode(u, email.ScreenCode)}
	v.address = widget.NewEntry()
	v.address.SetPlaceHolder(lang.L("Email address"))
	v.address.OnChanged = func(string) { v.u.touch() }
	v.address.OnSubmitted = func(string) { v.u.host.onNext() }
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
		var hint fyne.CanvasObject
		// The demo outbox holds email only when no mail server sends it.
		if v.u.flow.Policy().SMTP.Host == "" {
			hint = v.u.outboxHint()
		}
		sent := sentText(false, e.Masked(), email.CodeDigits)
		return v.sentCode.body(e, sent, hint, lang.L("Change email"), func() fyne.Focusable {
			e.ChangeAddress()
			v.address.SetText(e.Typed())
			return v.address
		})
	default:
		return container.NewVBox(widget.NewIcon(theme.ConfirmIcon()), para(translate(email.DoneText)))
	}
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

func (v *emailView) next(s wizard.Setup, finish func(error)) {
	e := v.setup(s)
	switch e.Screen() {
	case email.ScreenAddress:
		typed := v.address.Text
		v.send(func() error { return e.Send(typed) }, finish)
	case email.ScreenCode:
		v.submit(e, finish)
	default:
		finish(nil)
	}
}

// wipe forgets everything typed for the last person.
func (v *emailView) wipe() {
	v.address.SetText("")
	v.sentCode.wipe()
}

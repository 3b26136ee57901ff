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
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// Labels of the phone page's choices, as the seed words them.
const (
	textMe = "Text me a code"
	callMe = "Call me"
)

// phoneView draws the phone's screens: number and how to get the code,
// enter the code (Resend code, Change number), registered.
type phoneView struct {
	u *UI

	region    *regionEntry
	number    *widget.Entry
	channel   *keyRadio
	code      *widget.Entry
	resend    *keyButton
	submitted string
}

func newPhoneView(u *UI) *phoneView {
	v := &phoneView{u: u}
	v.region = newRegionEntry()
	v.region.SetPlaceHolder(lang.L("Country or region"))
	v.region.OnChanged = v.onRegionTyped
	v.number = widget.NewEntry()
	v.number.SetPlaceHolder(lang.L("Phone number"))
	v.number.OnChanged = func(string) { v.u.touch() }
	v.number.OnSubmitted = func(string) { v.u.host.onNext() }
	v.channel = newRadio([]string{lang.L(textMe), lang.L(callMe)}, func(string) { v.u.touch() })
	v.channel.SetSelected(lang.L(textMe))
	v.code = widget.NewEntry()
	v.code.SetPlaceHolder(lang.L("Enter code"))
	v.code.OnChanged = func(s string) { v.u.touch(); v.onCodeChanged(s) }
	v.code.OnSubmitted = func(string) {
		// Enter after the sixth digit, which registered the phone already,
		// must not pass by "SMS verified".
		if s := v.u.flow.Setup(); s != nil && !s.Done() {
			v.u.host.onNext()
		}
	}
	v.resend = newButton(lang.L("Resend code"), v.onResend)
	return v
}

func (v *phoneView) setup(s wizard.Setup) *phone.Setup {
	p, _ := s.(*phone.Setup)
	return p
}

func (v *phoneView) heading(s wizard.Setup) string {
	switch v.setup(s).Screen() {
	case phone.ScreenNumber:
		return lang.L("Add your phone number") // the card's title already says "Phone"
	case phone.ScreenCode:
		return lang.L("Enter code")
	default:
		return lang.L("Phone registered")
	}
}

func (v *phoneView) body(s wizard.Setup) fyne.CanvasObject {
	p := v.setup(s)
	switch p.Screen() {
	case phone.ScreenNumber:
		if v.region.Text == "" {
			v.region.SetText(p.Region().Label())
		}
		note := para(lang.L("A phone is a weaker method than an authenticator app: codes can be intercepted. Use it as a backup."))
		note.Importance = widget.LowImportance
		return container.NewVBox(
			para(lang.L("You can prove who you are by answering a call on your phone or texting a code to your phone.")),
			para(lang.L("What phone number would you like to use?")),
			widget.NewForm(
				widget.NewFormItem(lang.L("Country or region"), v.region),
				widget.NewFormItem(lang.L("Number"), v.number),
			),
			v.channel,
			para(lang.L("Message and data rates may apply. Choosing Next means that you agree to receive a text or call for this registration.")),
			note,
		)
	case phone.ScreenCode:
		v.updateResend(p)
		items := []fyne.CanvasObject{para(sentText(p.Channel() == method.ChannelVoice, p.Masked(), phone.CodeDigits))}
		if hint := v.u.outboxHint(); hint != nil {
			items = append(items, hint)
		}
		return container.NewVBox(append(items,
			widget.NewForm(widget.NewFormItem(lang.L("Code"), v.code)),
			container.NewHBox(v.resend, link(lang.L("Change number"), func() {
				p.ChangeNumber()
				v.code.SetText("")
				v.u.host.refresh()
			})),
		)...)
	default:
		return container.NewVBox(widget.NewIcon(theme.ConfirmIcon()), para(translate(p.DoneText())))
	}
}

// onRegionTyped narrows the picker to the regions that match what was
// typed ("united", "GB", "+44"), and picks one when the text names it.
func (v *phoneView) onRegionTyped(text string) {
	v.u.touch()
	p, ok := v.u.flow.Setup().(*phone.Setup)
	if !ok {
		return
	}
	for _, r := range p.Regions() {
		if r.Label() == text {
			_ = p.SetRegion(r.Code)
			return
		}
	}
	var labels []string
	for _, r := range p.SearchRegions(text) {
		labels = append(labels, r.Label())
	}
	if len(labels) > 40 {
		labels = labels[:40]
	}
	v.region.SetOptions(labels)
}

// updateResend shows the cooldown on the Resend code button.
func (v *phoneView) updateResend(p *phone.Setup) {
	if left := p.CooldownLeft(); left > 0 {
		v.resend.SetText(lang.L("Resend code ({{.Left}} s)", map[string]any{"Left": int((left + time.Second - 1) / time.Second)}))
		v.resend.Disable()
		return
	}
	v.resend.SetText(lang.L("Resend code"))
	v.resend.Enable()
}

// tick counts the resend cooldown down.
func (v *phoneView) tick() {
	if p, ok := v.u.flow.Setup().(*phone.Setup); ok && p.Screen() == phone.ScreenCode {
		v.updateResend(p)
	}
}

func (v *phoneView) onResend() {
	p, ok := v.u.flow.Setup().(*phone.Setup)
	if !ok {
		return
	}
	v.resend.Disable()
	v.u.host.message.SetText("")
	background(v.u, p.Resend, func(err error) {
		v.code.SetText("")
		v.submitted = ""
		v.updateResend(p)
		v.u.win.Canvas().Focus(v.code) // the new code goes here next
		if err != nil {
			v.u.host.message.SetText(v.u.say(err))
		}
	})
}

func (v *phoneView) canNext(s wizard.Setup) bool { return v.setup(s) != nil }

func (v *phoneView) focus(s wizard.Setup) fyne.Focusable {
	switch v.setup(s).Screen() {
	case phone.ScreenNumber:
		return v.number
	case phone.ScreenCode:
		return v.code
	}
	return nil
}

// onCodeChanged submits on the code's last digit, once per code typed.
func (v *phoneView) onCodeChanged(text string) {
	if p, ok := v.u.flow.Setup().(*phone.Setup); ok && p.CodeComplete(text) && text != v.submitted {
		v.submitted = text
		v.u.host.onNext()
	}
}

func (v *phoneView) next(s wizard.Setup, finish func(error)) {
	p := v.setup(s)
	switch p.Screen() {
	case phone.ScreenNumber:
		number := v.number.Text
		ch := wizard.ChannelSMS
		if v.channel.Selected == lang.L(callMe) {
			ch = wizard.ChannelVoice
		}
		// Sending may take up to the provider's 10 s time limit.
		background(v.u, func() error { return p.Send(number, ch) }, func(err error) {
			if err == nil {
				v.code.SetText("")
				v.submitted = ""
			}
			finish(err)
		})
	case phone.ScreenCode:
		code := v.code.Text
		// Submit saves the phone once the code is right.
		background(v.u, func() error { return p.Submit(code) }, func(err error) {
			var wrong *phone.WrongCodeError
			if err != nil && !errors.As(err, &wrong) {
				v.submitted = ""
			}
			if !errors.Is(err, phone.ErrCodeFormat) {
				v.code.SetText("") // five digits stay, for the sixth
			}
			finish(err)
		})
	default:
		finish(nil)
	}
}

// wipe forgets everything typed for the last person.
func (v *phoneView) wipe() {
	v.region.SetText("")
	v.number.SetText("")
	v.code.SetText("")
	v.channel.SetSelected(lang.L(textMe))
	v.submitted = ""
}

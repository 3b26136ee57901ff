package ui

import (
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
	*sentCode

	region  *regionEntry
	number  *widget.Entry
	channel *keyRadio
	// listed is the first of the regions the picker lists all of, nil
	// while it lists a search: building the list of ~245 again on every
	// draw of the page would cost a quarter of a millisecond each.
	listed *phone.Region
}

func newPhoneView(u *UI) *phoneView {
	v := &phoneView{u: u, sentCode: newSentCode(u, phone.ScreenCode)}
	v.region = newRegionEntry()
	v.region.SetPlaceHolder(lang.L("Country or region"))
	v.region.OnChanged = v.onRegionTyped
	v.number = widget.NewEntry()
	v.number.SetPlaceHolder(lang.L("Phone number"))
	v.number.OnChanged = func(string) { v.u.touch() }
	v.number.OnSubmitted = func(string) { v.u.host.onNext() }
	v.channel = newRadio([]string{lang.L(textMe), lang.L(callMe)}, func(string) { v.u.touch() })
	v.channel.SetSelected(lang.L(textMe))
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
		if v.region.Text == p.Region().Label() {
			// Down, Alt+Down or the arrow opens a list to browse before
			// anything is typed; a search typed earlier keeps its list.
			v.listAll(p.Regions())
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
		sent := sentText(p.Channel() == method.ChannelVoice, p.Masked(), phone.CodeDigits)
		return v.sentCode.body(p, sent, v.u.outboxHint(), lang.L("Change number"), func() fyne.Focusable {
			p.ChangeNumber()
			return nil
		})
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
	if text == "" {
		// Cleared: the whole list to browse again, not the first 40.
		v.listAll(p.Regions())
		return
	}
	rs := p.SearchRegions(text)
	if len(rs) > 40 {
		rs = rs[:40]
	}
	v.region.SetOptions(regionLabels(rs))
	v.listed = nil
}

// listAll has the picker list every region, rs, unless it already does.
func (v *phoneView) listAll(rs []phone.Region) {
	if len(rs) == 0 || v.listed == &rs[0] {
		return
	}
	v.region.SetOptions(regionLabels(rs))
	v.listed = &rs[0]
}

// regionLabels is what the picker lists for rs.
func regionLabels(rs []phone.Region) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Label()
	}
	return out
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

func (v *phoneView) next(s wizard.Setup, finish func(error)) {
	p := v.setup(s)
	switch p.Screen() {
	case phone.ScreenNumber:
		number := v.number.Text
		ch := wizard.ChannelSMS
		if v.channel.Selected == lang.L(callMe) {
			ch = wizard.ChannelVoice
		}
		v.send(func() error { return p.Send(number, ch) }, finish)
	case phone.ScreenCode:
		v.submit(p, finish)
	default:
		finish(nil)
	}
}

// wipe forgets everything typed for the last person.
func (v *phoneView) wipe() {
	v.region.SetText("") // with the flow wiped, its search lists nothing
	// The list would be the last person's search until the next draw.
	v.listAll(phone.Regions())
	v.number.SetText("")
	v.sentCode.wipe()
	v.channel.SetSelected(lang.L(textMe))
}

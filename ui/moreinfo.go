package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// moreInfoPage is the "More information required" prompt.
type moreInfoPage struct {
	u *UI

	account *widget.Label
	next    *widget.Button
	box     fyne.CanvasObject
}

// learnMore explains why the prompt appears.
const learnMore = "Your organisation asks for more than a password to prove it's you. " +
	"Security info, such as an authenticator app on your phone or a phone number, " +
	"is used for two-step verification when you sign in and to reset your password " +
	"if you forget it. You see this prompt because you haven't yet set up all the " +
	"security info your organisation requires. It takes a few minutes, and you only " +
	"do it once."

func newMoreInfoPage(u *UI) *moreInfoPage {
	p := &moreInfoPage{u: u}
	p.buildUI()
	return p
}

func (p *moreInfoPage) buildUI() {
	pol := p.u.flow.Policy()
	p.account = widget.NewLabel("")
	p.next = widget.NewButton("Next", p.onNext)
	p.next.Importance = widget.HighImportance
	p.box = framed(container.NewVBox(
		widget.NewLabelWithStyle(pol.Organisation, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.account,
		heading("More information required"),
		para(pol.Organisation+" needs more information to keep your account secure."),
		container.NewHBox(
			link("Use a different account", p.onDifferentAccount),
			link("Learn more", p.onLearnMore),
		),
		container.NewHBox(layoutSpacer(), p.next),
	))
}

func (p *moreInfoPage) title() string { return "More information required" }
func (p *moreInfoPage) content() fyne.CanvasObject {
	p.account.SetText(p.u.flow.Account())
	return p.box
}
func (p *moreInfoPage) focus() fyne.Focusable { return nil }
func (p *moreInfoPage) onEnter()              { p.onNext() }

func (p *moreInfoPage) onNext() { p.u.transition(p.u.flow.Next, nil) }

func (p *moreInfoPage) onDifferentAccount() { p.u.wipe() }

func (p *moreInfoPage) onLearnMore() {
	dialog.ShowCustom("Why am I asked for this?", "Close", para(learnMore), p.u.win)
}

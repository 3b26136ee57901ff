package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
)

// moreInfoPage is the "More information required" prompt.
type moreInfoPage struct {
	u *UI

	account *widget.Label
	next    *keyButton
	notNow  *keyButton
	skips   *widget.Label
	message *widget.Label
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
	p.next = newButton(lang.L("Next"), p.onNext)
	p.next.Importance = widget.HighImportance
	p.notNow = newButton(lang.L("Not now"), p.onNotNow)
	p.skips = para("")
	p.message = errorLabel()
	p.box = framed(container.NewVBox(
		widget.NewLabelWithStyle(pol.Organisation, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.account,
		heading(lang.L("More information required")),
		para(lang.L("{{.Organisation}} needs more information to keep your account secure.", map[string]any{"Organisation": pol.Organisation})),
		container.NewHBox(
			link(lang.L("Use a different account"), p.onDifferentAccount),
			link(lang.L("Learn more"), p.onLearnMore),
		),
		p.skips,
		p.message,
		container.NewHBox(layoutSpacer(), p.notNow, p.next),
	))
}

func (p *moreInfoPage) title() string { return lang.L("More information required") }
func (p *moreInfoPage) content() fyne.CanvasObject {
	p.account.SetText(p.u.flow.Account())
	p.message.SetText("")
	switch left := p.u.flow.SnoozesLeft(); left {
	case 0:
		p.notNow.Hide()
		p.skips.SetText("")
		p.skips.Hide()
	default:
		p.notNow.Show()
		p.skips.SetText(lang.N("You can skip this {{.Count}} more times. After that it will be required.", left, map[string]any{"Count": left}))
		p.skips.Show()
	}
	return p.box
}

// focus is Next: nothing to type here, and the keyboard starts where a
// person acts, so Enter goes on and Tab moves from there (#15 item 1).
func (p *moreInfoPage) focus() fyne.Focusable { return p.next }
func (p *moreInfoPage) onEnter()              { p.onNext() }

func (p *moreInfoPage) onNext() {
	p.message.SetText("")
	p.u.transition(p.u.flow.Next, func(err error) {
		if errors.Is(err, wizard.ErrReauthNeeded) {
			// The account has a second factor: prove it before adding.
			_ = p.u.handle(p.u.flow.OpenVerify())
			return
		}
		if err != nil {
			p.message.SetText(p.u.say(err))
		}
	})
}

func (p *moreInfoPage) onNotNow() {
	p.u.transition(p.u.flow.NotNow, func(err error) {
		if err != nil {
			p.message.SetText(p.u.say(err))
		}
	})
}

func (p *moreInfoPage) onDifferentAccount() { p.u.wipe() }

func (p *moreInfoPage) onLearnMore() {
	p.u.newCustom(lang.L("Why am I asked for this?"), lang.L("Close"), para(lang.L(learnMore))).Show()
}

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
)

// resetPage is "Forgot my password?": which account, proving it's the
// person's with one or two methods, then a new password. It shows the
// same for an account that doesn't exist.
type resetPage struct {
	u *UI

	account  *widget.Entry
	next     *keyButton
	panel    *proofPanel
	progress *widget.Label
	password *widget.Entry
	again    *widget.Entry
	finish   *keyButton
	activity *widget.Activity
	message  *widget.Label
	body     *fyne.Container
	head     *widget.Label
	box      fyne.CanvasObject
}

func newResetPage(u *UI) *resetPage {
	p := &resetPage{u: u}
	p.account = widget.NewEntry()
	p.account.SetPlaceHolder("someone@example.com")
	p.account.OnSubmitted = func(string) { p.onAccount() }
	p.account.OnChanged = func(string) { u.touch() }
	p.next = newButton(lang.L("Next"), p.onAccount)
	p.next.Importance = widget.HighImportance
	p.panel = newProofPanel(u, false, lang.L("Ways to confirm it's you"))
	p.progress = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.password = widget.NewPasswordEntry()
	p.password.SetPlaceHolder(lang.L("New password"))
	p.password.OnSubmitted = func(string) { u.win.Canvas().Focus(p.again) }
	p.password.OnChanged = func(string) { u.touch() }
	p.again = widget.NewPasswordEntry()
	p.again.SetPlaceHolder(lang.L("New password again"))
	p.again.OnSubmitted = func(string) { p.onFinish() }
	p.again.OnChanged = func(string) { u.touch() }
	p.finish = newButton(lang.L("Finish"), p.onFinish)
	p.finish.Importance = widget.HighImportance
	p.activity = widget.NewActivity()
	p.activity.Hide()
	p.message = errorLabel()
	p.head = heading(lang.L("Get back into your account"))
	p.body = container.NewVBox()
	p.box = framed(container.NewVBox(
		widget.NewLabelWithStyle(u.flow.Policy().Organisation, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.head, p.body, p.message,
		container.NewHBox(newButton(lang.L("Cancel"), p.onCancel), layoutSpacer(), p.activity),
	))
	return p
}

func (p *resetPage) title() string { return lang.L("Reset your password") }

func (p *resetPage) content() fyne.CanvasObject {
	p.refresh()
	return p.box
}

// refresh draws the reset's current stage.
func (p *resetPage) refresh() {
	p.body.RemoveAll()
	p.message.SetText("")
	pol := p.u.flow.Policy()
	switch p.u.flow.ResetStage() {
	case wizard.ResetAccount:
		p.head.SetText(lang.L("Get back into your account"))
		p.body.Add(para(lang.L("Who are you? To recover your account, enter your account name.")))
		p.body.Add(widget.NewForm(widget.NewFormItem(lang.L("Account"), p.account)))
		p.body.Add(container.NewHBox(layoutSpacer(), p.next))
	case wizard.ResetProve:
		p.head.SetText(lang.L("Confirm it's you"))
		done, need := p.u.flow.ResetProgress()
		p.progress.SetText(lang.L("Verification step {{.Done}} of {{.Need}}", map[string]any{"Done": done + 1, "Need": need}))
		p.body.Add(p.progress)
		p.body.Add(para(lang.L("Choose a method registered for {{.Account}}. If you can't use any of them, ask your helpdesk to reset your password.", map[string]any{"Account": p.u.flow.ResetFor()})))
		p.body.Add(p.panel.box)
		p.panel.load()
	case wizard.ResetPassword:
		p.head.SetText(lang.L("Choose a new password"))
		p.body.Add(para(lang.L("Use at least {{.MinPassword}} characters. Anything you can type works, spaces too: a few unrelated words make a password that is strong and easy to remember. Common passwords, and your account or organisation name, are refused.", map[string]any{"MinPassword": pol.MinPassword})))
		p.body.Add(widget.NewForm(widget.NewFormItem(lang.L("New password"), p.password), widget.NewFormItem(lang.L("Confirm"), p.again)))
		p.body.Add(container.NewHBox(layoutSpacer(), p.finish))
	case wizard.ResetHelpdesk:
		p.head.SetText(lang.L("Ask your helpdesk"))
		p.body.Add(para(lang.L("Resetting your password yourself needs {{.ResetMethods}} methods registered for password reset, and your account has fewer. Ask your helpdesk to reset your password, then register more security info.", map[string]any{"ResetMethods": pol.ResetMethods})))
		p.body.Add(container.NewHBox(layoutSpacer(), newButton(lang.L("Done"), p.onDone)))
	case wizard.ResetDone:
		p.head.SetText(lang.L("Your password was changed"))
		p.body.Add(para(lang.L("Sign in with your new password.")))
		b := newButton(lang.L("Sign in"), p.onDone)
		b.Importance = widget.HighImportance
		p.body.Add(container.NewHBox(layoutSpacer(), b))
	}
	p.u.relayout()
}

func (p *resetPage) focus() fyne.Focusable {
	switch p.u.flow.ResetStage() {
	case wizard.ResetAccount:
		return p.account
	case wizard.ResetPassword:
		return p.password
	case wizard.ResetProve:
		return p.panel.focus()
	}
	return nil
}

func (p *resetPage) onEnter() {
	switch p.u.flow.ResetStage() {
	case wizard.ResetDone, wizard.ResetHelpdesk:
		p.onDone()
	}
}

// busy shows the activity while work runs in the background.
func (p *resetPage) busy(on bool) {
	if on {
		p.activity.Show()
		p.activity.Start()
		return
	}
	p.activity.Stop()
	p.activity.Hide()
}

func (p *resetPage) onAccount() {
	name := p.account.Text
	p.busy(true)
	p.u.transition(func() error { return p.u.flow.ResetName(name) }, func(err error) {
		p.busy(false)
		if err != nil {
			p.message.SetText(p.u.say(err))
		}
	})
}

func (p *resetPage) onFinish() {
	pw, again := p.password.Text, p.again.Text
	p.busy(true)
	p.finish.Disable()
	p.u.transition(func() error { return p.u.flow.SetNewPassword(pw, again) }, func(err error) {
		p.busy(false)
		p.finish.Enable()
		if err != nil {
			p.message.SetText(p.u.say(err))
			p.u.win.Canvas().Focus(p.password)
			return
		}
		p.password.SetText("")
		p.again.SetText("")
	})
}

func (p *resetPage) onDone() {
	_ = p.u.flow.Done()
	p.clear()
	p.u.show()
}

func (p *resetPage) onCancel() {
	_ = p.u.flow.Back()
	p.clear()
	p.u.show()
}

// clear empties the page for the next person.
func (p *resetPage) clear() {
	p.account.SetText("")
	p.password.SetText("")
	p.again.SetText("")
	p.message.SetText("")
	p.panel.clear()
	p.busy(false)
	p.finish.Enable()
}

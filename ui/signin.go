package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
)

// signInPage asks for the account and password.
type signInPage struct {
	u *UI

	account  *widget.Entry
	password *widget.Entry
	code     *widget.Entry
	form     *widget.Form
	codeItem *widget.FormItem
	submit   *keyButton
	activity *widget.Activity
	message  *widget.Label
	box      fyne.CanvasObject
}

func newSignInPage(u *UI) *signInPage {
	p := &signInPage{u: u}
	p.buildUI()
	return p
}

func (p *signInPage) buildUI() {
	p.account = widget.NewEntry()
	p.account.SetPlaceHolder("someone@example.com")
	p.password = widget.NewPasswordEntry()
	p.password.SetPlaceHolder(lang.L("Password"))
	p.account.OnSubmitted = func(string) { p.u.win.Canvas().Focus(p.password) }
	p.account.OnChanged = func(string) { p.u.touch() }
	p.password.OnChanged = func(string) { p.u.touch() }
	p.password.OnSubmitted = func(string) {
		if p.asksCode() && p.code.Text == "" {
			p.u.win.Canvas().Focus(p.code)
			return
		}
		p.onSignIn()
	}
	// Asked for only when the organisation's directory wants the
	// authenticator code with the password.
	p.code = widget.NewEntry()
	p.code.SetPlaceHolder("123456")
	p.code.OnChanged = func(string) { p.u.touch() }
	p.code.OnSubmitted = func(string) { p.onSignIn() }
	p.codeItem = widget.NewFormItem(lang.L("Code"), p.code)
	p.submit = newButton(lang.L("Sign in"), p.onSignIn)
	p.submit.Importance = widget.HighImportance
	p.activity = widget.NewActivity()
	p.activity.Hide()
	p.message = errorLabel()

	p.form = widget.NewForm(
		widget.NewFormItem(lang.L("Account"), p.account),
		widget.NewFormItem(lang.L("Password"), p.password),
	)
	pol := p.u.flow.Policy()
	items := []fyne.CanvasObject{
		widget.NewLabelWithStyle(pol.Organisation, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		heading(lang.L("Sign in")),
		p.form,
		p.message,
		container.NewHBox(p.submit, p.activity),
	}
	if pol.Mode != wizard.ModeHelpdesk {
		// A walk-up with a pass from the helpdesk has no password of
		// their own to type: say where the pass goes.
		tap := widget.NewLabel(lang.L("Have a Temporary Access Pass from your helpdesk? Type it in the Password box."))
		tap.Wrapping = fyne.TextWrapWord
		tap.Importance = widget.LowImportance
		items = append(items, tap, link(lang.L("Forgot my password?"), p.onForgot))
	}
	if pol.Demo && p.u.opts.DemoAccount != "" {
		hint := widget.NewLabel(lang.L("Demo mode. Account: {{.DemoAccount}}   Password: {{.DemoPassword}}", map[string]any{"DemoAccount": p.u.opts.DemoAccount, "DemoPassword": p.u.opts.DemoPassword}))
		hint.Wrapping = fyne.TextWrapWord
		hint.Importance = widget.WarningImportance
		// Set apart by its colour, not a separator: the first frame
		// then needs no square-cornered rectangle (see Run).
		items = append(items, hint)
		if p.u.opts.OutboxPath != "" && pol.Mode != wizard.ModeKiosk { // the next person mustn't read it
			items = append(items, link(lang.L("Demo outbox (codes sent by text or call appear here)"), p.u.showOutbox))
		}
	}
	if pol.Mode == wizard.ModeKiosk {
		// The administrator's status line: where what people register goes.
		where := lang.L("Registered secrets are kept in this machine's keyring (local data file).")
		if pol.Directory.URL != "" {
			where = lang.L("What people register is kept in the organisation's directory; nothing stays on this machine.")
		}
		status := widget.NewLabel(lang.L("Kiosk station.") + " " + where)
		status.Importance = widget.LowImportance
		status.Wrapping = fyne.TextWrapWord
		items = append(items, status)
	}
	p.box = framed(container.NewVBox(items...))
}

func (p *signInPage) title() string              { return lang.L("Sign in") }
func (p *signInPage) content() fyne.CanvasObject { return p.box }
func (p *signInPage) focus() fyne.Focusable {
	if p.asksCode() {
		return p.code
	}
	if p.account.Text != "" {
		return p.password
	}
	return p.account
}

// asksCode reports whether the code field is shown.
func (p *signInPage) asksCode() bool { return len(p.form.Items) == 3 }

// showCode adds or removes the code field under the password.
func (p *signInPage) showCode(show bool) {
	if show == p.asksCode() {
		return
	}
	if show {
		p.form.AppendItem(p.codeItem)
		return
	}
	p.form.Items = p.form.Items[:2]
	p.form.Refresh()
}

// empty reports whether nothing has been typed.
func (p *signInPage) empty() bool { return p.account.Text == "" && p.password.Text == "" }

// clear empties the page for the next person.
func (p *signInPage) clear() {
	p.account.SetText("")
	p.password.SetText("")
	p.code.SetText("")
	p.showCode(false)
	p.message.SetText("")
	p.activity.Stop()
	p.activity.Hide()
	p.submit.Enable()
}

// onSignIn checks the credentials off the UI thread: argon2id is slow on
// purpose.
func (p *signInPage) onSignIn() {
	if p.submit.Disabled() || p.u.moving {
		return
	}
	name, pw, code := p.account.Text, p.password.Text, p.code.Text
	if name == "" || pw == "" {
		p.message.SetText(lang.L("Enter your account name and password."))
		return
	}
	if p.asksCode() && code == "" {
		p.message.SetText(lang.L("Enter the 6-digit code from your authenticator app, or a recovery code."))
		p.u.win.Canvas().Focus(p.code)
		return
	}
	p.submit.Disable()
	p.activity.Show()
	p.activity.Start()
	p.message.SetText("")
	p.u.transition(func() error { return p.u.flow.SignInWithCode(name, pw, code) }, func(err error) {
		p.activity.Stop()
		p.activity.Hide()
		p.submit.Enable()
		if errors.Is(err, wizard.ErrCodeRequired) {
			// Keep the password: the directory checks it with the code.
			p.showCode(true)
			p.message.SetText(lang.L("Enter the 6-digit code from your authenticator app, or a recovery code, then Sign in."))
			p.u.win.Canvas().Focus(p.code)
			return
		}
		p.password.SetText("")
		p.code.SetText("")
		if err != nil {
			p.message.SetText(p.u.say(err))
			p.u.win.Canvas().Focus(p.password)
			return
		}
		p.clear()
	})
}

// onForgot starts the self-service password reset.
func (p *signInPage) onForgot() {
	p.clear()
	_ = p.u.handle(p.u.flow.OpenReset())
}

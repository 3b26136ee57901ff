package ui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// managePage is "Security info": the signed-in account's methods, and its
// app passwords by name and date, with Create and Delete.
type managePage struct {
	u *UI

	methods   *fyne.Container
	passwords *fyne.Container
	create    *widget.Button
	message   *widget.Label
	box       fyne.CanvasObject
}

func newManagePage(u *UI) *managePage {
	p := &managePage{u: u}
	p.methods = container.NewVBox()
	p.passwords = container.NewVBox()
	p.create = widget.NewButtonWithIcon("Create app password", theme.ContentAddIcon(), p.onCreate)
	p.message = errorLabel()
	items := []fyne.CanvasObject{
		widget.NewLabelWithStyle(u.flow.Policy().Organisation, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		heading("Security info"),
		para("These are the methods you use to sign in to your account or reset your password."),
		p.methods,
	}
	if u.flow.Policy().AppPasswords {
		items = append(items, widget.NewSeparator(),
			widget.NewLabelWithStyle("App passwords", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			para(apppassword.Advice), p.passwords, container.NewHBox(p.create))
	}
	items = append(items, p.message, container.NewHBox(widget.NewButton("Back", p.onBack)))
	p.box = framed(container.NewVBox(items...))
	return p
}

func (p *managePage) title() string         { return "Security info" }
func (p *managePage) focus() fyne.Focusable { return nil }

func (p *managePage) content() fyne.CanvasObject {
	p.message.SetText("")
	p.refresh()
	return p.box
}

// refresh lists what the account has now, once it is read.
func (p *managePage) refresh() {
	type result struct {
		methods []info.Method
		err     error
	}
	background(p.u, func() result {
		ms, err := p.u.flow.Registered()
		return result{ms, err}
	}, func(r result) { p.fill(r.methods, r.err) })
}

// fill lists the account's methods and app passwords.
func (p *managePage) fill(ms []info.Method, err error) {
	defer p.u.relayout()
	p.methods.RemoveAll()
	p.passwords.RemoveAll()
	if err != nil {
		p.message.SetText(p.u.say(err))
		return
	}
	def, _ := wizard.DefaultMethod(ms)
	n := 0
	for _, m := range ms {
		if m.Kind == info.KindAppPassword {
			n++
			p.passwords.Add(p.passwordRow(m))
			continue
		}
		text := fmt.Sprintf("%s: %s (added %s)", wizard.Describe(m.Kind).Title, m.Label, m.Created.Local().Format("2 Jan 2006"))
		if m.ID == def.ID {
			text += ", default sign-in method"
		}
		p.methods.Add(widget.NewLabel(text))
	}
	if n == 0 {
		p.passwords.Add(widget.NewLabel("You have no app passwords."))
	}
}

func (p *managePage) passwordRow(m info.Method) fyne.CanvasObject {
	del := widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() { p.onDelete(m) })
	label := widget.NewLabel(fmt.Sprintf("%s (created %s)", m.Label, m.Created.Local().Format("2 Jan 2006")))
	return container.NewBorder(nil, nil, nil, del, label)
}

func (p *managePage) onBack() { _ = p.u.handle(p.u.flow.Back()) }

func (p *managePage) onDelete(m info.Method) {
	dialog.ShowConfirm("Delete app password?", fmt.Sprintf("Apps that use %q will stop signing in.", m.Label), func(ok bool) {
		if !ok {
			return
		}
		background(p.u, func() error { return p.u.flow.DeleteAppPassword(m) }, func(err error) {
			p.refresh()
			if err != nil {
				p.message.SetText(p.u.say(err))
			}
		})
	}, p.u.win)
}

// onCreate makes sure the person proved a second factor in this session
// (an app password skips two-step verification, so a password alone must
// not mint one), then asks for a name.
func (p *managePage) onCreate() {
	p.message.SetText("")
	if p.u.flow.Verified() {
		p.askName()
		return
	}
	code := widget.NewEntry()
	code.SetPlaceHolder("6-digit code")
	code.OnChanged = func(string) { p.u.touch() }
	dialog.ShowForm("Confirm it's you", "Next", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", para("Enter the code your authenticator app shows for this account.")),
		widget.NewFormItem("Code", code),
	}, func(ok bool) {
		if !ok {
			return
		}
		typed := code.Text
		background(p.u, func() error { return p.u.flow.StepUp(typed) }, func(err error) {
			if err != nil {
				p.message.SetText(p.u.say(err))
				return
			}
			p.askName()
		})
	}, p.u.win)
	p.u.win.Canvas().Focus(code)
}

// askName asks for the new app password's name, if the account has room
// for one, creates it off the UI thread and shows it once.
func (p *managePage) askName() {
	background(p.u, p.u.flow.AppPasswordRoom, func(err error) {
		if err != nil {
			p.message.SetText(p.u.say(err))
			return
		}
		p.showNameForm()
	})
}

func (p *managePage) showNameForm() {
	name := widget.NewEntry()
	name.SetPlaceHolder(apppassword.NameExample)
	name.OnChanged = func(string) { p.u.touch() }
	dialog.ShowForm("Create an app password", "Next", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
		if !ok {
			return
		}
		typed := name.Text
		type result struct {
			pw  wizard.NewAppPassword
			err error
		}
		background(p.u, func() result {
			pw, err := p.u.flow.CreateAppPassword(typed)
			return result{pw, err}
		}, func(r result) {
			p.refresh()
			if r.err != nil {
				text := p.u.say(r.err)
				if errors.Is(r.err, apppassword.ErrLimit) {
					text += " Use Delete next to one of them."
				}
				p.message.SetText(text)
				return
			}
			shown := passwordShown(p.u, r.pw.Method.Label, r.pw.Formatted, r.pw.Password, "When you close this, the password can't be shown again.")
			d := dialog.NewCustom("Your app password", "Done", shown, p.u.win)
			d.SetOnClosed(func() { p.u.copyTarget = "" })
			d.Show()
		})
	}, p.u.win)
	p.u.win.Canvas().Focus(name)
}

package ui

import (
	"crypto/rand"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
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

// refresh lists what the account has now.
func (p *managePage) refresh() {
	defer p.u.relayout()
	p.methods.RemoveAll()
	p.passwords.RemoveAll()
	ms, err := p.u.flow.Registered()
	if err != nil {
		p.message.SetText(sentence(err))
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
	del := widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() { p.onDelete(m.Label) })
	label := widget.NewLabel(fmt.Sprintf("%s (created %s)", m.Label, m.Created.Local().Format("2 Jan 2006")))
	return container.NewBorder(nil, nil, nil, del, label)
}

func (p *managePage) onBack() { _ = p.u.handle(p.u.flow.Back()) }

func (p *managePage) onDelete(name string) {
	dialog.ShowConfirm("Delete app password?", fmt.Sprintf("Apps that use %q will stop signing in.", name), func(ok bool) {
		if !ok {
			return
		}
		if err := apppassword.Delete(p.u.flow.Dir(), p.u.flow.Account(), name); err != nil {
			p.message.SetText(sentence(err))
		} else {
			p.u.flow.Audit(info.ActionAppPasswordDeleted, name)
		}
		p.refresh()
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
		typed, dir, account, now := code.Text, p.u.flow.Dir(), p.u.flow.Account(), p.u.now()
		background(p.u, func() error { return authapp.CheckCode(dir, account, typed, now) }, func(err error) {
			if errors.Is(err, authapp.ErrNoAuthenticator) {
				p.message.SetText("To create an app password, confirm it's you with an authenticator app. You have none registered: ask your helpdesk.")
				return
			}
			if err != nil {
				p.message.SetText(sentence(err))
				return
			}
			p.u.flow.MarkVerified()
			p.askName()
		})
	}, p.u.win)
	p.u.win.Canvas().Focus(code)
}

// askName asks for the new app password's name, creates it off the UI
// thread and shows it once.
func (p *managePage) askName() {
	existing, err := apppassword.List(p.u.flow.Dir(), p.u.flow.Account())
	if err != nil {
		p.message.SetText(sentence(err))
		return
	}
	if len(existing) >= apppassword.MaxPasswords {
		p.message.SetText(sentence(apppassword.ErrLimit))
		return
	}
	name := widget.NewEntry()
	name.SetPlaceHolder(apppassword.NameExample)
	name.OnChanged = func(string) { p.u.touch() }
	dialog.ShowForm("Create an app password", "Next", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
		if !ok {
			return
		}
		typed := name.Text
		type result struct {
			pw  string
			m   info.Method
			err error
		}
		dir, account, now := p.u.flow.Dir(), p.u.flow.Account(), p.u.now()
		background(p.u, func() result {
			pw, m, err := apppassword.Create(dir, account, typed, now, rand.Reader)
			return result{pw, m, err}
		}, func(r result) {
			p.refresh()
			if r.err != nil {
				p.message.SetText(sentence(r.err))
				if errors.Is(r.err, apppassword.ErrLimit) {
					p.message.SetText(sentence(r.err) + " Use Delete next to one of them.")
				}
				return
			}
			p.u.flow.Audit(info.ActionAppPasswordCreated, r.m.Label)
			shown := passwordShown(p.u, r.m.Label, apppassword.Format(r.pw), r.pw, "When you close this, the password can't be shown again.")
			d := dialog.NewCustom("Your app password", "Done", shown, p.u.win)
			d.SetOnClosed(func() { p.u.copyTarget = "" })
			d.Show()
		})
	}, p.u.win)
	p.u.win.Canvas().Focus(name)
}

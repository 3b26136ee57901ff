package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
)

// appPasswordView draws the wizard's App password section: name the app,
// see the generated password once, Done.
type appPasswordView struct {
	u    *UI
	name *widget.Entry
}

func newAppPasswordView(u *UI) *appPasswordView {
	v := &appPasswordView{u: u}
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder(translate(apppassword.NameExample))
	v.name.OnChanged = func(string) { v.u.touch() }
	v.name.OnSubmitted = func(string) { v.u.host.onNext() }
	return v
}

func (v *appPasswordView) setup(s wizard.Setup) *apppassword.Setup {
	a, _ := s.(*apppassword.Setup)
	return a
}

func (v *appPasswordView) heading(s wizard.Setup) string {
	switch v.setup(s).Screen() {
	case apppassword.ScreenName:
		return lang.L("Create an app password")
	case apppassword.ScreenShow:
		return lang.L("Your app password")
	default:
		return lang.L("App password saved")
	}
}

func (v *appPasswordView) body(s wizard.Setup) fyne.CanvasObject {
	a := v.setup(s)
	switch a.Screen() {
	case apppassword.ScreenName:
		return container.NewVBox(
			para(lang.L("Some apps, such as older mail clients, can't do two-step verification. An app password lets them sign in instead of your password.")),
			para(apppassword.Advice),
			widget.NewForm(widget.NewFormItem(lang.L("Name"), v.name)),
			para(lang.L("Type the name of the device or app that needs the password, then choose Next.")),
		)
	case apppassword.ScreenShow:
		return passwordShown(v.u, a.Name(), a.Formatted(), a.Password(), translate(a.LeaveWarning()))
	default:
		return container.NewVBox(
			widget.NewIcon(theme.ConfirmIcon()),
			para(lang.L("The app password \"{{.Name}}\" is saved. You can delete it at any time from your security info.", map[string]any{"Name": a.Name()})),
		)
	}
}

// passwordShown shows a new app password, the only time it is ever shown:
// large, monospace, in groups of four, with Copy (none on a kiosk).
func passwordShown(u *UI, name, formatted, raw, warning string) fyne.CanvasObject {
	pw := widget.NewRichText(&widget.TextSegment{Text: formatted, Style: widget.RichTextStyle{
		TextStyle: fyne.TextStyle{Monospace: true}, SizeName: theme.SizeNameHeadingText,
	}})
	items := []fyne.CanvasObject{
		para(lang.L("Copy this password and paste it into the Password field of {{.Name}}.", map[string]any{"Name": name})),
		pw,
	}
	if !u.isKiosk() {
		u.copyTarget = raw
		cp := newButtonWithIcon(lang.L("Copy (Ctrl+C)"), theme.ContentCopyIcon(), func() { u.copySecret(raw) })
		items = append(items, container.NewHBox(cp))
	}
	warn := para(warning)
	warn.Importance = widget.WarningImportance
	return container.NewVBox(append(items, warn)...)
}

func (v *appPasswordView) canNext(s wizard.Setup) bool { return v.setup(s) != nil }

func (v *appPasswordView) focus(s wizard.Setup) fyne.Focusable {
	if a := v.setup(s); a != nil && a.Screen() == apppassword.ScreenName {
		return v.name
	}
	return nil
}

func (v *appPasswordView) next(s wizard.Setup, finish func(error)) {
	a := v.setup(s)
	if a.Screen() != apppassword.ScreenName {
		finish(a.Next())
		return
	}
	name := v.name.Text
	// Naming reads the account's app passwords, and creating hashes the
	// password with argon2id: slow on purpose.
	background(v.u, func() error {
		if err := a.SetName(name); err != nil {
			return err
		}
		return a.Next()
	}, func(err error) {
		if err == nil {
			v.name.SetText("")
		}
		finish(err)
	})
}

// tick has nothing to count.
func (v *appPasswordView) tick() {}

// wipe forgets what was typed for the last person.
func (v *appPasswordView) wipe() { v.name.SetText("") }

package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// managePage is "Security info": the signed-in account's methods, and its
// app passwords by name and date, with Create and Delete.
type managePage struct {
	u *UI

	methods   *fyne.Container
	passwords *fyne.Container
	create    *keyButton
	add       *keyButton
	setDef    *keyButton
	message   *widget.Label
	box       fyne.CanvasObject
	// opening is set while the page's first list is read.
	opening bool
}

func newManagePage(u *UI) *managePage {
	p := &managePage{u: u}
	p.methods = container.NewVBox()
	p.passwords = container.NewVBox()
	p.create = newButtonWithIcon(lang.L("Create app password"), theme.ContentAddIcon(), p.onCreate)
	p.add = newButtonWithIcon(lang.L("Add sign-in method"), theme.ContentAddIcon(), p.onAdd)
	p.setDef = newButton(lang.L("Change default sign-in method"), p.onDefault)
	p.message = errorLabel()
	items := []fyne.CanvasObject{
		widget.NewLabelWithStyle(u.flow.Policy().Organisation, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		heading(lang.L("Security info")),
		para(lang.L("These are the methods you use to sign in to your account or reset your password.")),
		p.methods,
		container.NewHBox(p.add, p.setDef),
	}
	if u.flow.Policy().AppPasswords {
		items = append(items, widget.NewSeparator(),
			widget.NewLabelWithStyle(lang.L("App passwords"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			para(apppassword.Advice), p.passwords, container.NewHBox(p.create))
	}
	items = append(items, p.message, container.NewHBox(newButton(lang.L("Back"), p.onBack)))
	p.box = framed(container.NewVBox(items...))
	return p
}

func (p *managePage) title() string { return lang.L("Security info") }

// focus is "Add sign-in method": nothing to type here, and of the page's
// buttons it is the one it is for; a method's Delete, above it, would be
// one Enter from a confirmation whose Enter deletes (#15 item 1).
func (p *managePage) focus() fyne.Focusable { return p.add }

func (p *managePage) content() fyne.CanvasObject {
	p.clear()
	p.opening = true // the page opens as it is, not scrolled after Create
	p.refresh()
	return p.box
}

// clear empties the page: until the account's methods are read (up to
// seconds with a directory) it shows nothing rather than the rows it had
// for the last person on a kiosk, or for this one before a change.
func (p *managePage) clear() {
	p.message.SetText("")
	p.methods.RemoveAll()
	p.passwords.RemoveAll()
}

// refresh lists what the account has now, once it is read.
func (p *managePage) refresh() {
	type result struct {
		methods []info.Method
		def     info.Method
		err     error
	}
	background(p.u, func() result {
		ms, err := p.u.flow.Registered()
		def, _, _ := p.u.flow.DefaultSignIn()
		return result{ms, def, err}
	}, func(r result) { p.fill(r.methods, r.def, r.err) })
}

// fill lists the account's methods and app passwords.
func (p *managePage) fill(ms []info.Method, def info.Method, err error) {
	if !p.opening {
		defer p.keepCreateInPlace()()
	}
	p.opening = false
	defer p.u.relayout()
	p.methods.RemoveAll()
	p.passwords.RemoveAll()
	if err != nil {
		p.message.SetText(p.u.say(err))
		return
	}
	n, codes := 0, 0
	var firstCode info.Method
	for _, m := range ms {
		switch m.Kind {
		case info.KindAppPassword:
			n++
			p.passwords.Add(p.passwordRow(m))
			continue
		case info.KindRecoveryCodes:
			if codes == 0 {
				firstCode = m
			}
			codes++
			continue
		}
		text := lang.L("{{.Method}}: {{.Label}} (added {{.Date}})", map[string]any{"Method": translate(wizard.Describe(m.Kind).Title), "Label": methodLabel(m), "Date": formatDate(m.Created)})
		if m.ID == def.ID {
			text += lang.L(", default sign-in method")
		}
		p.methods.Add(p.methodRow(m, text))
	}
	if codes > 0 {
		text := lang.L("Recovery codes: {{.Codes}} of {{.Count}} left", map[string]any{"Codes": codes, "Count": recovery.Count})
		if firstCode.Kind == def.Kind && def.Kind != "" {
			text += lang.L(", default sign-in method")
		}
		p.methods.Add(p.methodRow(firstCode, text))
	}
	if n == 0 {
		p.passwords.Add(widget.NewLabel(lang.L("You have no app passwords.")))
	}
}

// keepCreateInPlace, called before the lists change, returns what puts
// Create back where it was on screen once they have (#16 item 21): a new
// app password's row would push it below the fold, out of sight of the
// person (and the keyboard) about to press it again. With Create out of
// view the page keeps its scroll position.
func (p *managePage) keepCreateInPlace() func() {
	scroll, ok := p.box.(*container.Scroll)
	if !ok || !p.create.Visible() || scroll.Size().Height == 0 {
		return func() {}
	}
	d := fyne.CurrentApp().Driver()
	at := func() float32 { return d.AbsolutePositionForObject(p.create).Y - d.AbsolutePositionForObject(scroll).Y }
	before := at()
	if before < 0 || before+p.create.Size().Height > scroll.Size().Height {
		return func() {}
	}
	return func() {
		if moved := at() - before; moved != 0 {
			maxY := max(scroll.Content.Size().Height-scroll.Size().Height, 0)
			scroll.ScrollToOffset(fyne.NewPos(scroll.Offset.X, min(max(scroll.Offset.Y+moved, 0), maxY)))
		}
	}
}

// methodRow is one method with what can be done to it.
func (p *managePage) methodRow(m info.Method, text string) fyne.CanvasObject {
	actions := container.NewHBox()
	switch m.Kind {
	case info.KindAuthenticatorApp, info.KindSecurityKey:
		actions.Add(newButton(lang.L("Change"), func() { p.onRename(m) }))
	case info.KindPhone:
		actions.Add(newButton(lang.L("Change"), func() { p.onChangePhone(m) }))
	case info.KindRecoveryCodes:
		actions.Add(newButton(lang.L("New codes"), func() { p.onAddKind(info.KindRecoveryCodes) }))
	}
	actions.Add(newButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), func() { p.onDeleteMethod(m) }))
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, nil, actions, label)
}

// change runs a change of security info off the UI thread; if it needs a
// recent second factor, the person confirms it's them first and then it
// runs again.
func (p *managePage) change(op func() error, done func()) {
	p.message.SetText("")
	background(p.u, op, func(err error) {
		if errors.Is(err, wizard.ErrReauthNeeded) || errors.Is(err, wizard.ErrStepUpNeeded) {
			p.confirm(func() { p.change(op, done) })
			return
		}
		if err = p.u.handle(err); err != nil {
			p.message.SetText(p.u.say(err))
			return
		}
		if done != nil {
			done()
		}
	})
}

// confirm asks for a second factor, then runs then: a code from the
// authenticator app here, or any other way on "Verify your identity". A
// wrong code is said in the dialog, which stays open for the next one.
func (p *managePage) confirm(then func()) {
	code := newKeyEntry()
	code.SetPlaceHolder(lang.L("6-digit code"))
	code.OnChanged = func(string) { p.u.touch() }
	var d *keyDialog
	another := newButton(lang.L("Confirm another way"), func() {
		d.Hide()
		_ = p.u.handle(p.u.flow.OpenVerify())
	})
	d = p.u.newForm(lang.L("Confirm it's you"), lang.L("Next"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem("", para(lang.L("For your security, confirm it's you before changing your security info. Enter the code your authenticator app shows for this account."))),
		widget.NewFormItem(lang.L("Code"), code),
		widget.NewFormItem("", another),
	}, nil)
	d.onConfirm = func() {
		typed := code.Text
		d.busy(true)
		background(p.u, func() error { return p.u.flow.StepUp(typed) }, func(err error) {
			d.busy(false)
			if errors.Is(err, wizard.ErrNoAuthenticator) {
				d.Hide()
				_ = p.u.handle(p.u.flow.OpenVerify())
				return
			}
			if err != nil {
				code.SetText("")
				d.fail(p.u.say(err))
				return
			}
			d.close(true)
			then()
		})
	}
	d.Show()
}

func (p *managePage) onDeleteMethod(m info.Method) {
	what := translate(wizard.Describe(m.Kind).Title) + " " + methodLabel(m)
	if m.Kind == info.KindRecoveryCodes {
		what = lang.L("all your recovery codes")
	}
	p.u.newConfirm(lang.L("Delete this method?"), lang.L("Delete {{.What}}? You can't use it to sign in or reset your password any more.", map[string]any{"What": what}), func(ok bool) {
		if ok {
			p.change(func() error { return p.u.flow.DeleteMethod(m.ID) }, p.refresh)
		}
	}).Show()
}

func (p *managePage) onRename(m info.Method) { p.renameForm(m, methodLabel(m), false) }

// renameForm asks for m's new name, text at first, and submits it at once
// if submit (the name typed before "Confirm it's you"). A name in use or
// refused is said in the dialog, which stays open with the name to
// change (#16 item 11), as in "Create an app password".
func (p *managePage) renameForm(m info.Method, text string, submit bool) {
	p.message.SetText("")
	name := newKeyEntry()
	name.SetText(text)
	name.OnChanged = func(string) { p.u.touch() }
	d := p.u.newForm(lang.L("Change the name"), lang.L("Save"), lang.L("Cancel"), []*widget.FormItem{widget.NewFormItem(lang.L("Name"), name)}, nil)
	d.onConfirm = func() {
		typed := name.Text
		d.busy(true)
		// The name is offered as shown, in the page's language: saved
		// unchanged, it is the name stored (renamedLabel, whose first
		// call reads the translation files: off the UI thread too).
		background(p.u, func() error { return p.u.flow.RenameMethod(m.ID, renamedLabel(m, typed)) }, func(err error) {
			d.busy(false)
			switch {
			case errors.Is(err, wizard.ErrReauthNeeded) || errors.Is(err, wizard.ErrStepUpNeeded):
				// One dialog at a time: the name comes back, and is
				// submitted, once it's confirmed.
				d.close(false)
				p.confirm(func() { p.renameForm(m, typed, true) })
			case err == nil:
				d.close(true)
				p.refresh()
			default:
				if err = p.u.handle(err); err != nil {
					d.fail(p.u.say(err))
					return
				}
				d.close(false) // the keyring or directory page shows instead
			}
		})
	}
	d.Show()
	if submit {
		d.Confirm()
	}
}

func (p *managePage) onChangePhone(m info.Method) {
	p.change(func() error { return p.u.flow.ChangePhone(m.ID) }, nil)
}

func (p *managePage) onAddKind(k info.Kind) {
	p.change(func() error { return p.u.flow.AddMethod(k) }, nil)
}

// onAdd lists what may be added.
func (p *managePage) onAdd() {
	type result struct {
		kinds []wizard.MethodInfo
		err   error
	}
	background(p.u, func() result {
		ks, err := p.u.flow.AddableKinds()
		return result{ks, err}
	}, func(r result) {
		if r.err != nil {
			p.message.SetText(p.u.say(r.err))
			return
		}
		list := container.NewVBox()
		var d *keyDialog
		var first fyne.Focusable
		for _, k := range r.kinds {
			b := newButton(translate(k.Title), func() { d.Hide(); p.onAddKind(k.Kind) })
			if first == nil {
				first = b
			}
			list.Add(b)
			list.Add(para(translate(k.UsedFor)))
		}
		if len(r.kinds) == 0 {
			list.Add(para(lang.L("You have every method your organisation allows.")))
		}
		d = p.u.newCustom(lang.L("Add a method"), lang.L("Cancel"), list)
		d.first = first // Enter adds the first, Tab goes down the list
		d.Show()
	})
}

// onDefault lets the person choose their default sign-in method.
func (p *managePage) onDefault() {
	type result struct {
		ms  []info.Method
		err error
	}
	background(p.u, func() result {
		ms, err := p.u.flow.Registered()
		return result{ms, err}
	}, func(r result) {
		if r.err != nil {
			p.message.SetText(p.u.say(r.err))
			return
		}
		var names []string
		byName := map[string]info.Method{}
		for _, m := range r.ms {
			if !wizard.Describe(m.Kind).TwoStep {
				continue
			}
			name := translate(wizard.Describe(m.Kind).Title) + ": " + methodLabel(m)
			if m.Kind == info.KindRecoveryCodes {
				name = lang.L("Recovery codes")
			}
			if _, dup := byName[name]; !dup {
				names = append(names, name)
				byName[name] = m
			}
		}
		choice := newKeySelect(names, nil)
		d := p.u.newForm(lang.L("Change default sign-in method"), lang.L("Confirm"), lang.L("Cancel"), []*widget.FormItem{
			widget.NewFormItem(lang.L("Which method would you like to use to sign in?"), choice),
		}, func(ok bool) {
			if m, found := byName[choice.Selected]; ok && found {
				p.change(func() error { return p.u.flow.SetDefaultMethod(m.ID) }, p.refresh)
			}
		})
		d.first = choice // Space or Down opens it
		d.Show()
	})
}

func (p *managePage) passwordRow(m info.Method) fyne.CanvasObject {
	del := newButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), func() { p.onDelete(m) })
	label := widget.NewLabel(lang.L("{{.Label}} (created {{.Created}})", map[string]any{"Label": m.Label, "Created": formatDate(m.Created)}))
	return container.NewBorder(nil, nil, nil, del, label)
}

func (p *managePage) onBack() { _ = p.u.handle(p.u.flow.Back()) }

func (p *managePage) onDelete(m info.Method) {
	p.u.newConfirm(lang.L("Delete app password?"), lang.L("Apps that use \"{{.Label}}\" will stop signing in.", map[string]any{"Label": m.Label}), func(ok bool) {
		if !ok {
			return
		}
		p.change(func() error { return p.u.flow.DeleteAppPassword(m) }, p.refresh)
	}).Show()
}

// onCreate makes sure the person proved a second factor in the last 10
// minutes (an app password skips two-step verification, so a password
// alone must not mint one), then asks for a name.
func (p *managePage) onCreate() {
	p.message.SetText("")
	if p.u.flow.Fresh() {
		p.askName()
		return
	}
	p.confirm(p.askName)
}

// askName asks for the new app password's name, creates it off the UI
// thread and shows it once. The dialog opens at once, so that letters
// typed right after Create land in its field; whether the account has
// room is read meanwhile, and at the limit the dialog closes again and
// the page says why.
func (p *managePage) askName() {
	d := p.showNameForm()
	background(p.u, p.u.flow.AppPasswordRoom, func(err error) {
		if err == nil {
			return
		}
		d.Hide()
		p.message.SetText(p.u.say(err))
		// Under 40 app passwords the message is below the fold: a
		// person who pressed Create must see why nothing opened.
		p.u.relayout()
		scrollIntoView(p.message)
	})
}

// showNameForm opens the dialog asking for the name, and returns it.
func (p *managePage) showNameForm() *keyDialog {
	name := newKeyEntry()
	name.SetPlaceHolder(translate(apppassword.NameExample))
	name.OnChanged = func(string) { p.u.touch() }
	d := p.u.newForm(lang.L("Create an app password"), lang.L("Next"), lang.L("Cancel"), []*widget.FormItem{widget.NewFormItem(lang.L("Name"), name)}, nil)
	// A name already in use or an account at its limit is said in the
	// dialog, which stays open with the name to change (#16 item 11).
	d.onConfirm = func() {
		typed := name.Text
		type result struct {
			pw  wizard.NewAppPassword
			err error
		}
		d.busy(true)
		background(p.u, func() result {
			pw, err := p.u.flow.CreateAppPassword(typed)
			return result{pw, err}
		}, func(r result) {
			d.busy(false)
			if r.err != nil {
				text := p.u.say(r.err)
				if errors.Is(r.err, apppassword.ErrLimit) {
					text += " " + lang.L("Use Delete next to one of them.")
				}
				d.fail(text)
				return
			}
			d.close(true)
			p.refresh()
			shown := passwordShown(p.u, r.pw.Method.Label, r.pw.Formatted, r.pw.Password, lang.L("When you close this, the password can't be shown again."))
			shownD := p.u.newCustom(lang.L("Your app password"), lang.L("Done"), shown)
			shownD.SetOnClosed(func() { p.u.copyTarget = "" })
			shownD.Show()
		})
	}
	d.Show()
	return d
}

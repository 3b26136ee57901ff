package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// successPage ends the wizard: the methods now registered and the default
// sign-in method. It also greets an account that has nothing left to do.
type successPage struct {
	u *UI

	head    *widget.Label
	intro   *widget.Label
	methods *fyne.Container
	def     *widget.Label
	done    *keyButton
	box     fyne.CanvasObject
}

func newSuccessPage(u *UI) *successPage {
	p := &successPage{u: u}
	p.head = heading("")
	p.intro = para("")
	p.methods = container.NewVBox()
	p.def = para("")
	p.done = newButton(lang.L("Done"), p.onDone)
	p.done.Importance = widget.HighImportance
	p.box = framed(container.NewVBox(
		widget.NewLabelWithStyle(u.flow.Policy().Organisation, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.head, p.intro, p.methods, p.def,
		container.NewHBox(link(lang.L("Manage your security info"), p.onManage), layoutSpacer(), p.done),
	))
	return p
}

func (p *successPage) title() string {
	if p.u.flow.Page() == wizard.PageUpToDate {
		return lang.L("You're all set")
	}
	return lang.L("Success")
}

func (p *successPage) content() fyne.CanvasObject {
	if p.u.flow.Snoozed() {
		p.head.SetText(lang.L("You're signed in"))
		p.intro.SetText(lang.L("You chose to set up your security info later. You'll be asked again the next time you sign in. These are your sign-in methods:"))
	} else if p.u.flow.Page() == wizard.PageUpToDate {
		p.head.SetText(lang.L("You're all set"))
		p.intro.SetText(lang.L("Your security info is up to date. These are your sign-in methods:"))
	} else {
		p.head.SetText(lang.L("Success!"))
		p.intro.SetText(lang.L("Great job! You have successfully set up your security info. Choose \"Done\" to continue."))
	}
	p.methods.RemoveAll()
	p.def.SetText("")
	type result struct {
		methods []info.Method
		def     info.Method
		hasDef  bool
		err     error
	}
	background(p.u, func() result {
		ms, err := p.u.flow.Registered()
		def, ok, _ := p.u.flow.DefaultSignIn()
		return result{ms, def, ok, err}
	}, func(r result) { p.fill(r.methods, r.def, r.hasDef, r.err) })
	return p.box
}

// fill lists the methods once they are read.
func (p *successPage) fill(ms []info.Method, def info.Method, ok bool, err error) {
	defer p.u.relayout()
	if err != nil {
		p.methods.Add(para(p.u.say(err)))
	}
	codes := 0
	for _, m := range ms {
		if m.Kind == info.KindRecoveryCodes {
			codes++
			continue
		}
		p.methods.Add(widget.NewLabel("✓ " + methodName(m)))
	}
	if codes > 0 {
		p.methods.Add(widget.NewLabel(lang.L("✓ Recovery codes: {{.Codes}} of {{.Count}} left", map[string]any{"Codes": codes, "Count": recovery.Count})))
	}
	if ok {
		name := methodName(def)
		if title := translate(wizard.Describe(def.Kind).Title); name != title {
			name = fmt.Sprintf("%s (%s)", title, methodLabel(def))
		}
		p.def.SetText(lang.L("Default sign-in method: {{.Name}}.", map[string]any{"Name": name}))
	}
}

// focus is Done: nothing to type here, and the keyboard starts where a
// person acts (#15 item 1).
func (p *successPage) focus() fyne.Focusable { return p.done }
func (p *successPage) onEnter()              { p.onDone() }

func (p *successPage) onManage() { _ = p.u.handle(p.u.flow.OpenManage()) }

func (p *successPage) onDone() {
	_ = p.u.flow.Done()
	if p.u.flow.Policy().Mode == wizard.ModeKiosk {
		p.u.wipe()
		return
	}
	p.u.opts.Quit()
}

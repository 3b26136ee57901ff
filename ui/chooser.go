package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
)

// chooserPage is "I want to set up a different method": the methods the
// policy allows and the account lacks, each with what it is used for.
type chooserPage struct {
	u *UI

	list    *fyne.Container
	message *widget.Label
	box     fyne.CanvasObject
	first   fyne.Focusable
}

func newChooserPage(u *UI) *chooserPage {
	p := &chooserPage{u: u}
	p.list = container.NewVBox()
	p.message = errorLabel()
	p.box = framed(container.NewVBox(
		heading(lang.L("Choose a different method")),
		para(lang.L("Which method would you like to use?")),
		p.list,
		p.message,
		container.NewHBox(newButton(lang.L("Back"), p.onBack)),
	))
	return p
}

func (p *chooserPage) title() string { return lang.L("Choose a different method") }

func (p *chooserPage) content() fyne.CanvasObject {
	p.list.RemoveAll()
	p.message.SetText("")
	p.first = nil
	type result struct {
		choices []wizard.MethodInfo
		err     error
	}
	background(p.u, func() result {
		c, err := p.u.flow.Choices()
		return result{c, err}
	}, func(r result) { p.fill(r.choices, r.err) })
	return p.box
}

// fill lists the choices once they are read.
func (p *chooserPage) fill(choices []wizard.MethodInfo, err error) {
	defer p.u.relayout()
	if err != nil {
		p.message.SetText(p.u.say(err))
	}
	cur, _ := p.u.flow.Step()
	for _, c := range choices {
		b := newButton(translate(c.Title), func() { p.onChoose(c) })
		b.Alignment = widget.ButtonAlignLeading
		if c.Kind == cur.Kind {
			b.SetText(lang.L("{{.Method}} (current)", map[string]any{"Method": translate(c.Title)}))
		}
		if p.first == nil {
			p.first = b
		}
		used := widget.NewLabel(translate(c.UsedFor))
		used.Wrapping = fyne.TextWrapWord
		used.Importance = widget.LowImportance
		p.list.Add(container.NewVBox(b, used))
	}
	if len(choices) == 0 {
		p.list.Add(para(lang.L("There is no other method your organisation allows that you haven't set up.")))
	}
	if p.first != nil && p.u.current() == page(p) {
		p.u.win.Canvas().Focus(p.first)
	}
}

func (p *chooserPage) focus() fyne.Focusable { return p.first }

func (p *chooserPage) onChoose(c wizard.MethodInfo) {
	p.u.transition(func() error { return p.u.flow.Choose(c.Kind) }, func(err error) {
		if err != nil {
			p.message.SetText(p.u.say(err))
		}
	})
}

func (p *chooserPage) onBack() { _ = p.u.handle(p.u.flow.Back()) }

package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// proofPanel asks the person to prove who they are with one way (a code,
// a recovery code, a security key) and lists the other ways. It serves
// "Verify your identity" and the password reset alike; every call into
// the flow runs off the UI thread.
type proofPanel struct {
	u *UI
	// auto starts the first way as soon as the ways are read (the
	// default method at sign-in); a reset lets the person choose first.
	auto bool

	prompt   *widget.Label
	fields   *fyne.Container
	entries  []*widget.Entry
	verify   *keyButton
	resend   *keyButton
	activity *widget.Activity
	message  *widget.Label
	another  *widget.Label
	others   *fyne.Container
	box      *fyne.Container

	current  wizard.ProofOption
	shown    wizard.Challenge // the answers asked for now
	started  bool
	checking bool
	// proved is called after a proof the flow accepted (the page moved on
	// or, in a reset, the next proof is asked).
	proved func()
}

func newProofPanel(u *UI, auto bool, anotherWay string) *proofPanel {
	p := &proofPanel{u: u, auto: auto}
	p.prompt = para("")
	p.fields = container.NewVBox()
	p.verify = newButton(lang.L("Verify"), p.onVerify)
	p.verify.Importance = widget.HighImportance
	p.resend = newButton(lang.L("Send a new code"), func() { p.start(p.current) })
	p.activity = widget.NewActivity()
	p.activity.Hide()
	p.message = errorLabel()
	p.another = widget.NewLabelWithStyle(anotherWay, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.others = container.NewVBox()
	p.box = container.NewVBox(p.prompt, p.fields, p.message,
		container.NewHBox(p.verify, p.resend, p.activity),
		widget.NewSeparator(), p.another, p.others)
	return p
}

// clear forgets what was shown and typed.
func (p *proofPanel) clear() {
	p.prompt.SetText("")
	p.fields.RemoveAll()
	p.entries = nil
	p.message.SetText("")
	p.others.RemoveAll()
	p.started, p.checking = false, false
	p.verify.Hide()
	p.resend.Hide()
	p.activity.Stop()
	p.activity.Hide()
}

// load reads the ways to prove and, if auto, starts the first.
func (p *proofPanel) load() {
	p.clear()
	p.prompt.SetText(lang.L("Just a moment…"))
	type result struct {
		opts []wizard.ProofOption
		err  error
	}
	background(p.u, func() result {
		opts, err := p.u.flow.ProofOptions()
		return result{opts, err}
	}, func(r result) {
		p.prompt.SetText("")
		if r.err != nil {
			p.message.SetText(p.u.say(r.err))
			return
		}
		p.fillOthers(r.opts)
		if p.auto && len(r.opts) > 0 {
			p.start(r.opts[0])
		} else {
			p.prompt.SetText(lang.L("Choose how to confirm it's you."))
		}
		p.u.relayout()
	})
}

// fillOthers lists the ways as buttons.
func (p *proofPanel) fillOthers(opts []wizard.ProofOption) {
	p.others.RemoveAll()
	for _, o := range opts {
		p.others.Add(newButton(optionTitle(o), func() { p.start(o) }))
	}
}

// start begins proving with o (a phone is sent its code) off the UI
// thread, then asks for its answers.
func (p *proofPanel) start(o wizard.ProofOption) {
	if p.checking {
		return
	}
	p.u.touch()
	p.current, p.checking = o, true
	p.message.SetText("")
	p.activity.Show()
	p.activity.Start()
	type result struct {
		ch  wizard.Challenge
		err error
	}
	background(p.u, func() result {
		ch, err := p.u.flow.StartProof(o)
		return result{ch, err}
	}, func(r result) {
		p.checking = false
		p.activity.Stop()
		p.activity.Hide()
		if r.err != nil {
			p.message.SetText(p.u.say(r.err))
			return
		}
		p.show(r.ch)
	})
}

// show asks for a challenge's answers.
func (p *proofPanel) show(ch wizard.Challenge) {
	p.started, p.shown = true, ch
	p.prompt.SetText(promptFor(p.current, ch))
	p.fields.RemoveAll()
	p.entries = nil
	// Security answers are hidden as they are typed, as at registration:
	// a reset happens at a kiosk too, in sight of whoever stands behind.
	asked := ch.Kind == info.KindSecurityQuestions
	for _, label := range ch.Fields {
		e := widget.NewEntry()
		if asked || label == "Security key PIN" {
			e = widget.NewPasswordEntry()
		}
		if asked {
			e.SetPlaceHolder(lang.L("Answer"))
		} else {
			e.SetPlaceHolder(translate(label))
		}
		e.OnChanged = func(typed string) {
			p.u.touch()
			// A 6-digit code is submitted on its sixth digit.
			if len(p.entries) == 1 && label == "Code" && secret.CodeComplete(typed, 6) {
				p.onVerify()
			}
		}
		e.OnSubmitted = func(string) { p.onVerify() }
		p.entries = append(p.entries, e)
		if asked {
			// A question (a person's own is up to questions.MaxOwn
			// characters) wraps above its answer: a form's label never
			// wraps and would push the field out of the window. The
			// question comes first, then its field, in reading and Tab
			// order alike.
			p.fields.Add(container.NewVBox(para(translate(label)), e))
		} else {
			p.fields.Add(widget.NewForm(widget.NewFormItem(translate(label), e)))
		}
	}
	p.verify.Show()
	if ch.Kind == info.KindPhone || ch.Kind == info.KindEmail {
		p.resend.Show()
	} else {
		p.resend.Hide()
	}
	p.u.relayout()
	if len(p.entries) > 0 {
		p.u.win.Canvas().Focus(p.entries[0])
	} else {
		p.u.win.Canvas().Focus(p.verify)
	}
}

// focus is the first answer's entry.
func (p *proofPanel) focus() fyne.Focusable {
	if len(p.entries) > 0 {
		return p.entries[0]
	}
	return nil
}

// onVerify checks the answers off the UI thread.
func (p *proofPanel) onVerify() {
	if !p.started || p.checking {
		return
	}
	// A security question left unanswered is a slip on the page, said
	// here before the flow is asked: nothing is counted, what was typed
	// stays, and the words are the same whatever the account name (a
	// decoy's questions too), so they tell nothing about the account.
	if p.shown.Kind == info.KindSecurityQuestions {
		for _, e := range p.entries {
			if strings.TrimSpace(e.Text) == "" {
				p.message.SetText(lang.L("Answer every question."))
				p.u.win.Canvas().Focus(e)
				return
			}
		}
	}
	var answers []string
	for _, e := range p.entries {
		answers = append(answers, e.Text)
	}
	p.checking = true
	p.message.SetText("")
	p.activity.Show()
	p.activity.Start()
	// Not a transition: a refused answer leaves the page as it is, with
	// what went wrong; an accepted one shows the page the flow moved to.
	background(p.u, func() error { return p.u.flow.Prove(answers) }, func(err error) {
		if err == nil || errors.Is(err, info.ErrKeyringUnavailable) || errors.Is(err, info.ErrKeyringLocked) || errors.Is(err, info.ErrDirectoryUnavailable) {
			err = p.u.handle(err)
		}
		p.checking = false
		p.activity.Stop()
		p.activity.Hide()
		for _, e := range p.entries {
			e.SetText("")
		}
		if err != nil {
			// A security key may ask for its PIN though the policy
			// doesn't: the field is added, what went wrong stays.
			if fields, ok := p.u.flow.ProofFields(); ok && len(fields) != len(p.entries) {
				ch := p.shown
				ch.Fields = fields
				p.show(ch)
			}
			p.message.SetText(p.u.say(err))
			if len(p.entries) > 0 {
				p.u.win.Canvas().Focus(p.entries[0])
			}
			return
		}
		if p.proved != nil {
			p.proved()
		}
	})
}

// verifyPage is "Verify your identity": the second factor at sign-in, or
// before a change of security info.
type verifyPage struct {
	u       *UI
	account *widget.Label
	intro   *widget.Label
	panel   *proofPanel
	box     fyne.CanvasObject
}

func newVerifyPage(u *UI) *verifyPage {
	p := &verifyPage{u: u}
	p.account = widget.NewLabel("")
	p.intro = para("")
	p.panel = newProofPanel(u, true, lang.L("Sign in another way"))
	p.panel.proved = func() {
		// Opened over a method whose save was refused: finish it.
		if u.flow.Page() == wizard.PageMethod && u.host != nil {
			u.host.resumeAfterProof()
		}
	}
	p.box = framed(container.NewVBox(
		widget.NewLabelWithStyle(u.flow.Policy().Organisation, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.account,
		heading(lang.L("Verify your identity")),
		p.intro,
		p.panel.box,
		container.NewHBox(newButton(lang.L("Back"), p.onBack), layoutSpacer(), link(lang.L("Use a different account"), u.wipe)),
	))
	return p
}

func (p *verifyPage) title() string { return lang.L("Verify your identity") }

func (p *verifyPage) content() fyne.CanvasObject {
	if p.u.flow.VerifyForSignIn() {
		p.intro.SetText(lang.L("Your organisation asks for a second way of proving it's you."))
		p.panel.another.SetText(lang.L("Sign in another way"))
	} else if p.u.flow.Policy().Mode == wizard.ModeHelpdesk {
		// An operator confirms before changing another person's.
		p.intro.SetText(lang.L("For your security, confirm it's you before changing someone's security info."))
		p.panel.another.SetText(lang.L("Confirm another way"))
	} else {
		p.intro.SetText(lang.L("For your security, confirm it's you before changing your security info."))
		p.panel.another.SetText(lang.L("Confirm another way"))
	}
	name := p.u.flow.Pending()
	if name == "" {
		name = p.u.flow.Account()
	}
	p.account.SetText(name)
	p.panel.load()
	return p.box
}

func (p *verifyPage) focus() fyne.Focusable { return p.panel.focus() }
func (p *verifyPage) onEnter()              { p.panel.onVerify() }

func (p *verifyPage) onBack() { _ = p.u.handle(p.u.flow.Back()) }

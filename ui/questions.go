package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/questions"
)

// writeOwn is the choice that lets a person write their own question.
const writeOwn = "Write my own question"

// questionsView draws the security questions: a question and an answer
// per row, as many rows as the policy asks, then registered.
type questionsView struct {
	u    *UI
	rows []*questionRow
	box  *fyne.Container
	// texts maps a shown question to its id.
	texts map[string]string
	// offered is every choice of a row, in order (the list, then writing
	// one's own when allowed), kept from build: the lists are made again
	// from it when the flow has forgotten the setup (a wipe).
	offered []string
}

// questionRow is one question: chosen from the list or written, and its
// answer (hidden as typed, with a reveal button). Enter in any of its
// fields takes the page's action (Next), as on every page.
type questionRow struct {
	pick   *keySelect
	own    *widget.Entry
	answer *widget.Entry
}

func newQuestionsView(u *UI) *questionsView {
	return &questionsView{u: u, box: container.NewVBox(), texts: map[string]string{}}
}

func (v *questionsView) setup(s wizard.Setup) *questions.Setup {
	q, _ := s.(*questions.Setup)
	return q
}

func (v *questionsView) heading(s wizard.Setup) string {
	if v.setup(s).Done() {
		return lang.L("Security questions saved")
	}
	return lang.L("Security questions")
}

// build makes the rows for q's count and list, once per setup's shape.
func (v *questionsView) build(q *questions.Setup) {
	if len(v.rows) == q.Count() && len(v.texts) == len(q.Questions()) {
		return
	}
	v.rows, v.texts, v.offered = nil, map[string]string{}, nil
	for _, s := range q.Questions() {
		v.texts[s.Text] = s.ID
		v.offered = append(v.offered, s.Text)
	}
	if q.Own() {
		v.offered = append(v.offered, lang.L(writeOwn))
	}
	v.box.RemoveAll()
	for i := 0; i < q.Count(); i++ {
		r := &questionRow{}
		r.pick = newKeySelect(nil, func(string) { v.u.touch(); v.onPicked() })
		r.pick.PlaceHolder = lang.L("Choose a question")
		r.own = widget.NewEntry()
		r.own.SetPlaceHolder(lang.L("Your question"))
		r.own.OnChanged = func(string) { v.u.touch() }
		r.own.OnSubmitted = func(string) { v.u.host.onNext() }
		r.own.Hide()
		r.answer = widget.NewPasswordEntry()
		r.answer.SetPlaceHolder(lang.L("Answer"))
		r.answer.OnChanged = func(string) { v.u.touch() }
		r.answer.OnSubmitted = func(string) { v.u.host.onNext() }
		v.rows = append(v.rows, r)
		v.box.Add(widget.NewForm(
			widget.NewFormItem(lang.L("Question {{.I}}", map[string]any{"I": i + 1}), container.NewVBox(r.pick, r.own)),
			widget.NewFormItem(lang.L("Answer"), r.answer),
		))
	}
	v.onPicked()
}

// onPicked offers in each row the questions no other row has taken, and
// shows a row's own question field when it chose to write one. It reads
// only the view (not the flow's setup, gone after a wipe): a wipe's
// cleared picks give every row the whole list again.
func (v *questionsView) onPicked() {
	own := lang.L(writeOwn)
	taken := map[string]bool{}
	for _, r := range v.rows {
		if r.pick.Selected != "" && r.pick.Selected != own {
			taken[r.pick.Selected] = true
		}
	}
	for _, r := range v.rows {
		var opts []string
		for _, o := range v.offered {
			if !taken[o] || r.pick.Selected == o {
				opts = append(opts, o)
			}
		}
		r.pick.SetOptions(opts)
		if r.pick.Selected == lang.L(writeOwn) {
			r.own.Show()
		} else {
			r.own.Hide()
		}
	}
	v.u.relayout()
}

func (v *questionsView) body(s wizard.Setup) fyne.CanvasObject {
	q := v.setup(s)
	if q.Done() {
		return container.NewVBox(widget.NewIcon(theme.ConfirmIcon()), para(translate(questions.DoneText)))
	}
	v.build(q)
	note := para(lang.L("Answers are {{.MinAnswer}} to {{.MaxAnswer}} characters, all different, and can't use words of the question or of your account name. Capitals and extra spaces don't matter. Security questions are for resetting your password only: you'll need another method for two-factor verification.", map[string]any{"MinAnswer": questions.MinAnswer, "MaxAnswer": questions.MaxAnswer}))
	note.Importance = widget.LowImportance
	return container.NewVBox(
		para(lang.L("Choose {{.Count}} questions and answer them. If you forget your password, you'll answer some of them to prove who you are.", map[string]any{"Count": q.Count()})),
		v.box,
		note,
	)
}

// entries reads the rows as the person filled them.
func (v *questionsView) entries() []questions.Entry {
	out := make([]questions.Entry, len(v.rows))
	for i, r := range v.rows {
		switch r.pick.Selected {
		case "":
		case lang.L(writeOwn):
			out[i].Own = r.own.Text
		default:
			out[i].ID = v.texts[r.pick.Selected]
		}
		out[i].Answer = r.answer.Text
	}
	return out
}

func (v *questionsView) canNext(s wizard.Setup) bool { return v.setup(s) != nil }

func (v *questionsView) next(s wizard.Setup, finish func(error)) {
	q := v.setup(s)
	if q.Done() {
		finish(nil)
		return
	}
	entries := v.entries()
	// Hashing the answers takes a moment: off the UI thread.
	background(v.u, func() error { return q.Submit(entries) }, func(err error) {
		if err == nil {
			v.wipe() // the answers are kept nowhere but in their hashes
		}
		finish(err)
	})
}

func (v *questionsView) focus(s wizard.Setup) fyne.Focusable {
	if q := v.setup(s); q != nil && !q.Done() && len(v.rows) > 0 {
		return v.rows[0].pick
	}
	return nil
}

// focusFor is the field of the row a broken rule names: its question
// (the own question's field when one is written) for a rule of questions,
// else its answer.
func (v *questionsView) focusFor(err error) fyne.Focusable {
	var rule *questions.RuleError
	if !errors.As(err, &rule) || rule.Row < 1 || rule.Row > len(v.rows) {
		return nil
	}
	r := v.rows[rule.Row-1]
	question := func() fyne.Focusable {
		if r.own.Visible() {
			return r.own
		}
		return r.pick
	}
	switch {
	case errors.Is(rule, questions.ErrNoQuestion), errors.Is(rule, questions.ErrUnknown),
		errors.Is(rule, questions.ErrOwnOff), errors.Is(rule, questions.ErrOwnLength),
		errors.Is(rule, questions.ErrSameQuestion), errors.Is(rule, questions.ErrListed):
		return question()
	case errors.Is(rule, questions.ErrHidden) && r.own.Visible() && questions.Hidden(r.own.Text):
		// The own question is checked before the answer.
		return question()
	}
	return r.answer
}

func (v *questionsView) tick() {}

// wipe forgets every question and answer typed. Each cleared pick makes
// the lists again (onPicked): the next person's rows offer every question.
func (v *questionsView) wipe() {
	for _, r := range v.rows {
		r.pick.ClearSelected()
		r.own.SetText("")
		r.own.Hide()
		r.answer.SetText("")
	}
}

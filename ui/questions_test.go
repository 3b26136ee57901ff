package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// toQuestions reaches the security questions page (email already
// registered).
func toQuestions(t *testing.T) (*harness, *questions.Setup, *questionsView) {
	h, _, _, _ := toEmail(t)
	h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "e1", Kind: info.KindEmail, Label: "d•••@fabrikam.example", Email: "dana@fabrikam.example", Created: t0}, nil)
	h.u.wipe()
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Security questions")
	return h, h.u.flow.Setup().(*questions.Setup), h.u.host.views[info.KindSecurityQuestions].(*questionsView)
}

// choose picks question text in row i and types its answer.
func (v *questionsView) choose(t *testing.T, i int, text, answer string) {
	t.Helper()
	v.rows[i].pick.SetSelected(text)
	if v.rows[i].pick.Selected != text {
		t.Fatalf("row %d can't choose %q among %d options", i+1, text, len(v.rows[i].pick.Options))
	}
	v.rows[i].answer.SetText(answer)
}

func TestQuestions_ChooseAnswerAndSave(t *testing.T) {
	h, q, v := toQuestions(t)
	if len(v.rows) != 3 {
		t.Fatalf("%d rows", len(v.rows))
	}
	test.AssertRendersToMarkup(t, "questions.xml", h.w.Canvas())
	pet, _ := questions.Text("first-pet", "en")
	food, _ := questions.Text("childhood-food", "en")
	v.choose(t, 0, pet, "Rex")
	// A question taken in one row is not offered in the others.
	for _, o := range v.rows[1].pick.Options {
		if o == pet {
			t.Fatal("row 2 offers the question row 1 took")
		}
	}
	if last := v.rows[1].pick.Options[len(v.rows[1].pick.Options)-1]; last != writeOwn {
		t.Errorf("the last choice is %q, want %q", last, writeOwn)
	}
	v.choose(t, 1, food, "Fish and chips")
	v.choose(t, 2, writeOwn, "Oak of Ages")
	if !v.rows[2].own.Visible() || v.rows[1].own.Visible() {
		t.Fatal("the own question's field is not where it was chosen")
	}
	v.rows[2].own.SetText("What is the name of my favourite tree?")

	// A broken rule says which question and why; nothing is stored.
	v.rows[1].answer.SetText(" rex ")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if got := h.u.host.message.Text; got != "Question 2: Each answer must be different from the others." || q.Done() {
		t.Fatalf("message %q", got)
	}
	v.rows[1].answer.SetText("Fish and chips")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if !q.Done() || h.u.host.card.Subtitle != "Security questions saved" {
		t.Fatalf("not saved: %q", h.u.host.message.Text)
	}
	var got info.Method
	ms, _ := h.dir.Methods(wizard.DemoAccount)
	for _, m := range ms {
		if m.Kind == info.KindSecurityQuestions {
			got = m
		}
	}
	if len(got.Questions) != 3 || got.Questions[0].ID != "first-pet" || got.Questions[2].Text != "What is the name of my favourite tree?" {
		t.Fatalf("stored %+v", got)
	}
	if ok, _ := secret.Check(got.Questions[1].Hash, "fish and chips"); !ok {
		t.Error("the second answer's hash doesn't match its normalised answer")
	}
	for i, r := range v.rows {
		if r.answer.Text != "" || r.pick.Selected != "" {
			t.Errorf("row %d still shows what was typed", i+1)
		}
	}
	for _, l := range h.logs {
		if strings.Contains(strings.ToLower(l), "fish and chips") || strings.Contains(l, "Rex") {
			t.Errorf("an answer is in the log: %q", l)
		}
	}
}

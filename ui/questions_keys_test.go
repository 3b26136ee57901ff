package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/securityinfo/securityinfo/wizard/questions"
)

// The README promises "Enter in a field takes the page's action". On the
// security questions page, Enter in the last answer (where a keyboard
// user ends up after filling the rows) must submit the answers as Next
// does.
func TestQuestions_EnterInAnswerSubmits(t *testing.T) {
	h, q, v := toQuestions(t)
	pet, _ := questions.Text("first-pet", "en")
	food, _ := questions.Text("childhood-food", "en")
	v.choose(t, 0, pet, "Rex")
	v.choose(t, 1, food, "Fish and chips")
	v.choose(t, 2, writeOwn, "Oak of Ages")
	v.rows[2].own.SetText("What is the name of my favourite tree?")
	c := h.w.Canvas()
	c.Focus(v.rows[2].answer)
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if !q.Done() {
		t.Fatalf("Enter in the last answer did nothing: questions not saved (message %q)", h.u.host.message.Text)
	}
}

// Enter in a row's own question, or on a question picker, takes the
// page's action too: here it says what is missing.
func TestQuestions_EnterInOwnQuestionOrPickerTakesNext(t *testing.T) {
	h, q, v := toQuestions(t)
	c := h.w.Canvas()
	v.choose(t, 0, writeOwn, "Oak of Ages")
	v.rows[0].own.SetText("What is the name of my favourite tree?")
	c.Focus(v.rows[0].own)
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if h.u.host.message.Text == "" {
		t.Error("Enter in the own question did nothing")
	}
	h.u.host.message.SetText("")
	c.Focus(v.rows[1].pick)
	press(c, fyne.KeyReturn)
	h.u.Wait()
	if h.u.host.message.Text == "" {
		t.Error("Enter on a question picker did nothing")
	}
	if q.Done() {
		t.Error("saved with rows unanswered")
	}
}

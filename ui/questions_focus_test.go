package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard/questions"
)

// After a broken rule ("Question 3: ..."), the keyboard should be on the
// row the message names, not back on row 1's question picker: otherwise
// a keyboard or screen-reader user must Tab through every row to reach
// what to fix.
func TestQuestions_ErrorFocusesTheRowItNames(t *testing.T) {
	h, _, v := toQuestions(t)
	pet, _ := questions.Text("first-pet", "en")
	food, _ := questions.Text("childhood-food", "en")
	v.choose(t, 0, pet, "Rex")
	v.choose(t, 1, food, "Fish and chips")
	v.choose(t, 2, writeOwn, "ab") // too short an answer: row 3
	v.rows[2].own.SetText("What is the name of my favourite tree?")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if !strings.HasPrefix(h.u.host.message.Text, "Question 3:") {
		t.Fatalf("message %q", h.u.host.message.Text)
	}
	if f := h.w.Canvas().Focused(); f != v.rows[2].answer {
		t.Errorf("after %q the focus is on %T (row 1's picker: %v), not row 3's answer", h.u.host.message.Text, f, f == v.rows[0].pick)
	}
}

// A rule of questions puts the keyboard on the row's question: its
// picker, or the own question's field when one is written.
func TestQuestions_QuestionErrorFocusesTheQuestion(t *testing.T) {
	h, _, v := toQuestions(t)
	pet, _ := questions.Text("first-pet", "en")
	v.choose(t, 0, pet, "Rex")
	v.choose(t, 1, writeOwn, "Oak of Ages")
	v.rows[1].own.SetText("Tree?") // too short a question: row 2
	test.Tap(h.u.host.next)
	h.u.Wait()
	if !strings.HasPrefix(h.u.host.message.Text, "Question 2:") {
		t.Fatalf("message %q", h.u.host.message.Text)
	}
	if f := h.w.Canvas().Focused(); f != v.rows[1].own {
		t.Errorf("after %q the focus is on %T, not row 2's own question", h.u.host.message.Text, f)
	}

	v.rows[1].own.SetText("What is the name of my favourite tree?")
	v.rows[2].answer.SetText("Fish and chips") // no question chosen: row 3
	test.Tap(h.u.host.next)
	h.u.Wait()
	if !strings.HasPrefix(h.u.host.message.Text, "Question 3:") {
		t.Fatalf("message %q", h.u.host.message.Text)
	}
	if f := h.w.Canvas().Focused(); f != v.rows[2].pick {
		t.Errorf("after %q the focus is on %T, not row 3's picker", h.u.host.message.Text, f)
	}
}

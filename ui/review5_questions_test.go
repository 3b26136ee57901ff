package ui

import (
	"crypto/rand"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// The README promises "Enter in a field takes the page's action". On the
// security questions page, Enter in the last answer (where a keyboard
// user ends up after filling the rows) must submit the answers as Next
// does.
func TestReview5_QuestionsEnterInAnswerSubmits(t *testing.T) {
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

// After a broken rule ("Question 3: ..."), the keyboard should be on the
// row the message names, not back on row 1's question picker: otherwise
// a keyboard or screen-reader user must Tab through every row to reach
// what to fix.
func TestReview5_QuestionsErrorFocusesTheRowItNames(t *testing.T) {
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

// resetToQuestions registers security questions for the demo account and
// reaches "Forgot my password?" on a kiosk, answering security questions.
func resetToQuestions(t *testing.T) *harness {
	t.Helper()
	pol := `organisation = "Contoso"
demo = true
mode = "kiosk"
required = ["authenticator-app", "security-questions"]
allowed = ["authenticator-app", "security-questions"]
questions_custom = true
`
	cfg := questions.Config{Register: 3, Reset: 3, Own: true, Language: "en", Key: []byte("0123456789abcdef0123456789abcdef")}
	h := newHarnessProving(t, pol, nil, nil, map[info.Kind]method.ProverFactory{info.KindSecurityQuestions: questions.ProverFactory(cfg)})
	own := "What was the name of the street where my grandmother lived when I was a small child, before the family moved away to the seaside town of Little Hampton-on-the-Marsh in the north of the county?"
	var qs []info.Question
	for i, a := range []string{"rex", "fish and chips", "acacia avenue"} {
		hash, err := secret.Hash(a, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		q := info.Question{Hash: hash}
		switch i {
		case 0:
			q.ID = "first-pet"
		case 1:
			q.ID = "childhood-food"
		default:
			q.Text = own
		}
		qs = append(qs, q)
	}
	if err := h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "q1", Kind: info.KindSecurityQuestions, Label: "3 questions", Created: t0, Questions: qs}, nil); err != nil {
		t.Fatal(err)
	}
	h.u.signIn.onForgot()
	h.wantTitle("Reset your password")
	r := h.u.reset
	test.Type(r.account, wizard.DemoAccount)
	test.Tap(r.next)
	h.u.Wait()
	test.Tap(keyButtonOn(t, h.w.Canvas(), "Answer my security questions"))
	h.u.Wait()
	if len(r.panel.entries) != 3 {
		t.Fatalf("%d answer fields, message %q", len(r.panel.entries), r.panel.message.Text)
	}
	return h
}

// Registration hides answers as they are typed (a password entry with a
// reveal button, README); answering the same questions at a reset, on a
// kiosk in a public place, shows them in clear text to whoever stands
// behind the person.
func TestReview5_ResetSecurityAnswersTypedHidden(t *testing.T) {
	h := resetToQuestions(t)
	for i, e := range h.u.reset.panel.entries {
		if !e.Password {
			t.Errorf("answer %d at a reset is typed in clear (not a password entry)", i+1)
		}
	}
}

// A person's own question may be up to 200 characters (questions.MaxOwn).
// At a reset it becomes a form label, which Fyne never wraps, inside the
// page's 560-unit column: the label runs off the window and pushes its
// answer field out of sight (at x≈1400 in a 760-wide window, 37 units
// wide), so the person can neither see nor click where to answer.
func TestReview5_ResetLongOwnQuestionFitsTheWindow(t *testing.T) {
	h := resetToQuestions(t)
	win := h.w.Canvas().Size().Width
	d := fyne.CurrentApp().Driver()
	for i, e := range h.u.reset.panel.entries {
		x := d.AbsolutePositionForObject(e).X
		if x+e.Size().Width > win || e.Size().Width < 100 {
			t.Errorf("answer %d's field is at x=%.0f, %.0f wide, in a window %.0f wide", i+1, x, e.Size().Width, win)
		}
	}
}

// At a reset, leaving one of the three answers empty is a form mistake
// (questions.ErrAnswerMissing: nothing checked, nothing counted), but the
// page empties every answer field with it: the person retypes the two
// answers they had given, hidden or not, to fix the one they missed.
func TestReview5_ResetMissingAnswerKeepsTheOthers(t *testing.T) {
	h := resetToQuestions(t)
	p := h.u.reset.panel
	test.Type(p.entries[0], "Rex")
	test.Type(p.entries[1], "Fish and chips")
	test.Tap(p.verify)
	h.u.Wait()
	if p.entries[0].Text != "Rex" || p.entries[1].Text != "Fish and chips" {
		t.Errorf("after %q the answers typed read %q and %q", p.message.Text, p.entries[0].Text, p.entries[1].Text)
	}
}

package ui

import (
	"crypto/rand"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// toResetQuestions registers security questions for the demo account and
// reaches "Forgot my password?" on a kiosk, answering security questions.
func toResetQuestions(t *testing.T) *harness {
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
// kiosk in a public place, must not show them in clear text to whoever
// stands behind the person.
func TestReset_SecurityAnswersTypedHidden(t *testing.T) {
	h := toResetQuestions(t)
	for i, e := range h.u.reset.panel.entries {
		if !e.Password {
			t.Errorf("answer %d at a reset is typed in clear (not a password entry)", i+1)
		}
	}
}

// A person's own question may be up to 200 characters (questions.MaxOwn).
// At a reset, as a form label (which Fyne never wraps) inside the page's
// 560-unit column, it ran off the window and pushed its answer field out
// of sight (at x≈1500 in a 760-wide window, 37 units wide), so the person
// could neither see nor click where to answer.
func TestReset_LongOwnQuestionFitsTheWindow(t *testing.T) {
	h := toResetQuestions(t)
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
// (questions.ErrAnswerMissing: nothing checked, nothing counted): the page
// must not empty every answer field with it, making the person retype the
// two answers they had given to fix the one they missed.
func TestReset_MissingAnswerKeepsTheOthers(t *testing.T) {
	h := toResetQuestions(t)
	p := h.u.reset.panel
	test.Type(p.entries[0], "Rex")
	test.Type(p.entries[1], "Fish and chips")
	test.Tap(p.verify)
	h.u.Wait()
	if p.entries[0].Text != "Rex" || p.entries[1].Text != "Fish and chips" {
		t.Errorf("after %q the answers typed read %q and %q", p.message.Text, p.entries[0].Text, p.entries[1].Text)
	}
}

// The missing answer is named on the page, with the keyboard on its
// field, in the same words for an unknown account name (its questions are
// a decoy's): they tell nothing about the account.
func TestReset_MissingAnswerSaysWhatToDo(t *testing.T) {
	h := toResetQuestions(t)
	p := h.u.reset.panel
	test.Type(p.entries[0], "Rex")
	test.Type(p.entries[2], "Acacia Avenue")
	test.Tap(p.verify)
	h.u.Wait()
	if p.message.Text != "Answer every question." {
		t.Errorf("message %q", p.message.Text)
	}
	if f := h.w.Canvas().Focused(); f != p.entries[1] {
		t.Errorf("the keyboard is on %T, not the empty answer", f)
	}

	h.u.wipe()
	h.u.signIn.onForgot()
	r := h.u.reset
	test.Type(r.account, "nobody@contoso.example")
	test.Tap(r.next)
	h.u.Wait()
	test.Tap(keyButtonOn(t, h.w.Canvas(), "Answer my security questions"))
	h.u.Wait()
	if len(r.panel.entries) == 0 {
		t.Fatalf("no answer fields for an unknown name, message %q", r.panel.message.Text)
	}
	test.Type(r.panel.entries[0], "Rex")
	test.Tap(r.panel.verify)
	h.u.Wait()
	if r.panel.message.Text != "Answer every question." || r.panel.entries[0].Text != "Rex" {
		t.Errorf("for an unknown name: message %q, answer 1 reads %q", r.panel.message.Text, r.panel.entries[0].Text)
	}
}

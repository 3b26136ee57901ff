package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/softkey"
)

// A person using the app in German registers security questions; the
// Success page (and Manage, and the Success page of every later visit)
// lists them by the label the wizard stored, questions.Label: English
// "3 questions" inside a German page ("Sicherheitsfragen: 3 questions").
func TestReview5_QuestionsLabelInGerman(t *testing.T) {
	useLanguageForTest(t, "de")
	h := newHarnessWith(t, resetPolicy, map[info.Kind]wizard.SetupFactory{
		info.KindEmail:             email.Factory(email.Config{}),
		info.KindSecurityQuestions: questions.Factory(questions.Config{Register: 3, Own: true, Language: "de"}),
	}, &testkit.Phone{})
	h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "e1", Kind: info.KindEmail, Label: "d•••@fabrikam.example", Email: "dana@fabrikam.example", Created: t0}, nil)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	q, ok := h.u.flow.Setup().(*questions.Setup)
	if !ok {
		t.Fatalf("not on the security questions: %q", h.w.Title())
	}
	v := h.u.host.views[info.KindSecurityQuestions].(*questionsView)
	for i, a := range []string{"Bello", "Kartoffelsalat", "Frankfurt"} {
		opts := v.rows[i].pick.Options
		v.rows[i].pick.SetSelected(opts[0])
		v.rows[i].answer.SetText(a)
	}
	test.Tap(h.u.host.next)
	h.u.Wait()
	if !q.Done() {
		t.Fatalf("not saved: %q", h.u.host.message.Text)
	}
	test.Tap(h.u.host.next) // Done: the Success page
	h.u.Wait()
	var shown []string
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "✓") {
			shown = append(shown, l.Text)
			if strings.Contains(l.Text, "questions") {
				t.Errorf("English on the German Success page: %q", l.Text)
			}
		}
	}
	if len(shown) == 0 {
		t.Fatalf("no methods listed on %q", h.w.Title())
	}
}

// The security key's name is offered filled in ("Security key",
// "Security key 2"), as the wizard makes it: in English on a German page,
// and stored so unless the person retypes it.
func TestReview5_SecurityKeyDefaultNameInGerman(t *testing.T) {
	key := softkey.New([16]byte{1, 2, 3})
	h, v := toSecurityKey(t, key)
	useLanguageForTest(t, "de")
	test.Tap(h.u.host.next) // found
	h.u.Wait()
	test.Tap(h.u.host.next) // touched
	h.u.Wait()
	if h.keyScreen() != securitykey.ScreenName {
		t.Fatalf("screen %s, message %q", h.keyScreen(), h.u.host.message.Text)
	}
	if v.name.Text == "Security key" {
		t.Errorf("the name offered on the German page is English: %q", v.name.Text)
	}
}

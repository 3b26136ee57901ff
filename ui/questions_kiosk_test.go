package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/questions"
)

const kioskQuestionsPolicy = `organisation = "Contoso"
demo = true
mode = "kiosk"
required = ["security-questions"]
allowed = ["authenticator-app", "security-questions"]
min_methods = 1
`

// A person at a kiosk picks their three security questions and walks
// away; the idle wipe clears the picks. Each row's list must then offer
// every question again: the next person's page is reused, and a row
// lacking the questions the other rows had taken would show, when opened,
// which questions the last person chose (the wipe clears the picks after
// the flow has forgotten the setup).
func TestKiosk_WipeLeavesNoQuestionChoices(t *testing.T) {
	h := newHarness(t, kioskQuestionsPolicy, map[info.Kind]wizard.SetupFactory{
		info.KindSecurityQuestions: questions.Factory(questions.Config{Register: 3, Language: "en"}),
	})
	h.dir.AddAccount(t, "bob@contoso.example", "correct horse battery")
	reach := func(account, password string) *questionsView {
		t.Helper()
		h.signIn(account, password)
		test.Tap(h.u.moreInfo.next)
		if _, ok := h.u.flow.Setup().(*questions.Setup); !ok {
			t.Fatalf("%s: not on the security questions: %q", account, h.w.Title())
		}
		return h.u.host.views[info.KindSecurityQuestions].(*questionsView)
	}
	v := reach("bob@contoso.example", "correct horse battery")
	all := len(v.rows[0].pick.Options)
	chosen := []string{v.rows[0].pick.Options[3], v.rows[0].pick.Options[7], v.rows[0].pick.Options[11]}
	for i, q := range chosen {
		v.rows[i].pick.SetSelected(q)
		v.rows[i].answer.SetText("answer number " + string(rune('a'+i)))
	}
	h.idleOut()

	v = reach(wizard.DemoAccount, wizard.DemoPassword)
	if got := len(v.rows[0].pick.Options); got != all {
		var missing []string
		for _, q := range chosen[1:] {
			if !slices.Contains(v.rows[0].pick.Options, q) {
				missing = append(missing, q)
			}
		}
		t.Errorf("the next person's row 1 offers %d of %d questions; missing the last person's choices %q", got, all, missing)
	}
}

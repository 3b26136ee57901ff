package main

import (
	"slices"
	"testing"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/questions"
)

// The policy the app ships allows only what this binary can register.
func TestDefaultPolicy_AllowsOnlyWhatIsBuilt(t *testing.T) {
	pol, err := wizard.ParsePolicy(assets.DefaultPolicyName, assets.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	built := setupFactories(pol, "en", nil)
	kinds := append(append([]info.Kind(nil), pol.Required...), pol.Allowed...)
	if pol.AppPasswords {
		kinds = append(kinds, info.KindAppPassword)
	}
	for _, k := range kinds {
		if built[k] == nil {
			t.Errorf("the default policy allows %s, which this binary can't register", k)
		}
	}
}

// The shipped security questions are offered in the language they are
// built with, which main chooses as the window's (ui.ChooseLanguage).
func TestSetupFactories_QuestionsInTheLanguageGiven(t *testing.T) {
	pol, err := wizard.ParsePolicy(assets.DefaultPolicyName, assets.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	dir := memory.New()
	if err := dir.CreateAccount(info.Account{Name: "alice@contoso.example"}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "en"} {
		s, err := setupFactories(pol, lang, nil)[info.KindSecurityQuestions](wizard.SetupContext{Account: "alice@contoso.example", Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		shown := s.(*questions.Setup).Questions()
		want, _ := questions.Text("first-pet", lang)
		if !slices.ContainsFunc(shown, func(q questions.Shipped) bool { return q.Text == want }) {
			t.Errorf("%s: %q not among the questions shown: %v", lang, want, shown)
		}
	}
}

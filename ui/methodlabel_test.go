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
)

// A person using the app in German registers security questions; the
// Success page lists them in German, counted ("Sicherheitsfragen: 3
// Fragen"), not by the English label the wizard stores ("3 questions").
func TestQuestionsLabelInGerman(t *testing.T) {
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
	shown := checkedLines(h)
	if len(shown) == 0 {
		t.Fatalf("no methods listed on %q", h.w.Title())
	}
	for _, l := range shown {
		if strings.Contains(l, "questions") {
			t.Errorf("English on the German Success page: %q", l)
		}
	}
	if !containsLine(shown, "✓ Sicherheitsfragen: 3 Fragen") {
		t.Errorf("the questions are not counted in German: %q", shown)
	}
}

// Methods as earlier versions stored them, with English words the wizard
// chose ("3 questions", "Authenticator app 2"), are named in German on the
// Success and Security info pages; names a person gave stay as typed.
func TestMethodLabels_StoredEnglishDefaultsInGerman(t *testing.T) {
	useLanguageForTest(t, "de")
	h := newHarness(t, testPolicy, nil)
	for _, m := range []info.Method{
		{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Authenticator app 2", Created: t0},
		{ID: "a2", Kind: info.KindAuthenticatorApp, Label: "Pixel 8", Created: t0},
		{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: t0},
		{ID: "q1", Kind: info.KindSecurityQuestions, Label: "3 questions", Created: t0,
			Questions: []info.Question{{ID: "first-pet", Hash: "h"}, {ID: "first-school", Hash: "h"}, {ID: "childhood-food", Hash: "h"}}},
	} {
		var seed []byte
		if m.Kind == info.KindAuthenticatorApp {
			seed = appSeed
		}
		if err := h.dir.AddMethod(wizard.DemoAccount, m, seed); err != nil {
			t.Fatal(err)
		}
	}
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	want := []string{"Sicherheitsfragen: 3 Fragen", "Authenticator-App: Authenticator-App 2", "Authenticator-App: Pixel 8", "Telefon: +1 ••• ••• 1234"}
	lines := checkedLines(h)
	for _, w := range want {
		if !containsLine(lines, "✓ "+w) {
			t.Errorf("%q: no %q among %q", h.w.Title(), "✓ "+w, lines)
		}
	}
	if err := h.u.handle(h.u.flow.OpenManage()); err != nil {
		t.Fatal(err)
	}
	h.u.Wait()
	var rows []string
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "(hinzugefügt") {
			rows = append(rows, l.Text)
			if strings.Contains(l.Text, "questions") || strings.Contains(l.Text, "app") {
				t.Errorf("English on the German Security info page: %q", l.Text)
			}
		}
	}
	for _, w := range want {
		found := false
		for _, r := range rows {
			found = found || strings.HasPrefix(r, w+" (")
		}
		if !found {
			t.Errorf("Security info: no %q among %q", w, rows)
		}
	}
}

// shownLabel words what the wizard worded, in the language in use, and
// counts questions in each language's plural forms.
func TestShownLabel(t *testing.T) {
	for _, tc := range []struct {
		lang      string
		kind      info.Kind
		label     string
		questions int
		want      string
	}{
		{"de", info.KindSecurityQuestions, "3 questions", 3, "3 Fragen"},
		{"de", info.KindSecurityQuestions, "1 questions", 0, "1 Frage"},
		{"fr", info.KindSecurityQuestions, "", 1, "1 question"},
		{"es", info.KindSecurityQuestions, "5 questions", 0, "5 preguntas"},
		{"en", info.KindSecurityQuestions, "2 questions", 2, "2 questions"},
		{"en", info.KindSecurityQuestions, "1 questions", 1, "1 question"},
		{"de", info.KindSecurityQuestions, "questions", 0, ""},
		{"fr", info.KindAuthenticatorApp, "Authenticator app", 0, "Application d'authentification"},
		{"es", info.KindSecurityKey, "Security key 2", 0, "Llave de seguridad 2"},
		{"de", info.KindRecoveryCodes, "Recovery code", 0, "Wiederherstellungscode"},
		{"de", info.KindSecurityKey, "Security key for work", 0, "Security key for work"},
		{"de", info.KindAuthenticatorApp, "Pixel 8", 0, "Pixel 8"},
		{"de", info.KindAppPassword, "Recovery code", 0, "Recovery code"},
	} {
		t.Run(tc.lang+"/"+tc.label, func(t *testing.T) {
			useLanguageForTest(t, tc.lang)
			if got := shownLabel(tc.kind, tc.label, tc.questions); got != tc.want {
				t.Errorf("shownLabel(%s, %q, %d) in %s = %q, want %q", tc.kind, tc.label, tc.questions, tc.lang, got, tc.want)
			}
		})
	}
}

// checkedLines are the "✓ …" lines of the page shown.
func checkedLines(h *harness) []string {
	var out []string
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "✓") {
			out = append(out, l.Text)
		}
	}
	return out
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// The ways offered to confirm it's you name a security key or an
// authenticator app by its default name in the language in use too.
func TestOptionTitle_DefaultNamesTranslated(t *testing.T) {
	useLanguageForTest(t, "de")
	for _, o := range []wizard.ProofOption{
		{Kind: info.KindSecurityKey, MethodID: "k1", Label: "Security key 2"},
		{Kind: info.KindAuthenticatorApp, MethodID: "a1", Label: "Authenticator app 3"},
	} {
		got := optionTitle(o)
		if strings.Contains(got, o.Label) || !strings.Contains(got, shownLabel(o.Kind, o.Label, 0)) {
			t.Errorf("%s %q offered as %q", o.Kind, o.Label, got)
		}
	}
}

// A default name typed in any language shipped, whatever the page's, in
// any case and numbered or not, is stored as the English default the
// wizard compares; a name of the person's own stays as typed.
func TestStoredName_DefaultsInAnyLanguageStoredInEnglish(t *testing.T) {
	for _, c := range []struct {
		kind        info.Kind
		typed, want string
	}{
		{info.KindSecurityKey, " Sicherheitsschlüssel ", "Security key"},
		{info.KindSecurityKey, "clé de sécurité 3", "Security key 3"},
		{info.KindSecurityKey, "Llave de seguridad", "Security key"},
		{info.KindSecurityKey, "SECURITY KEY 2", "Security key 2"},
		{info.KindSecurityKey, "Sicherheitsschlüssel blau", "Sicherheitsschlüssel blau"},
		{info.KindSecurityKey, "Blue key", "Blue key"},
		{info.KindAuthenticatorApp, "Authenticator-App", "Authenticator app"},
		{info.KindAuthenticatorApp, "Application d'authentification 2", "Authenticator app 2"},
		{info.KindAuthenticatorApp, "Sicherheitsschlüssel", "Sicherheitsschlüssel"},
		{info.KindAuthenticatorApp, "Pixel 8", "Pixel 8"},
	} {
		if got := storedName(c.kind, c.typed); got != c.want {
			t.Errorf("%s %q stored as %q, want %q", c.kind, c.typed, got, c.want)
		}
	}
}

// A name saved as "Change the name" offered it, in any language, is the
// stored label; so is a name of the person's own saved unchanged, even
// one that reads like a default.
func TestRenamedLabel_UnchangedIsTheStoredLabel(t *testing.T) {
	app := info.Method{Kind: info.KindAuthenticatorApp, Label: "Authenticator app 2"}
	own := info.Method{Kind: info.KindAuthenticatorApp, Label: "authenticator app"}
	for _, c := range []struct {
		m           info.Method
		typed, want string
	}{
		{app, "Authenticator-App 2", "Authenticator app 2"},
		{app, "Aplicación de autenticación 2 ", "Authenticator app 2"},
		{app, "Authenticator app 2", "Authenticator app 2"},
		{app, "Pixel 8", "Pixel 8"},
		{own, "authenticator app", "authenticator app"},
		{own, "Authenticator-App", "Authenticator app"},
	} {
		if got := renamedLabel(c.m, c.typed); got != c.want {
			t.Errorf("%q renamed to %q: %q, want %q", c.m.Label, c.typed, got, c.want)
		}
	}
}

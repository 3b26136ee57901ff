//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Under LANG=de_DE.UTF-8 and fr_FR.UTF-8 the real window speaks the
// language from sign-in into the wizard: the window titles (set from the
// translated page titles) say so, the screenshots show the pages, and no
// translation is missing (Fyne logs a "Translation failure" for each).
// Fyne reads LANG itself: no glibc locale needs to be generated.
func TestRealWindow_German(t *testing.T) {
	t.Parallel()
	walkInLanguage(t, "de_DE.UTF-8", "Security Info – Anmelden", "Security Info – Weitere Informationen erforderlich",
		"Security Info – Schützen Sie Ihr Konto – Authenticator-App")
}

func TestRealWindow_French(t *testing.T) {
	t.Parallel()
	walkInLanguage(t, "fr_FR.UTF-8", "Security Info — Se connecter", "Security Info — Informations supplémentaires requises",
		"Security Info — Sécurisez votre compte — Application d'authentification")
}

// walkInLanguage signs in under LANG=lang and goes into the wizard, the
// window titles reading as given.
func walkInLanguage(t *testing.T, lang, signIn, moreInfo, wizard string) {
	s := newSession(t)
	s.setEnv("LANG", lang)
	s.start()
	s.waitWindowTitle(signIn)
	s.waitPaint() // the title changes before the page is drawn
	s.shot("sign-in")
	s.typeText("demo@contoso.example")
	s.key("Return")
	s.typeText("contoso-demo-2026")
	s.key("Return")
	s.waitWindowTitle(moreInfo)
	s.waitPaint() // the title changes before the page is drawn
	s.shot("more-information-required")
	s.key("Return")
	s.waitWindowTitle(wizard)
	s.waitPaint() // the title changes before the page is drawn
	s.shot("wizard")
	s.stop()
	if e := s.errOut.String(); strings.Contains(e, "Fyne error") || strings.Contains(e, "Translation failure") {
		t.Errorf("stderr under %s:\n%s", lang, e)
	}
}

// The policy's language key wins over the system's locale.
func TestRealWindow_PolicyLanguage(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	s.setEnv("LANG", "de_DE.UTF-8")
	b, err := os.ReadFile("../assets/default-policy.toml")
	if err != nil {
		t.Fatal(err)
	}
	policy := filepath.Join(s.root, "policy.toml")
	os.WriteFile(policy, append(b, "\nlanguage = \"es\"\n"...), 0o644)
	s.start("--policy", policy)
	s.waitWindowTitle("Security Info: Iniciar sesión")
	s.shot("sign-in")
}

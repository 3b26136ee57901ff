package ui

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2/lang"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
)

// defaultNames are the English names the wizard stores for a method the
// person did not name, by kind, possibly numbered ("Authenticator app 2").
// They are words, not names: shown in the language in use.
var defaultNames = map[info.Kind]string{
	info.KindAuthenticatorApp: authapp.DefaultDeviceName,
	info.KindSecurityKey:      securitykey.DefaultName,
	info.KindRecoveryCodes:    recovery.Label,
}

// methodLabel is a registered method's label in the language in use: the
// name the person gave it or its masked number as stored, but what the
// wizard worded itself said in the language in use. The security
// questions' stored label ("3 questions") is English, for older versions
// and the CLI: they are counted here instead.
func methodLabel(m info.Method) string {
	return shownLabel(m.Kind, m.Label, len(m.Questions))
}

// shownLabel is methodLabel for a method of kind k labelled label, with
// questions security questions (0 where they are not at hand: then the
// count the stored label starts with). It is "" for security questions
// of no known count, which methodName then names by kind alone.
func shownLabel(k info.Kind, label string, questions int) string {
	if k == info.KindSecurityQuestions {
		n := questions
		if n == 0 {
			n, _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(label, "questions")))
		}
		if n <= 0 {
			return ""
		}
		return lang.N("{{.Count}} questions", n, map[string]any{"Count": n})
	}
	def, ok := defaultNames[k]
	if !ok {
		return label
	}
	if label == def {
		return translate(def)
	}
	if num, ok := strings.CutPrefix(label, def+" "); ok {
		if _, err := strconv.Atoi(num); err == nil {
			return translate(def) + " " + num
		}
	}
	return label
}

// defaultWords are, by kind, the default name (defaultNames) in each
// language shipped (wizard.Languages, English first): the words a page in
// any of them shows for it (shownLabel), read from the translation files
// rather than from the language in use, since a name typed on a German
// page must mean the same on a French one.
var defaultWords = sync.OnceValue(func() map[info.Kind][]string {
	out := map[info.Kind][]string{}
	for k, def := range defaultNames {
		out[k] = []string{def}
	}
	for _, l := range wizard.Languages {
		if l == "en" {
			continue
		}
		b, err := translations.ReadFile("translations/" + l + ".json")
		if err != nil {
			continue // TestTranslations_Keys checks every language has its file
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) != nil {
			continue
		}
		for k, def := range defaultNames {
			var w string
			if json.Unmarshal(m[def], &w) == nil && w != "" {
				out[k] = append(out[k], w)
			}
		}
	}
	return out
})

// storedName is the label to store for name, given (typed or offered) to
// a method of kind k: a default name in the words of any language shipped,
// in any case and numbered or not ("Sicherheitsschlüssel 2"), is stored as
// the English default ("Security key 2"). It then shows in the language of
// every page (shownLabel), and the wizard, which compares labels as
// stored, tells it from the other keys' names as one name, whatever
// language it was typed in. Any other name is name, trimmed as the wizard
// trims it.
func storedName(k info.Kind, name string) string {
	name = strings.TrimSpace(name)
	def, ok := defaultNames[k]
	if !ok || k == info.KindSecurityQuestions {
		return name
	}
	for _, w := range defaultWords()[k] {
		if strings.EqualFold(name, w) {
			return def
		}
		if len(name) > len(w)+1 && strings.EqualFold(name[:len(w)+1], w+" ") {
			num := name[len(w)+1:]
			if _, err := strconv.Atoi(num); err == nil {
				return def + " " + num
			}
		}
	}
	return name
}

// renamedLabel is the label to store for m renamed to typed: m's label as
// stored where typed is that label as shown in any language shipped ("Change
// the name" offers it as shown: "Authenticator-App" on a German page), so
// that saving the name unchanged changes nothing; else storedName.
func renamedLabel(m info.Method, typed string) string {
	typed = strings.TrimSpace(typed)
	if typed == m.Label {
		// Shown as stored, even a name of the person's own that
		// storedName would take for a default ("authenticator app").
		return m.Label
	}
	return storedName(m.Kind, typed)
}

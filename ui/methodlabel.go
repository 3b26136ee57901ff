package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// defaultNames are the English names the wizard stores for a method the
// person did not name, by kind, possibly numbered ("Authenticator app 2").
// They are words, not names: shown in the language in use.
var defaultNames = map[info.Kind]string{
	info.KindAuthenticatorApp: authapp.DefaultDeviceName,
	// wizard/securitykey's default name, as earlier versions stored it.
	info.KindSecurityKey:   "Security key",
	info.KindRecoveryCodes: recovery.Label,
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

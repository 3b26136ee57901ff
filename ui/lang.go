package ui

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	golocale "github.com/jeandeaual/go-locale"
	"golang.org/x/net/idna"
	"golang.org/x/text/language"

	// Before Fyne's lang, in tests too: see the package.
	_ "github.com/securityinfo/securityinfo/ui/locale"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/newpassword"
	"github.com/securityinfo/securityinfo/wizard/phone"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// The words people read are looked up in translations/<lang>.json, keyed by
// their English text: lang.L("Sign in"). English keys keep the code
// readable and the wizard's sentences (wizard/words, which must not import
// Fyne) translatable at display time by the same key (translate), with
// English, the bundle's default, needing no lookup at all. en.json lists
// every key once, so that a test can tell a key missing in any language.
//
//go:embed translations
var translations embed.FS

// current is the language in use ("de"), one of wizard.Languages.
var current atomic.Value

// currentLanguage returns the language in use.
func currentLanguage() string {
	if l, ok := current.Load().(string); ok {
		return l
	}
	return "en"
}

// UseLanguage chooses the language people read: override (the policy's
// language key) when set, else the closest of wizard.Languages to the
// system's locales (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English.
// It returns the language chosen. Call it before any page is built.
//
// Fyne's lang package offers no way to name the language: it matches its
// own list of translations (which includes languages this app has no
// words for, such as Polish) against the environment whenever
// translations are added. So the environment is made to name exactly the
// chosen language for that moment, and put back at once: Fyne's buttons
// then speak the same language as ours, and a locale we don't speak falls
// back to English everywhere rather than logging a "Translation failure"
// for each of our strings.
func UseLanguage(override string) string {
	chosen := ChooseLanguage(override)
	if err := forceLanguage(chosen); err != nil {
		logStderr("translations: %v", err)
	}
	current.Store(chosen)
	phone.UseLanguage(language.Make(chosen))
	return chosen
}

// ChooseLanguage returns the language UseLanguage(override) chooses,
// without using it: for what is built before the window (the shipped
// security questions, questions.Config.Language), so that it speaks the
// window's language.
func ChooseLanguage(override string) string {
	return chooseLanguage(override, systemLocales())
}

// systemLocales returns the system's preferred locales, best first, as
// BCP 47 tags ("de-DE"); none under C or POSIX.
func systemLocales() []string {
	locs, err := golocale.GetLocales()
	if err != nil {
		return nil
	}
	return locs
}

// chooseLanguage returns override if the app speaks it, else the closest of
// wizard.Languages to locales, else "en".
func chooseLanguage(override string, locales []string) string {
	for _, l := range wizard.Languages {
		if l == override {
			return l
		}
	}
	var tags []language.Tag
	for _, l := range locales {
		// "C" from C.UTF-8 doesn't parse: it names no language.
		if t, err := language.Parse(l); err == nil {
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		return "en"
	}
	supported := make([]language.Tag, len(wizard.Languages))
	for i, l := range wizard.Languages {
		supported[i] = language.Make(l)
	}
	_, i, conf := language.NewMatcher(supported).Match(tags...)
	if conf == language.No {
		return "en"
	}
	return wizard.Languages[i]
}

// envMu serialises forceLanguage's borrowing of the environment.
var envMu sync.Mutex

// forceLanguage loads the translations with the environment naming only
// code, so that Fyne's localizer settles on it (see UseLanguage).
func forceLanguage(code string) error {
	envMu.Lock()
	defer envMu.Unlock()
	names := []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}
	saved := make(map[string]*string, len(names))
	for _, n := range names {
		if v, ok := os.LookupEnv(n); ok {
			saved[n] = &v
		} else {
			saved[n] = nil
		}
		_ = os.Unsetenv(n)
	}
	defer func() {
		for n, v := range saved {
			if v == nil {
				_ = os.Unsetenv(n)
			} else {
				_ = os.Setenv(n, *v)
			}
		}
	}()
	// With LC_ALL, LC_MESSAGES and LANG unset, LANGUAGE alone decides.
	if err := os.Setenv("LANGUAGE", code); err != nil {
		return fmt.Errorf("name the language: %w", err)
	}
	// Parsed before the first frame, so as little as does the job: of
	// English only the plural forms (a sentence English shows as its own
	// key needs no entry: for the bundle's default language the localizer
	// takes the key itself, and in another language an English entry
	// would only stand in for a missing translation, which the tests
	// forbid), then the chosen language. Parsing all of en.json took
	// 2.3 ms of the start, and picking its plural forms out of it still
	// 1.8 ms: they are picked out ahead (enPlurals).
	if err := lang.AddTranslations(fyne.NewStaticResource("en.json", enPlurals)); err != nil {
		return fmt.Errorf("load en.json: %w", err)
	}
	if code == "en" {
		return nil
	}
	b, err := translations.ReadFile("translations/" + code + ".json")
	if err != nil {
		return fmt.Errorf("load %s.json: %w", code, err)
	}
	if err := lang.AddTranslations(fyne.NewStaticResource(code+".json", b)); err != nil {
		return fmt.Errorf("load %s.json: %w", code, err)
	}
	return nil
}

// enPlurals is the entries of translations/en.json that have plural forms
// ({"one": …, "other": …}), as a translation file: all of English that
// forceLanguage loads. TestEnPlurals keeps it in step with en.json.
//
//go:embed plurals_en.json
var enPlurals []byte

// known is every key of en.json: translate looks up only these, so that a
// sentence without a translation (a name, a number) is shown as it is
// instead of logging a translation failure.
var known = sync.OnceValue(func() map[string]bool {
	b, err := translations.ReadFile("translations/en.json")
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
})

// translate returns text, a sentence the wizard wrote in English
// (wizard/words), in the language in use.
func translate(text string) string {
	if text == "" || !known()[text] {
		return text
	}
	return lang.L(text)
}

// MessageTranslator says a sentence of a message sent to a person (a code
// by email, text or call; a notice of a change to their security info) in
// the language in use when it is composed: the method.Translator New gives
// the flow, and main the notices. It returns "" in English (the wizard
// writes its English itself), before UseLanguage has chosen a language,
// and for a sentence that is not a key of en.json. Asked for the empty
// key, it names the language in use ("de"; method.Translator.Language).
func MessageTranslator(key string, data map[string]any) string {
	if currentLanguage() == "en" {
		return ""
	}
	if key == "" {
		return currentLanguage()
	}
	if !known()[key] {
		return ""
	}
	return lang.L(key, data)
}

// wordsFor is wizard.Words(err) in the language in use. The sentences that
// carry a number are built here from the error's fields, since their
// English text can't be a key; a reset's failed proof keeps its own plain
// words whatever it wraps.
func wordsFor(err error) string {
	var wait *regulation.WaitError
	var wrongPhone *phone.WrongCodeError
	var wrongApp *authapp.WrongCodeError
	var skew *authapp.ClockSkewError
	var cooldown *phone.CooldownError
	var phoneLimit *phone.LimitError
	var emailLimit *email.LimitError
	var short *newpassword.TooShortError
	var count *questions.CountError
	var expired *tap.ExpiredError
	var rule *questions.RuleError
	var refused *email.RefusedError
	switch {
	case errors.Is(err, wizard.ErrResetProofFailed):
		// First: a failed proof at a password reset reads the same
		// whatever it wraps (a wrong code's tries left, an app's clock),
		// or it would tell a real method from the decoy of none.
		return translate(wizard.Words(wizard.ErrResetProofFailed))
	case errors.As(err, &refused):
		domain := refused.Domain
		if u, err := idna.Display.ToUnicode(domain); err == nil {
			domain = u // as email's displayDomain shows it
		}
		return lang.L("You can't use an address at {{.Domain}} here. Use a personal email address: one you can read when you can't sign in to your work account.", map[string]any{"Domain": domain})
	case errors.As(err, &rule):
		return lang.L("Question {{.Row}}: {{.Words}}", map[string]any{"Row": rule.Row, "Words": ruleWords(rule)})
	case errors.As(err, &wait):
		return tooManyAttempts(wait.Wait)
	case errors.As(err, &wrongPhone):
		return wrongCode(wrongPhone.Left)
	case errors.As(err, &wrongApp):
		return wrongCode(wrongApp.Left)
	case errors.As(err, &skew):
		off := skew.Offset
		if off < 0 {
			return lang.L("The clock on your phone is about {{.Offset}} behind. Set its date and time to update automatically, then enter the new code.", map[string]any{"Offset": skewDuration(-off)})
		}
		return lang.L("The clock on your phone is about {{.Offset}} ahead. Set its date and time to update automatically, then enter the new code.", map[string]any{"Offset": skewDuration(off)})
	case errors.As(err, &cooldown):
		return lang.L("Wait {{.Wait}} before asking for another code.", map[string]any{"Wait": duration(cooldown.Wait)})
	case errors.As(err, &phoneLimit):
		return lang.L("This number has had {{.Max}} codes in the last hour. Try again in {{.Wait}}, or choose a different method.", map[string]any{"Max": phone.MaxSendsPerHour, "Wait": wholeMinutes(phoneLimit.Wait)})
	case errors.As(err, &emailLimit):
		return lang.L("This address has had {{.Max}} codes in the last hour. Try again in {{.Wait}}, or choose a different method.", map[string]any{"Max": email.MaxSendsPerHour, "Wait": wholeMinutes(emailLimit.Wait)})
	case errors.As(err, &short):
		return lang.L("Use at least {{.Min}} characters. A few unrelated words make a password that is long and easy to remember.", map[string]any{"Min": short.Min})
	case errors.As(err, &count):
		return lang.L("Choose and answer {{.Count}} questions.", map[string]any{"Count": count.Want})
	case errors.As(err, &expired):
		at := expired.At.UTC()
		return lang.L("This Temporary Access Pass expired at {{.Time}} UTC on {{.Date}}. Ask your helpdesk for a new one.", map[string]any{"Time": at.Format("15:04"), "Date": at.Format("2006-01-02")})
	}
	if w := wrongPINWords(err); w != "" {
		return w
	}
	return translate(wizard.Words(err))
}

// ruleWords is what a broken rule of a security question says, in the
// language in use.
func ruleWords(e *questions.RuleError) string {
	switch e.Rule {
	case questions.ErrQuestionWord:
		return lang.L("The answer can't contain “{{.Word}}”: it is a word of the question.", map[string]any{"Word": e.Word})
	case questions.ErrAccountWord:
		return lang.L("The answer can't contain “{{.Word}}”: it is part of your account name.", map[string]any{"Word": e.Word})
	case questions.ErrOwnLength:
		return lang.L("Write a question of {{.Min}} to {{.Max}} characters.", map[string]any{"Min": questions.MinOwn, "Max": questions.MaxOwn})
	case questions.ErrAnswerLength:
		return lang.L("The answer must be {{.Min}} to {{.Max}} characters long.", map[string]any{"Min": questions.MinAnswer, "Max": questions.MaxAnswer})
	}
	return wordsFor(e.Rule)
}

// skewDuration says how far off a clock is, to the nearest minute once it
// is a minute or more (authapp's skewWords).
func skewDuration(off time.Duration) string {
	if off >= time.Minute {
		off = off.Round(time.Minute)
	}
	return duration(off)
}

// wholeMinutes is d rounded up to whole minutes, at least one: "5 minutes".
func wholeMinutes(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m < 1 {
		m = 1
	}
	return lang.N("{{.Count}} minutes", m, map[string]any{"Count": m})
}

// wrongCode is words.WrongCode in the language in use.
func wrongCode(left int) string {
	if left < 1 {
		return lang.L("That code isn't right. Check it and try again.")
	}
	return lang.N("That code isn't right. Check it and try again ({{.Count}} tries left).", left, map[string]any{"Count": left})
}

// tooManyAttempts is regulation.WaitError's words in the language in use.
func tooManyAttempts(wait time.Duration) string {
	return lang.L("Too many failed attempts. Wait {{.Wait}} before trying again.", map[string]any{"Wait": duration(wait)})
}

// duration is words.Duration in the language in use: "25 seconds",
// "2 minutes 30 seconds", "1 hour 5 minutes", rounded up to a second.
func duration(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	h, m, s := s/3600, s/60%60, s%60
	hours := func(n int) string { return lang.N("{{.Count}} hours", n, map[string]any{"Count": n}) }
	minutes := func(n int) string { return lang.N("{{.Count}} minutes", n, map[string]any{"Count": n}) }
	seconds := func(n int) string { return lang.N("{{.Count}} seconds", n, map[string]any{"Count": n}) }
	switch {
	case h > 0 && m == 0:
		if h == 1 {
			return lang.L("an hour")
		}
		return hours(h)
	case h > 0:
		// Seconds don't matter once hours are counted.
		return hours(h) + " " + minutes(m)
	case m == 0:
		if s == 1 {
			return lang.L("a second")
		}
		return seconds(s)
	case s == 0:
		if m == 1 {
			return lang.L("a minute")
		}
		return minutes(m)
	}
	return minutes(m) + " " + seconds(s)
}

// dateLayouts are how each language writes a day ("2 Jan 2006") and a
// time of day; month names come from monthNames.
var dateLayouts = map[string]struct{ date, dayTime string }{
	"en": {"2 Jan 2006", "2 Jan 15:04"},
	"de": {"2. Jan 2006", "2. Jan, 15:04"},
	"fr": {"2 Jan 2006", "2 Jan à 15:04"},
	"es": {"2 Jan 2006", "2 Jan, 15:04"},
}

// monthNames are the short month names of the languages other than
// English, January first.
var monthNames = map[string][12]string{
	"de": {"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
	"fr": {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
	"es": {"ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."},
}

// formatDate writes t's day ("2 Jan 2026", "2. Jan. 2026", "2 janv. 2026").
func formatDate(t time.Time) string {
	return formatLocal(t, dateLayouts[currentLanguage()].date)
}

// formatDayTime writes t's day and time ("2 Jan 15:04").
func formatDayTime(t time.Time) string {
	return formatLocal(t, dateLayouts[currentLanguage()].dayTime)
}

func formatLocal(t time.Time, layout string) string {
	if layout == "" {
		layout = dateLayouts["en"].date
	}
	names, ok := monthNames[currentLanguage()]
	if !ok {
		return t.Format(layout)
	}
	// "Jan" is the only month token in the layouts: format around it.
	const token = "Jan"
	for i := 0; i+len(token) <= len(layout); i++ {
		if layout[i:i+len(token)] == token {
			return t.Format(layout[:i]) + names[t.Month()-1] + t.Format(layout[i+len(token):])
		}
	}
	return t.Format(layout)
}

// sentText is the code screen's first line (the SentText of phone and
// email setups) in the language in use.
func sentText(voice bool, masked string, digits int) string {
	if voice {
		return lang.L("We're calling {{.Number}} now. Enter the code you hear below.", map[string]any{"Number": masked})
	}
	return lang.L("We just sent a {{.Digits}} digit code to {{.Address}}. Enter the code below.", map[string]any{"Digits": digits, "Address": masked})
}

// optionTitle is a way to confirm it's you (wizard.ProofOption's Title) in
// the language in use. A password reset's options name kinds only.
func optionTitle(o wizard.ProofOption) string {
	if o.MethodID == "" {
		return translate(o.Title)
	}
	label := shownLabel(o.Kind, o.Label, 0)
	switch o.Kind {
	case info.KindAuthenticatorApp:
		if label == "" {
			return lang.L("Use a code from my authenticator app")
		}
		return lang.L("Use a code from my authenticator app ({{.Name}})", map[string]any{"Name": label})
	case info.KindPhone:
		if o.Voice {
			return lang.L("Call {{.Number}}", map[string]any{"Number": o.Label})
		}
		return lang.L("Text {{.Number}}", map[string]any{"Number": o.Label})
	case info.KindSecurityKey:
		return lang.L("Use my security key ({{.Name}})", map[string]any{"Name": label})
	case info.KindRecoveryCodes:
		return lang.N("Use a recovery code ({{.Count}} left)", o.Left, map[string]any{"Count": o.Left})
	}
	if label == "" {
		return translate(wizard.Describe(o.Kind).Title)
	}
	return translate(wizard.Describe(o.Kind).Title) + " (" + label + ")"
}

// promptFor is a challenge's prompt in the language in use; o is the way
// chosen.
func promptFor(o wizard.ProofOption, ch wizard.Challenge) string {
	if o.MethodID != "" {
		switch {
		case o.Kind == info.KindPhone && o.Voice:
			return lang.L("We're calling {{.Number}}. Enter the code you hear.", map[string]any{"Number": o.Label})
		case o.Kind == info.KindPhone:
			return lang.L("We texted a code to {{.Number}}. Enter it below.", map[string]any{"Number": o.Label})
		case o.Kind == info.KindAuthenticatorApp && o.Label != "":
			return lang.L("Enter the code from your authenticator app ({{.Name}}).", map[string]any{"Name": shownLabel(o.Kind, o.Label, 0)})
		}
	}
	if ch.Kind == info.KindSecurityQuestions && len(ch.Fields) > 1 {
		return lang.L("Answer these {{.Count}} of your security questions.", map[string]any{"Count": len(ch.Fields)})
	}
	return translate(ch.Prompt)
}

package method

import (
	"strings"
	"text/template"
	"unicode/utf8"
)

// Translator says a sentence of a message sent to a person (a code by
// email, text or call; a notice of a change to their security info) in the
// language they are using in the app at that moment. key is the sentence
// in English, a text/template whose fields data fills in ("Use
// verification code {{.Code}} for security info registration."); the
// result is "" for a sentence it has no words for. The UI gives the flow
// one (wizard never imports Fyne, whose localizer holds the translations);
// nil keeps every message English. Asked for the empty key, it names its
// language ("de"), or "" for English: see Language.
type Translator func(key string, data map[string]any) string

// Language is the language t says messages in ("de"), for
// Message.Language; "" for English, as for a nil t.
func (t Translator) Language() string {
	if t == nil {
		return ""
	}
	return t("", nil)
}

// Say is key in t's language with data filled in; English where t is nil
// or has no words for key.
func (t Translator) Say(key string, data map[string]any) string {
	if t != nil {
		if s := t(key, data); s != "" {
			return s
		}
	}
	return English(key, data)
}

// English is key with data filled in, as Say has it without a Translator.
// A key that is not a valid template is returned as it is.
func English(key string, data map[string]any) string {
	if !strings.Contains(key, "{{") {
		return key
	}
	tmpl, err := template.New("").Option("missingkey=zero").Parse(key)
	if err != nil {
		return key
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		return key
	}
	return b.String()
}

// Wrap breaks each line of text at spaces into lines of at most width
// characters, for a plain-text email whose sentences (keys of a
// Translator) are written on one line: a word longer than width keeps a
// line of its own, so a code is never split.
func Wrap(text string, width int) string {
	lines := strings.Split(text, "\n")
	var out []string
	for _, line := range lines {
		out = append(out, wrapLine(line, width)...)
	}
	return strings.Join(out, "\n")
}

// wrapLine breaks one line at spaces into lines of at most width runes.
func wrapLine(line string, width int) []string {
	words := strings.Fields(line)
	if len(words) == 0 {
		return []string{""}
	}
	var out []string
	cur := words[0]
	for _, w := range words[1:] {
		if utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) > width {
			out = append(out, cur)
			cur = w
			continue
		}
		cur += " " + w
	}
	return append(out, cur)
}

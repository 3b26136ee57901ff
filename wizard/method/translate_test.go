package method

import (
	"strings"
	"testing"
)

func TestTranslator_Say(t *testing.T) {
	data := map[string]any{"Code": "012345", "Organisation": "{{.Code}} & <Co>"}
	const key = "Use verification code {{.Code}} for {{.Organisation}} security info registration."
	// Data is never read as a template, nor escaped: it is shown as given.
	want := "Use verification code 012345 for {{.Code}} & <Co> security info registration."
	if got := Translator(nil).Say(key, data); got != want {
		t.Errorf("nil Say = %q, want %q", got, want)
	}
	none := Translator(func(string, map[string]any) string { return "" })
	if got := none.Say(key, data); got != want {
		t.Errorf("a translator without words: %q, want English", got)
	}
	var asked string
	de := Translator(func(k string, d map[string]any) string {
		asked = k
		return "Code " + d["Code"].(string)
	})
	if got := de.Say(key, data); got != "Code 012345" || asked != key {
		t.Errorf("Say = %q (asked %q)", got, asked)
	}
	if got := English("Not a {{template", nil); got != "Not a {{template" {
		t.Errorf("English of a broken template: %q", got)
	}
}

func TestWrap(t *testing.T) {
	text := "The code works for 10 minutes. If you didn't ask for it, someone may have typed your address by mistake: you can ignore this email, and nothing changes without the code."
	want := "The code works for 10 minutes. If you didn't ask for it, someone may have\ntyped your address by mistake: you can ignore this email, and nothing\nchanges without the code."
	if got := Wrap(text, 74); got != want {
		t.Errorf("Wrap = %q, want %q", got, want)
	}
	// Lines already broken stay broken; a word longer than the width
	// keeps a line of its own, whole; width counts characters, not bytes.
	if got := Wrap("Größe äöü ß\nx "+strings.Repeat("9", 12)+" y", 11); got != "Größe äöü ß\nx\n999999999999\ny" {
		t.Errorf("Wrap = %q", got)
	}
}

// A Translator names its language when asked for the empty key; nil is
// English.
func TestTranslator_Language(t *testing.T) {
	if l := Translator(nil).Language(); l != "" {
		t.Errorf("nil Language = %q", l)
	}
	de := Translator(func(k string, _ map[string]any) string {
		if k == "" {
			return "de"
		}
		return "Hallo"
	})
	if l := de.Language(); l != "de" {
		t.Errorf("Language = %q", l)
	}
}

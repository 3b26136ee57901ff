package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every button, link and dialog of the app takes the keyboard (keys.go,
// dialogs.go): a Fyne button or link made directly ignores Enter, and a
// Fyne dialog leaves Enter and Escape to the page behind it. This catches
// one added (or brought back by a merge) without the keyboard.
func TestKeys_NoWidgetWithoutTheKeyboard(t *testing.T) {
	plain := regexp.MustCompile(`widget\.NewButton(WithIcon)?\(|widget\.NewHyperlink\(|&widget\.(Button|Hyperlink)\{|dialog\.(New|Show)(Confirm|Form|Custom|Information|Error|Entry)\w*\(`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "dialogs.go" || f == "keys.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if plain.MatchString(line) {
				t.Errorf("%s:%d: %s: use newButton, newButtonWithIcon, link or u.newConfirm/newForm/newCustom/newKeyDialog", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

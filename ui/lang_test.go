package ui

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/unicode/bidi"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/phone"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

var updateKeys = flag.Bool("update-keys", false, "rewrite translations/en.json from the keys the code uses")

// The unit tests read English, whatever the locale of the machine running
// them: the goldens are English. They run with argon2id at its cheapest
// (testkit.Main): none of them is about the hash's cost.
func TestMain(m *testing.M) {
	flag.Parse()
	UseLanguage("en")
	testkit.Main(m)
}

// readTranslations returns each language's file: key → text, or for a
// plural key its forms ("one", "other") joined.
func readTranslations(t *testing.T) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, l := range wizard.Languages {
		b, err := translations.ReadFile("translations/" + l + ".json")
		if err != nil {
			t.Fatalf("language %s has no translations file: %v", l, err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l, err)
		}
		out[l] = m
	}
	return out
}

var placeholderRe = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// placeholders returns the sorted template fields of a translation, all
// plural forms together.
func placeholders(v any) []string {
	var texts []string
	switch x := v.(type) {
	case string:
		texts = []string{x}
	case map[string]any:
		for _, f := range x {
			if s, ok := f.(string); ok {
				texts = append(texts, s)
			}
		}
	}
	set := map[string]bool{}
	for _, s := range texts {
		for _, m := range placeholderRe.FindAllStringSubmatch(s, -1) {
			set[m[1]] = true
		}
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// forms returns a translation's texts: itself, or its plural forms with
// "other" last.
func forms(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case map[string]any:
		var out []string
		for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
			if s, ok := x[f].(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Every language has every key, no other, with the same placeholders as
// English, and non-empty text; plural keys have the forms the language
// needs.
func TestTranslations_Complete(t *testing.T) {
	all := readTranslations(t)
	en := all["en"]
	if len(en) < 100 {
		t.Fatalf("en.json has %d keys", len(en))
	}
	for _, l := range wizard.Languages {
		m := all[l]
		for k, ev := range en {
			v, ok := m[k]
			if !ok {
				t.Errorf("%s: missing %q", l, k)
				continue
			}
			if got, want := placeholders(v), placeholders(ev); !slices.Equal(got, want) {
				t.Errorf("%s: %q has placeholders %v, English %v", l, k, got, want)
			}
			// Codes, numbers and names are placeholders: a translation
			// must show each as often as English does, and hold nothing
			// right-to-left that could make the bidi algorithm reorder
			// the code beside it.
			for _, form := range forms(v) {
				for _, p := range placeholders(ev) {
					if got, want := strings.Count(form, "{{."+p+"}}"), strings.Count(forms(ev)[len(forms(ev))-1], "{{."+p+"}}"); got != want {
						t.Errorf("%s: %q shows {{.%s}} %d times, English %d", l, k, p, got, want)
					}
				}
				for _, r := range form {
					if props, _ := bidi.LookupRune(r); props.Class() == bidi.R || props.Class() == bidi.AL || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
						t.Errorf("%s: %q holds the right-to-left or bidi control %U", l, k, r)
					}
				}
			}
			switch x := v.(type) {
			case string:
				if strings.TrimSpace(x) == "" {
					t.Errorf("%s: %q is empty", l, k)
				}
				if _, plural := ev.(map[string]any); plural {
					t.Errorf("%s: %q must have plural forms, as in English", l, k)
				}
			case map[string]any:
				if x["one"] == nil || x["other"] == nil {
					t.Errorf("%s: plural %q needs the forms one and other", l, k)
				}
			default:
				t.Errorf("%s: %q is %T", l, k, v)
			}
		}
		for k := range m {
			if _, ok := en[k]; !ok {
				t.Errorf("%s: %q is not a key of en.json", l, k)
			}
		}
	}
}

// usedKeys returns the keys the code uses: the literal first argument of
// every lang.L/N/X call in ui, and the words for people of every
// words.New/Like in wizard and ui (translated at display, wordsFor), with
// the other sentences the wizard hands over (wizard.Words's fallbacks,
// storageWords).
func usedKeys(t *testing.T) (keys map[string]bool, plural map[string]bool) {
	t.Helper()
	keys, plural = map[string]bool{}, map[string]bool{}
	var files []string
	ui, _ := filepath.Glob("*.go")
	files = append(files, ui...)
	_ = filepath.WalkDir("../wizard", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return nil
	})
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fs := token.NewFileSet()
		af, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(f, "../wizard") && wizardTextFile(f) {
			wizardSentences(af, keys)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pkg, _ := sel.X.(*ast.Ident)
				if pkg == nil || len(x.Args) == 0 {
					return true
				}
				switch {
				case pkg.Name == "lang" && (sel.Sel.Name == "L" || sel.Sel.Name == "N"):
					if s, ok := constString(x.Args[0]); ok {
						keys[s] = true
						if sel.Sel.Name == "N" {
							plural[s] = true
						}
					} else if !strings.HasSuffix(f, "lang.go") && !strings.HasSuffix(types.ExprString(x.Args[0]), ".label") {
						t.Errorf("%s: lang.%s with a key that is not a literal", fs.Position(x.Pos()), sel.Sel.Name)
					}
				case pkg.Name == "words" && sel.Sel.Name == "New" && len(x.Args) == 2:
					if s, ok := constString(x.Args[1]); ok {
						keys[s] = true
					}
				case pkg.Name == "words" && sel.Sel.Name == "Like" && len(x.Args) == 3:
					if s, ok := constString(x.Args[2]); ok {
						keys[s] = true
					}
				case sel.Sel.Name == "Say" && strings.HasPrefix(f, "../wizard"):
					// The sentences of sent messages (method.Translator),
					// said through MessageTranslator.
					if s, ok := constString(x.Args[0]); ok {
						keys[s] = true
					}
				}
			case *ast.ValueSpec:
				// passLifetimes' labels are shown through lang.L(l.label).
				// The notices' tables of what changed and of the names in
				// their dates are said through MessageTranslator too.
				if len(x.Names) == 1 && (x.Names[0].Name == "passLifetimes" ||
					strings.Contains(f, "/notice/") && slices.Contains([]string{"changes", "weekdays", "months", "shortMonths"}, x.Names[0].Name)) {
					ast.Inspect(x, func(n ast.Node) bool {
						if s, ok := constString(asExpr(n)); ok {
							keys[s] = true
						}
						return true
					})
				}
			case *ast.KeyValueExpr:
				// storageWords' {err, "words"} pairs are unkeyed; the
				// keyed words: fields of other tables count too.
				if id, ok := x.Key.(*ast.Ident); ok && id.Name == "words" {
					if s, ok := constString(x.Value); ok {
						keys[s] = true
					}
				}
			case *ast.CompositeLit:
				if len(x.Elts) == 2 && strings.HasSuffix(f, "wording.go") {
					if s, ok := constString(x.Elts[1]); ok {
						keys[s] = true
					}
				}
			case *ast.ReturnStmt:
				if strings.HasSuffix(f, "wording.go") && len(x.Results) == 1 {
					if s, ok := constString(x.Results[0]); ok && s != "" {
						keys[s] = true
					}
				}
			}
			return true
		})
	}
	return keys, plural
}

// wizardTextFile reports whether a wizard file may hold words for the
// screen: not the senders' and notices' message bodies (delivery,
// notice), nor the station's paths, nor the region names (already in
// each language: region_names.go).
func wizardTextFile(f string) bool {
	for _, skip := range []string{"/delivery/", "/notice/", "/station/", "webauthn.go", "region.go", "region_names.go", "/regiongen/"} {
		if strings.Contains(f, skip) {
			return false
		}
	}
	return true
}

// notForPeople are calls whose strings are for logs, administrators or
// machines, not for the screen.
var notForPeople = map[string]bool{"Errorf": true, "New": true, "fail": true, "Sprintf": true, "MustCompile": true, "Like": true,
	"Getenv": true, "Printf": true, "Contains": true, "HasPrefix": true, "PolicyError": true}

// wizardSentences adds the wizard's fixed sentences and titles for people
// (translate shows them at display): literals that start with a capital,
// have a space and no format verb or line break, outside calls for logs.
func wizardSentences(af *ast.File, keys map[string]bool) {
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		ast.Inspect(n, func(m ast.Node) bool {
			if m == n {
				return true
			}
			switch x := m.(type) {
			case *ast.ImportSpec:
				return false
			case *ast.ValueSpec:
				// apppassword.NameExample ("Laptop"), shown through translate.
				if len(x.Names) == 1 && x.Names[0].Name == "NameExample" && len(x.Values) == 1 {
					if s, ok := constString(x.Values[0]); ok {
						keys[s] = true
					}
				}
			case *ast.CompositeLit:
				if id, ok := x.Type.(*ast.Ident); ok && id.Name == "PolicyError" {
					return false
				}
				// The methods' one-word titles ("Phone") are words too.
				elems := x.Elts
				if at, ok := x.Type.(*ast.ArrayType); ok {
					if id, ok := at.Elt.(*ast.Ident); ok && id.Name == "MethodInfo" {
						elems = nil
						for _, e := range x.Elts {
							if c, ok := e.(*ast.CompositeLit); ok {
								elems = append(elems, c.Elts...)
							}
						}
						x = &ast.CompositeLit{Type: at.Elt, Elts: elems}
					}
				}
				if id, ok := x.Type.(*ast.Ident); ok && id.Name == "MethodInfo" {
					for _, e := range x.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok {
							e = kv.Value
						}
						if s, ok := constString(e); ok && s != "" {
							keys[s] = true
						}
					}
				}
			case *ast.CallExpr:
				name := calleeName(x)
				if name == "New" && len(x.Args) == 2 { // words.New: its text is for logs
					walk(x.Args[1])
					return false
				}
				if notForPeople[name] {
					return false
				}
			case *ast.BasicLit:
				s, err := strconv.Unquote(x.Value)
				if x.Kind == token.STRING && err == nil && sentence(s) {
					keys[s] = true
				}
			}
			return true
		})
	}
	walk(af)
}

// sentence reports whether s looks like words for people.
func sentence(s string) bool {
	r := []rune(s)
	return len(r) > 2 && unicode.IsUpper(r[0]) && !unicode.IsSpace(r[len(r)-1]) && r[len(r)-1] != '(' && strings.ContainsFunc(s, unicode.IsLower) && strings.Contains(s, " ") &&
		!strings.ContainsAny(s, "%\n")
}

func asExpr(n ast.Node) ast.Expr {
	if b, ok := n.(*ast.BasicLit); ok {
		return b
	}
	return nil
}

// constString returns the value of a string literal, a sum of them, or a
// constant declared as one in the same file.
func constString(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.Ident:
		if x.Obj == nil || x.Obj.Kind != ast.Con {
			return "", false
		}
		if vs, ok := x.Obj.Decl.(*ast.ValueSpec); ok {
			for i, n := range vs.Names {
				if n.Name == x.Name && i < len(vs.Values) {
					return constString(vs.Values[i])
				}
			}
		}
		return "", false
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(x.X)
		b, ok2 := constString(x.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(x.X)
	}
	return "", false
}

// en.json lists exactly the keys the code uses. go test -run
// TestTranslations_Keys -update-keys rewrites it (keeping the plural
// forms written by hand); the other languages must then follow.
func TestTranslations_Keys(t *testing.T) {
	used, plural := usedKeys(t)
	en := readTranslations(t)["en"]
	if *updateKeys {
		out := map[string]any{}
		for k := range used {
			if v, ok := en[k]; ok {
				out[k] = v
			} else if plural[k] {
				out[k] = map[string]any{"one": k, "other": k}
			} else {
				out[k] = k
			}
		}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("translations/en.json", append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for k := range used {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q (go test -run TestTranslations_Keys -update-keys)", k)
		}
	}
	for k, v := range en {
		if !used[k] {
			t.Errorf("en.json has %q, which no code uses", k)
		}
		if s, ok := v.(string); ok && s != k {
			t.Errorf("en.json: %q must read as its key, not %q", k, s)
		}
	}
}

// shownBy are the calls whose string arguments people read.
var shownBy = map[string]bool{"NewForm": true, "NewFormItem": true, "NewLabel": true, "NewLabelWithStyle": true, "NewButton": true,
	"NewButtonWithIcon": true, "NewCard": true, "NewCheck": true, "NewConfirm": true, "ShowConfirm": true, "ShowCustom": true,
	"ShowForm": true, "NewCustom": true, "NewCustomWithoutButtons": true, "SetConfirmText": true, "SetDismissText": true,
	"SetPlaceHolder": true, "SetText": true, "heading": true, "para": true, "link": true, "newProofPanel": true,
	"passwordShown": true, "secretRow": true, "NewHyperlink": true, "NewCustomConfirm": true, "ShowCustomConfirm": true,
	"NewInformation": true, "ShowInformation": true, "NewRadioGroup": true, "NewSelect": true, "SetTitle": true, "NewWindow": true}

// notWords are literals shown as they are in every language: examples of
// what to type, and the product's name.
var notWords = map[string]bool{"someone@example.com": true, "123456": true, "Security Info": true}

// No literal with letters reaches a widget, a dialog or a page title
// without lang: a go/ast scan of ui's files.
func TestTranslations_NoBareText(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fs := token.NewFileSet()
		af, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		bare := func(e ast.Expr) {
			// A literal, a sum with one, or a Sprintf of one.
			var lits []*ast.BasicLit
			ast.Inspect(e, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					if s, ok := c.Fun.(*ast.SelectorExpr); ok {
						if p, ok := s.X.(*ast.Ident); ok && p.Name == "lang" {
							return false
						}
					}
					if name := calleeName(c); name != "Sprintf" && name != "Join" {
						return false
					}
				}
				if b, ok := n.(*ast.BasicLit); ok && b.Kind == token.STRING {
					lits = append(lits, b)
				}
				return true
			})
			for _, b := range lits {
				s, _ := strconv.Unquote(b.Value)
				if strings.ContainsFunc(s, unicode.IsLetter) && !notWords[s] {
					t.Errorf("%s: %s is shown without lang", fs.Position(b.Pos()), b.Value)
				}
			}
		}
		ast.Inspect(af, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if (x.Name.Name == "title" || x.Name.Name == "heading" || x.Name.Name == "problemHeading") && x.Body != nil {
					ast.Inspect(x.Body, func(n ast.Node) bool {
						if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
							bare(r.Results[0])
						}
						return true
					})
				}
			case *ast.CallExpr:
				if shownBy[calleeName(x)] {
					for _, a := range x.Args {
						bare(a)
					}
				}
			case *ast.AssignStmt:
				// l.Text = "…", e.PlaceHolder = "…", card.Title = "…"
				for i, lhs := range x.Lhs {
					if sel, ok := lhs.(*ast.SelectorExpr); ok && shownFields[sel.Sel.Name] && i < len(x.Rhs) {
						bare(x.Rhs[i])
					}
				}
			}
			return true
		})
	}
}

// shownFields are the widget fields people read.
var shownFields = map[string]bool{"Text": true, "PlaceHolder": true, "Title": true, "Subtitle": true}

func calleeName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// The policy's language wins; else the system's closest; else English.
func TestChooseLanguage(t *testing.T) {
	for _, c := range []struct {
		override string
		locales  []string
		want     string
	}{
		{"", []string{"de-DE"}, "de"},
		{"", []string{"de-AT"}, "de"},
		{"", []string{"fr-CA"}, "fr"},
		{"", []string{"es-MX"}, "es"},
		{"fr", []string{"de-DE"}, "fr"},
		{"", []string{"pl-PL"}, "en"},
		{"", []string{"pl-PL", "es-ES"}, "es"},
		{"", []string{"C"}, "en"},
		{"", nil, "en"},
		{"xx", []string{"de-DE"}, "de"},
	} {
		if got := chooseLanguage(c.override, c.locales); got != c.want {
			t.Errorf("chooseLanguage(%q, %v) = %q, want %q", c.override, c.locales, got, c.want)
		}
	}
}

// useLanguageForTest switches to l until the test ends.
func useLanguageForTest(t *testing.T, l string) {
	t.Helper()
	if got := UseLanguage(l); got != l {
		t.Fatalf("UseLanguage(%q) = %q", l, got)
	}
	t.Cleanup(func() { UseLanguage("en") })
}

// Whatever LANG says, the language chosen is the one Fyne's own words
// (dialog buttons) use too, and the environment is left as it was.
func TestUseLanguage_FyneAgrees(t *testing.T) {
	t.Setenv("LANG", "C")
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "pl")
	useLanguageForTest(t, "de")
	if got := lang.L("Sign in"); got != "Anmelden" {
		t.Errorf("Sign in in German: %q", got)
	}
	if got := lang.L("Yes"); got != "Ja" {
		t.Errorf("Fyne's Yes in German: %q", got)
	}
	if os.Getenv("LANG") != "C" || os.Getenv("LANGUAGE") != "pl" {
		t.Errorf("environment not restored: LANG=%q LANGUAGE=%q", os.Getenv("LANG"), os.Getenv("LANGUAGE"))
	}
	if r, _ := phone.LookupRegion("DE"); r.Name != "Deutschland" {
		t.Errorf("DE named %q in German", r.Name)
	}
}

// ChooseLanguage, which main uses for the shipped security questions,
// chooses what UseLanguage does, and uses nothing.
func TestChooseLanguage_IsWhatUseLanguageChooses(t *testing.T) {
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES"} {
		t.Setenv(v, "")
	}
	t.Setenv("LANG", "fr_CA.UTF-8")
	t.Cleanup(func() { UseLanguage("en") })
	for override, want := range map[string]string{"": "fr", "de": "de", "pl": "fr"} {
		UseLanguage("en")
		got := ChooseLanguage(override)
		if got != want {
			t.Errorf("ChooseLanguage(%q) = %q, want %q", override, got, want)
		}
		if now := currentLanguage(); now != "en" {
			t.Errorf("ChooseLanguage(%q) switched the language to %q", override, now)
		}
		if used := UseLanguage(override); used != got {
			t.Errorf("UseLanguage(%q) = %q, ChooseLanguage %q", override, used, got)
		}
	}
}

// The words built from numbers are translated with their numbers; dates
// use the language's month names.
func TestWordsFor_Numbers(t *testing.T) {
	useLanguageForTest(t, "de")
	if got := wordsFor(&phone.WrongCodeError{Left: 1}); !strings.Contains(got, "1 Versuch") {
		t.Errorf("wrong code, 1 left, in German: %q", got)
	}
	if got := wordsFor(&authapp.WrongCodeError{Left: 3}); !strings.Contains(got, "3 Versuche") {
		t.Errorf("wrong code, 3 left, in German: %q", got)
	}
	if got := wordsFor(&regulation.WaitError{Wait: 90 * time.Second}); !strings.Contains(got, "1 Minute 30 Sekunden") {
		t.Errorf("wait in German: %q", got)
	}
	if got := wordsFor(&authapp.ClockSkewError{Offset: -2 * time.Minute}); !strings.Contains(got, "etwa 2 Minuten nach") {
		t.Errorf("clock behind in German: %q", got)
	}
	if got := wordsFor(&phone.LimitError{Wait: 90 * time.Second}); !strings.Contains(got, "in 2 Minuten erneut") {
		t.Errorf("phone limit in German: %q", got)
	}
	if got := wordsFor(&questions.RuleError{Row: 2, Rule: questions.ErrQuestionWord, Word: "Hund"}); got != "Frage 2: Die Antwort darf „Hund“ nicht enthalten: Das ist ein Wort der Frage." {
		t.Errorf("question rule in German: %q", got)
	}
	day := time.Date(2026, time.March, 2, 9, 5, 0, 0, time.Local)
	if got := formatDate(day); got != "2. März 2026" {
		t.Errorf("date in German: %q", got)
	}
	o := wizard.ProofOption{Kind: info.KindPhone, MethodID: "p1", Title: "Call +1 ••• 1234", Label: "+1 ••• 1234", Voice: true}
	if got := optionTitle(o); got != "+1 ••• 1234 anrufen" {
		t.Errorf("proof option in German: %q", got)
	}
	if got := promptFor(o, wizard.Challenge{Kind: info.KindPhone, Prompt: "We're calling +1 ••• 1234. Enter the code you hear."}); !strings.HasPrefix(got, "Wir rufen +1 ••• 1234 an.") {
		t.Errorf("prompt in German: %q", got)
	}
	UseLanguage("fr")
	if got := formatDayTime(day); got != "2 mars à 09:05" {
		t.Errorf("day and time in French: %q", got)
	}
	UseLanguage("en")
	if got := formatDate(day); got != "2 Mar 2026" {
		t.Errorf("date in English: %q", got)
	}
}

// In German the sign-in page, the wizard's words for an error, the method
// pages and Fyne's own dialog buttons all read German; in French the
// window title is French. English words left on a page would show here.
func TestPages_InGermanAndFrench(t *testing.T) {
	useLanguageForTest(t, "de")
	h := newHarness(t, testPolicy, nil)
	if got := h.w.Title(); got != "Security Info – Anmelden" {
		t.Errorf("window title in German: %q", got)
	}
	if len(buttons(h.w.Canvas(), "Anmelden")) != 1 {
		t.Error("no Anmelden button on the sign-in page")
	}
	if h.u.signIn.password.PlaceHolder != "Kennwort" {
		t.Errorf("password placeholder in German: %q", h.u.signIn.password.PlaceHolder)
	}
	h.signIn(wizard.DemoAccount, "not-the-password")
	if got := h.u.signIn.message.Text; got != "Kontoname oder Kennwort ist falsch. Prüfen Sie beides und versuchen Sie es erneut." {
		t.Errorf("wrong password in German: %q", got)
	}
	h.signIn("", wizard.DemoPassword) // the account stays after a failure
	if got := h.w.Title(); !strings.Contains(got, "Weitere Informationen erforderlich") {
		t.Errorf("after sign-in, title %q", got)
	}
	for _, want := range []string{"Weiter"} {
		if len(buttons(h.w.Canvas(), want)) == 0 {
			t.Errorf("no %q button on the prompt", want)
		}
	}
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Your organisation") {
			t.Errorf("English label in German: %q", l.Text)
		}
	}

	UseLanguage("fr")
	h = newHarness(t, testPolicy, nil)
	if got := h.w.Title(); got != "Security Info — Se connecter" {
		t.Errorf("window title in French: %q", got)
	}
}

// unlabelled lists the controls on c that a screen reader could not name:
// a button or link without text, an entry without a placeholder.
// The parts Fyne draws inside its own widgets (an entry's reveal button,
// a picker's drop-down arrow) are the widget's, named by it.
func unlabelled(c fyne.Canvas) []string {
	var out []string
	for _, o := range objects(c) {
		// The page's own controls wrap Fyne's (keys.go): judge the
		// widget inside.
		switch w := o.(type) {
		case *widget.SelectEntry:
			o = &w.Entry
		case *keyButton:
			o = &w.Button
		case *keyLink:
			o = &w.Hyperlink
		case *keyEntry:
			o = &w.Entry
		case *keySelect:
			o = &w.Select
		case *regionEntry:
			o = &w.Entry
		}
		switch w := o.(type) {
		case *widget.Button:
			if strings.TrimSpace(w.Text) == "" {
				out = append(out, "a button without text")
			}
		case *widget.Hyperlink:
			if strings.TrimSpace(w.Text) == "" {
				out = append(out, "a link without text")
			}
		case *widget.Entry:
			if strings.TrimSpace(w.PlaceHolder) == "" {
				out = append(out, fmt.Sprintf("an entry without a placeholder (text %q)", w.Text))
			}
		case *widget.Select:
			if strings.TrimSpace(w.PlaceHolder) == "" && w.Selected == "" {
				out = append(out, "a picker without a placeholder")
			}
		}
	}
	return out
}

// Every control from sign-in to the phone's code has a name a screen
// reader could read once Fyne offers one (README, Accessibility), and in
// German the country picker names countries in German.
func TestControls_Labelled(t *testing.T) {
	h, p, v, _ := toPhone(t)
	if u := unlabelled(h.w.Canvas()); len(u) > 0 {
		t.Errorf("phone number page: %v", u)
	}
	test.Type(v.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if u := unlabelled(h.w.Canvas()); len(u) > 0 {
		t.Errorf("phone code page: %v", u)
	}
	h.u.host.onChooser()
	if u := unlabelled(h.w.Canvas()); len(u) > 0 {
		t.Errorf("chooser: %v", u)
	}

	// The picker's labels are German: choosing one by its German name
	// picks the region.
	useLanguageForTest(t, "de")
	p.ChangeNumber()
	v.region.SetText("Deutschland (+49)")
	if got := p.Region().Code; got != "DE" {
		t.Errorf("\"Deutschland (+49)\" picked region %q", got)
	}
}

// The labels check sees through the page's own controls (keys.go) to the
// Fyne widget inside, and passes over what Fyne draws inside an entry.
func TestControls_UnlabelledFindsOurControls(t *testing.T) {
	w := test.NewTempWindow(t, container.NewVBox(newButton("", nil), newKeyEntry(), newKeyPasswordEntry()))
	got := unlabelled(w.Canvas())
	if len(got) != 3 {
		t.Fatalf("found %v, want a button without text and two entries without a placeholder", got)
	}
	named := newKeyPasswordEntry()
	named.SetPlaceHolder("Password")
	w.SetContent(container.NewVBox(newButton("Sign in", nil), named))
	if got := unlabelled(w.Canvas()); len(got) != 0 {
		t.Errorf("named controls reported: %v", got)
	}
}

// In every language the authenticator app's screens fit the card's width:
// a label that doesn't wrap is cut off at the edge ("Oder scannen Sie dies
// … herunterzuladen" lost its end on the get-app screen).
func TestTranslations_AuthenticatorScreensFitTheCard(t *testing.T) {
	for _, l := range []string{"en", "de", "fr", "es"} {
		t.Run(l, func(t *testing.T) {
			useLanguageForTest(t, l)
			h := newHarness(t, testPolicy, withAuthApp)
			h.signIn(wizard.DemoAccount, wizard.DemoPassword)
			test.Tap(h.u.moreInfo.next)
			for screen := 0; screen < 3; screen++ {
				c, d := h.w.Canvas(), fyne.CurrentApp().Driver()
				// The card scrolls only up and down: what is wider than
				// its scroll area is cut off.
				var area fyne.CanvasObject
				for _, o := range objects(c) {
					if sc, ok := o.(*container.Scroll); ok && sc.Content == fyne.CanvasObject(h.u.host.card) {
						area = sc
					}
				}
				if area == nil {
					t.Fatal("no scroll area around the card")
				}
				edge := d.AbsolutePositionForObject(area).X + area.Size().Width
				for _, o := range objects(c) {
					lb, ok := o.(*widget.Label)
					if !ok || lb.Wrapping != fyne.TextWrapOff || lb.Text == "" {
						continue
					}
					if right := d.AbsolutePositionForObject(lb).X + lb.MinSize().Width; right > edge {
						t.Errorf("screen %d: %q ends at %.0f, past the card's edge at %.0f", screen, lb.Text, right, edge)
					}
				}
				test.Tap(h.u.host.next)
			}
		})
	}
}

// English takes its plural forms from en.json (the one entries the start
// loads of it) and every other sentence from its key.
func TestUseLanguage_EnglishPluralsAndKeys(t *testing.T) {
	useLanguageForTest(t, "en")
	for left, want := range map[int]string{
		1: "That code isn't right. Check it and try again (1 try left).",
		3: "That code isn't right. Check it and try again (3 tries left).",
	} {
		if got := wrongCode(left); got != want {
			t.Errorf("wrongCode(%d) = %q, want %q", left, got, want)
		}
	}
	if got := wholeMinutes(time.Minute); got != "1 minute" {
		t.Errorf("wholeMinutes(1 min) = %q", got)
	}
	if got := lang.L("Sign in"); got != "Sign in" {
		t.Errorf("Sign in in English: %q", got)
	}
}

// plurals_en.json, which forceLanguage loads instead of picking the plural
// forms out of en.json at every start, holds exactly en.json's plural
// entries. -update-keys rewrites it.
func TestEnPlurals(t *testing.T) {
	en, err := translations.ReadFile("translations/en.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := pluralEntries(en)
	if err != nil {
		t.Fatal(err)
	}
	if *updateKeys {
		if err := os.WriteFile("plurals_en.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(enPlurals) != string(want) {
		t.Errorf("plurals_en.json is not en.json's plural entries; run go test ./ui -run TestEnPlurals -update-keys\ngot  %s\nwant %s", enPlurals, want)
	}
	if !strings.Contains(string(want), `"other"`) {
		t.Errorf("en.json has no plural entries: %s", want)
	}
}

// pluralEntries returns the entries of a translation file that have
// plural forms ({"one": …, "other": …}), as a translation file.
func pluralEntries(file []byte) ([]byte, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(file, &all); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	for k, v := range all {
		if len(v) == 0 || v[0] != '{' {
			delete(all, k)
		}
	}
	return json.Marshal(all)
}

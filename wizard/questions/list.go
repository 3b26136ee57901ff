package questions

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"github.com/securityinfo/securityinfo/assets"
)

// Shipped is a question from the list that ships with the app, in one
// language.
type Shipped struct {
	// ID is what is stored with the answer ("first-pet").
	ID string
	// Text is the question in the language asked for.
	Text string
}

// catalogue is the parsed list: each question's id and texts by language.
type catalogue struct {
	ids   []string
	texts map[string]map[string]string // id → language → text
}

var idRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// parseList reads the list's TOML: [[question]] tables with an id and a
// text per language, English required, ids unique.
func parseList(data []byte) (catalogue, error) {
	var f struct {
		Question []map[string]string `toml:"question"`
	}
	if _, err := toml.Decode(string(data), &f); err != nil {
		return catalogue{}, fmt.Errorf("the security questions: %w", err)
	}
	c := catalogue{texts: map[string]map[string]string{}}
	for i, q := range f.Question {
		id := q["id"]
		switch {
		case !idRe.MatchString(id):
			return catalogue{}, fmt.Errorf("the security questions: question %d: id %q is not lower-case words joined by -", i+1, id)
		case c.texts[id] != nil:
			return catalogue{}, fmt.Errorf("the security questions: id %q is used twice", id)
		case strings.TrimSpace(q["en"]) == "":
			return catalogue{}, fmt.Errorf("the security questions: %s has no English text (en)", id)
		}
		texts := map[string]string{}
		for lang, text := range q {
			if lang != "id" {
				texts[lang] = strings.TrimSpace(text)
			}
		}
		c.ids = append(c.ids, id)
		c.texts[id] = texts
	}
	return c, nil
}

// shipped is the embedded list, parsed once. The list is part of the
// binary: a mistake in it is a bug that tests catch, so it panics.
var shipped = sync.OnceValue(func() catalogue {
	c, err := parseList(assets.Questions)
	if err != nil {
		panic(err)
	}
	return c
})

// List returns the shipped questions in lang (an ISO 639-1 code; English
// where a question has no text in it), in the file's order.
func List(lang string) []Shipped {
	c := shipped()
	out := make([]Shipped, 0, len(c.ids))
	for _, id := range c.ids {
		t, _ := Text(id, lang)
		out = append(out, Shipped{ID: id, Text: t})
	}
	return out
}

// Text returns the text of the shipped question id in lang, or in English
// if it has none in lang; ok is false for an id not on the list.
func Text(id, lang string) (text string, ok bool) {
	texts := shipped().texts[id]
	if texts == nil {
		return "", false
	}
	if t := texts[lang]; t != "" {
		return t, true
	}
	return texts["en"], true
}

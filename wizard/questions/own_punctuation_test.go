package questions

import (
	"errors"
	"testing"
)

// A person's own question that differs from a listed one (in any shipped
// language) only in punctuation, quotes or spacing is the listed question:
// registered beside it, the person would have one question with two
// answers, either of which a reset accepts.
func TestOwnQuestionSameAsListedButForPunctuation(t *testing.T) {
	for _, tc := range []struct {
		lang string
		own  string
	}{
		{"en", "What was the name of your first pet"},
		{"en", "What was the name of your first pet ?"},
		{"en", "What was the name of your first pet？"}, // full-width question mark
		{"en", "what was the name of your first pet!!"},
		{"fr", "Comment s'appelait votre premier animal de compagnie ?"},
		{"fr", "Comment sʼappelait votre premier animal de compagnie"}, // modifier letter apostrophe
		{"es", "Cómo se llamaba tu primera mascota"},                   // no ¿ ?
		{"en", "Wie hieß Ihr erstes Haustier"},                         // German list, English page
	} {
		r := Rules{Count: 3, Own: true, Account: "alice@contoso.example", Language: tc.lang}
		err := r.Check([]Entry{
			{ID: "first-pet", Answer: "Rex"},
			{Own: tc.own, Answer: "Fido the dog"},
			{ID: "childhood-food", Answer: "Fish and chips"},
		})
		if !errors.Is(err, ErrListed) && !errors.Is(err, ErrSameQuestion) {
			t.Errorf("%s: own question %q beside the listed one it repeats: %v, want ErrListed or ErrSameQuestion", tc.lang, tc.own, err)
		}
	}
}

// Two questions of one's own that differ only in punctuation are one
// question; ones that differ in a word are not.
func TestOwnQuestionsSameButForPunctuation(t *testing.T) {
	r := Rules{Count: 2, Own: true, Account: "alice@contoso.example", Language: "en"}
	err := r.Check([]Entry{
		{Own: "What is my grandmother's maiden name?", Answer: "Carruthers"},
		{Own: "What is my grandmother’s maiden name", Answer: "Whitfield"},
	})
	if !errors.Is(err, ErrSameQuestion) {
		t.Errorf("the same own question twice: %v, want ErrSameQuestion", err)
	}
	err = r.Check([]Entry{
		{Own: "What is my grandmother's maiden name?", Answer: "Carruthers"},
		{Own: "What is my grandfather's middle name?", Answer: "Whitfield"},
	})
	if err != nil {
		t.Errorf("two different own questions: %v", err)
	}
}

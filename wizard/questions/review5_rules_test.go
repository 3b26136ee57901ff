package questions

import (
	"errors"
	"testing"
)

// "No repeated question" (DESIGN, README): a person's own question that
// is a shipped one, or another row's, is refused (ErrListed,
// ErrSameQuestion). Today the comparison is exact after case and space
// folding, so the same question written without its question mark, or
// with a straight apostrophe where the list has a typographic one, is
// taken as a different question: one person registers "the same
// question twice", with two different answers, one of which a reset then
// accepts as the answer to either.
func TestReview5_OwnQuestionSameAsListedButForPunctuation(t *testing.T) {
	for _, tc := range []struct {
		lang string
		own  string
	}{
		{"en", "What was the name of your first pet"},
		{"en", "What was the name of your first pet ?"},
		{"fr", "Comment s'appelait votre premier animal de compagnie ?"},
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

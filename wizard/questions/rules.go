package questions

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/securityinfo/securityinfo/wizard/words"
)

// The rules for questions and answers.
const (
	// MinAnswer and MaxAnswer bound an answer's length, in characters, once
	// normalised.
	MinAnswer = 3
	MaxAnswer = 40
	// MinOwn and MaxOwn bound a question a person writes.
	MinOwn = 10
	MaxOwn = 200
	// minQuestionWord is the shortest word of a question an answer may not
	// contain; shorter ones ("the", "was") are everyday words.
	minQuestionWord = 4
	// minAccountWord is the shortest word of the account name an answer
	// may not contain.
	minAccountWord = 3
)

// Entry is one question and its answer as the person gave them: a shipped
// question by ID, or their own question's text in Own.
type Entry struct {
	ID     string
	Own    string
	Answer string
}

// Errors of the rules, each for one question; a *RuleError says which.
// Checked with errors.Is.
var (
	ErrNoQuestion = words.New("no question chosen", "Choose a question.")
	ErrUnknown    = words.New("not a question from the list", "Choose a question from the list.")
	ErrOwnOff     = words.New("questions of one's own are not allowed",
		"Your organisation doesn't allow questions of your own. Choose one from the list.")
	ErrOwnLength = words.New("the question is too short or too long",
		fmt.Sprintf("Write a question of %d to %d characters.", MinOwn, MaxOwn))
	ErrSameQuestion = words.New("the question is chosen twice",
		"This question is chosen twice. Choose a different one.")
	ErrListed = words.New("the person's own question is on the list",
		"This question is on the list: choose it there.")
	ErrAnswerLength = words.New("the answer is too short or too long",
		fmt.Sprintf("The answer must be %d to %d characters long.", MinAnswer, MaxAnswer))
	ErrSameAnswer = words.New("the answer is the same as another",
		"Each answer must be different from the others.")
	ErrHidden = words.New("control or invisible characters",
		"Use letters, digits, spaces and punctuation only.")
	// ErrQuestionWord and ErrAccountWord name the word in the
	// *RuleError's Words.
	ErrQuestionWord = words.New("the answer contains a word of the question",
		"The answer can't contain a word of the question.")
	ErrAccountWord = words.New("the answer contains a word of the account name",
		"The answer can't contain a word of your account name.")
)

// RuleError is a broken rule for question Row (1-based, as the page
// numbers them); errors.Is(err, Rule) holds.
type RuleError struct {
	Row  int
	Rule error
	// Word is the offending word, for ErrQuestionWord and ErrAccountWord.
	Word string
}

// Error names the question and the rule.
func (e *RuleError) Error() string { return fmt.Sprintf("question %d: %v", e.Row, e.Rule) }

// Words say which question and what to change.
func (e *RuleError) Words() string {
	w, _ := words.Of(e.Rule)
	switch e.Rule {
	case ErrQuestionWord:
		w = fmt.Sprintf("The answer can't contain “%s”: it is a word of the question.", e.Word)
	case ErrAccountWord:
		w = fmt.Sprintf("The answer can't contain “%s”: it is part of your account name.", e.Word)
	}
	return fmt.Sprintf("Question %d: %s", e.Row, w)
}

// Is makes errors.Is(err, e.Rule) true.
func (e *RuleError) Is(target error) bool { return target == e.Rule }

// CountError means the wrong number of questions was given.
type CountError struct{ Want, Got int }

// Error says how many.
func (e *CountError) Error() string {
	return fmt.Sprintf("%d questions answered, %d wanted", e.Got, e.Want)
}

// Words say how many to answer.
func (e *CountError) Words() string { return fmt.Sprintf("Choose and answer %d questions.", e.Want) }

var fold = cases.Fold()

// Normalise is how answers (and questions, to compare them) are read
// before they are compared or hashed: Unicode NFKC (full-width letters
// and ligatures become plain ones), case folded, runs of white space one
// space, none at either end. "  Mr.  ＢＬＵＥ " and "mr. blue" are one
// answer.
func Normalise(s string) string {
	s = norm.NFKC.String(fold.String(norm.NFKC.String(s)))
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// questionKey is how questions are compared for "the same question
// twice": Normalise, with punctuation, modifier symbols (` ´ ^) and
// apostrophe-like letters (ʼ ʻ) read as space, so "first pet?" and
// "first pet", or "s'appelait" and "s’appelait", are one question. The
// mapping runs before NFKC too, since NFKC turns ´ into a space and a
// combining accent, and after it, since it turns full-width ？ into ?.
func questionKey(q string) string {
	return Normalise(strings.Map(unpunct, Normalise(strings.Map(unpunct, q))))
}

// unpunct maps punctuation and quote-like characters to a space.
func unpunct(r rune) rune {
	switch {
	case unicode.IsPunct(r), unicode.Is(unicode.Sk, r):
		return ' '
	case r == 'ʼ', r == 'ʻ', r == 'ʹ', r == 'ʺ', r == 'ʽ', r == 'ˮ':
		return ' '
	}
	return r
}

// Hidden reports whether s has control or invisible format characters,
// which ErrHidden refuses in a question or an answer.
func Hidden(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0
}

// wordsOf splits normalised text into words: runs of letters, digits and
// marks.
func wordsOf(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.M, r)
	})
}

// stopWords are words of questions an answer may contain: what every
// question says.
var stopWords = map[string]bool{
	"what": true, "your": true, "were": true, "which": true, "where": true, "when": true, "with": true,
	"from": true, "that": true, "this": true, "have": true, "does": true, "name": true, "first": true,
	"quel": true, "quelle": true, "votre": true, "vous": true, "était": true, "dans": true,
	"welche": true, "welcher": true, "welches": true, "ihre": true, "ihrer": true, "ihres": true, "ihr": true,
}

// questionWords are the words of a question an answer may not contain.
func questionWords(q string) []string {
	var out []string
	for _, w := range wordsOf(Normalise(q)) {
		if utf8.RuneCountInString(w) >= minQuestionWord && !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// accountWords are the words of an account name an answer may not
// contain: those of the part before the @ and of the domain but its last
// label ("alice@contoso.example": alice, contoso).
func accountWords(account string) []string {
	a := Normalise(account)
	if at := strings.LastIndexByte(a, '@'); at >= 0 {
		domain := a[at+1:]
		if dot := strings.LastIndexByte(domain, '.'); dot >= 0 {
			domain = domain[:dot]
		}
		a = a[:at] + " " + domain
	}
	var out []string
	for _, w := range wordsOf(a) {
		if utf8.RuneCountInString(w) >= minAccountWord {
			out = append(out, w)
		}
	}
	return out
}

// checked is an entry that passed the rules, with its question's text
// and its normalised answer.
type checked struct {
	q      string // question text as shown
	entry  Entry
	answer string // normalised
}

// Rules are the settings the rules depend on.
type Rules struct {
	// Count is how many questions must be given.
	Count int
	// Own allows questions the person writes.
	Own bool
	// Account is the account's name, whose words answers may not contain.
	Account string
	// Language is what shipped questions are shown in.
	Language string
}

// Check applies the rules to entries: Count of them, each a question from
// the list (or, if Own, one the person wrote: MinOwn to MaxOwn
// characters), no question twice (compared by questionKey, the person's
// own against the list's in every language too), each answer MinAnswer to MaxAnswer
// characters once normalised, no answer twice, and no answer containing a
// word of its question or of the account's name (whole words, compared
// normalised). It returns a *CountError or the first *RuleError, in the
// order of the entries.
func (r Rules) Check(entries []Entry) error {
	_, err := r.check(entries)
	return err
}

func (r Rules) check(entries []Entry) ([]checked, error) {
	if len(entries) != r.Count {
		return nil, &CountError{Want: r.Count, Got: len(entries)}
	}
	out := make([]checked, len(entries))
	seenQ := map[string]int{}
	seenA := map[string]int{}
	acct := accountWords(r.Account)
	for i, e := range entries {
		fail := func(rule error, word string) ([]checked, error) {
			return nil, &RuleError{Row: i + 1, Rule: rule, Word: word}
		}
		var q string
		switch {
		case e.ID != "":
			t, ok := Text(e.ID, r.Language)
			if !ok {
				return fail(ErrUnknown, "")
			}
			q = t
		case strings.TrimSpace(e.Own) == "":
			return fail(ErrNoQuestion, "")
		case !r.Own:
			return fail(ErrOwnOff, "")
		case Hidden(e.Own):
			return fail(ErrHidden, "")
		default:
			q = strings.Join(strings.Fields(e.Own), " ")
			if n := utf8.RuneCountInString(q); n < MinOwn || n > MaxOwn {
				return fail(ErrOwnLength, "")
			}
		}
		nq := questionKey(q)
		if _, dup := seenQ[nq]; dup {
			return fail(ErrSameQuestion, "")
		}
		if e.ID == "" && shippedKeys()[nq] {
			return fail(ErrListed, "")
		}
		seenQ[nq] = i
		if Hidden(e.Answer) {
			return fail(ErrHidden, "")
		}
		a := Normalise(e.Answer)
		if n := utf8.RuneCountInString(a); n < MinAnswer || n > MaxAnswer {
			return fail(ErrAnswerLength, "")
		}
		if _, dup := seenA[a]; dup {
			return fail(ErrSameAnswer, "")
		}
		seenA[a] = i
		aw := wordsOf(a)
		for _, w := range questionWords(q) {
			if contains(aw, w) {
				return fail(ErrQuestionWord, w)
			}
		}
		for _, w := range acct {
			if contains(aw, w) {
				return fail(ErrAccountWord, w)
			}
		}
		out[i] = checked{q: q, entry: e, answer: a}
	}
	return out, nil
}

// shippedKeys are the questionKey of every shipped question in every
// language it ships in: a person's own question may not repeat one, in
// whichever language they write it, or they would register the same
// question twice beside its listed form.
var shippedKeys = sync.OnceValue(func() map[string]bool {
	keys := map[string]bool{}
	for _, texts := range shipped().texts {
		for _, t := range texts {
			keys[questionKey(t)] = true
		}
	}
	return keys
})

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

package questions

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

var t0 = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)

const testAccount = "alice@contoso.example"

func TestList_ShipsTranslatableQuestions(t *testing.T) {
	c, err := parseList(assets.Questions)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.ids) < 20 {
		t.Fatalf("%d questions ship; at least 20 must", len(c.ids))
	}
	seen := map[string]bool{}
	// Every language the window speaks (ui/translations) has its texts.
	for _, lang := range []string{"en", "fr", "de", "es"} {
		for _, q := range List(lang) {
			if q.Text == "" || !strings.HasSuffix(q.Text, "?") || Hidden(strings.ReplaceAll(q.Text, "\u00a0", " ")) {
				t.Errorf("%s %s: %q", lang, q.ID, q.Text)
			}
			if c.texts[q.ID][lang] == "" {
				t.Errorf("%s has no %s text", q.ID, lang)
			}
			if seen[lang+Normalise(q.Text)] {
				t.Errorf("%s: %q twice", lang, q.Text)
			}
			seen[lang+Normalise(q.Text)] = true
		}
	}
	if got, _ := Text("first-pet", "pt"); got != "What was the name of your first pet?" {
		t.Errorf("a language without texts falls back to English: %q", got)
	}
	if got, _ := Text("first-pet", "de"); got != "Wie hieß Ihr erstes Haustier?" {
		t.Errorf("German: %q", got)
	}
	if got, _ := Text("first-pet", "es"); got != "¿Cómo se llamaba tu primera mascota?" {
		t.Errorf("Spanish: %q", got)
	}
	if _, ok := Text("no-such-question", "en"); ok {
		t.Error("an unknown id has a text")
	}
	for text, want := range map[string]string{
		"[[question]]\nid = \"a\"\nen = \"A?\"\n[[question]]\nid = \"a\"\nen = \"B?\"\n": "used twice",
		"[[question]]\nid = \"a\"\nfr = \"A ?\"\n":                                       "no English text",
		"[[question]]\nid = \"First Pet\"\nen = \"A?\"\n":                                "is not lower-case words",
	} {
		if _, err := parseList([]byte(text)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
}

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{
		"  Mr.  ＢＬＵＥ ":      "mr. blue",
		"Straße":            "strasse",
		"ﬁsh\tand  chips\n": "fish and chips",
		"Ｐａｒｉｓ":             "paris",
		"e\u0301clair":      "éclair", // decomposed é
		"ÉCLAIR":            "éclair",
	} {
		if got := Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

// good is a set of three that follows every rule.
func good() []Entry {
	return []Entry{
		{ID: "first-pet", Answer: "Rex"},
		{ID: "mother-birth-city", Answer: "Lyon"},
		{ID: "childhood-food", Answer: "Fish and chips"},
	}
}

func TestRules(t *testing.T) {
	r := Rules{Count: 3, Own: true, Account: testAccount, Language: "en"}
	if err := r.Check(good()); err != nil {
		t.Fatalf("a good set: %v", err)
	}
	type tc struct {
		name  string
		edit  func([]Entry) []Entry
		row   int
		rule  error
		words string
	}
	for _, c := range []tc{
		{"the same question twice", func(e []Entry) []Entry { e[2].ID = "first-pet"; return e }, 3, ErrSameQuestion, ""},
		{"an own question the same as a chosen one", func(e []Entry) []Entry {
			e[2] = Entry{Own: " what WAS the name of  your first pet? ", Answer: "Cod"}
			return e
		}, 3, ErrSameQuestion, ""},
		{"an own question from the list", func(e []Entry) []Entry { e[2] = Entry{Own: "Who was your childhood hero?", Answer: "Zorro"}; return e }, 3, ErrListed, ""},
		{"no question", func(e []Entry) []Entry { e[1] = Entry{Answer: "Lyon"}; return e }, 2, ErrNoQuestion, "Question 2: Choose a question."},
		{"an unknown id", func(e []Entry) []Entry { e[0].ID = "favourite-colour"; return e }, 1, ErrUnknown, ""},
		{"an own question too short", func(e []Entry) []Entry { e[0] = Entry{Own: "Why?", Answer: "Because"}; return e }, 1, ErrOwnLength, ""},
		{"an own question too long", func(e []Entry) []Entry {
			e[0] = Entry{Own: strings.Repeat("x", 201) + "?", Answer: "Because"}
			return e
		}, 1, ErrOwnLength, ""},
		{"a short answer", func(e []Entry) []Entry { e[0].Answer = "  Al  "; return e }, 1, ErrAnswerLength, "Question 1: The answer must be 3 to 40 characters long."},
		{"a long answer", func(e []Entry) []Entry { e[1].Answer = strings.Repeat("é", 41); return e }, 2, ErrAnswerLength, ""},
		{"the same answer twice, as normalised", func(e []Entry) []Entry { e[2].Answer = " ＬＹＯＮ "; return e }, 3, ErrSameAnswer, ""},
		{"a word of the question", func(e []Entry) []Entry { e[1].Answer = "Born in Lyon"; return e }, 2, ErrQuestionWord, "Question 2: The answer can't contain “born”: it is a word of the question."},
		{"a word of the account", func(e []Entry) []Entry { e[1].Answer = "Alice Springs"; return e }, 2, ErrAccountWord, "Question 2: The answer can't contain “alice”: it is part of your account name."},
		{"the account's domain", func(e []Entry) []Entry { e[0].Answer = "CONTOSO corp"; return e }, 1, ErrAccountWord, ""},
		{"a hidden character", func(e []Entry) []Entry { e[0].Answer = "Re\u200bx"; return e }, 1, ErrHidden, ""},
	} {
		err := r.Check(c.edit(good()))
		var re *RuleError
		if !errors.As(err, &re) || re.Row != c.row || !errors.Is(err, c.rule) {
			t.Errorf("%s: %v, want question %d: %v", c.name, err, c.row, c.rule)
			continue
		}
		if w, _ := words.Of(err); c.words != "" && w != c.words {
			t.Errorf("%s: words %q, want %q", c.name, w, c.words)
		}
	}
	// Words of the question in the person's language; the English list's
	// texts are refused as own questions in any language.
	fr := Rules{Count: 3, Own: true, Account: testAccount, Language: "fr"}
	e := good()
	e[1].Answer = "Née à Lyon" // "née" is in the French question: 3 letters, allowed
	if err := fr.Check(e); err != nil {
		t.Errorf("French: %v", err)
	}
	e[2] = Entry{Own: "Qui était votre héros d’enfance\u00a0?", Answer: "Zorro"}
	if err := fr.Check(e); !errors.Is(err, ErrListed) {
		t.Errorf("a French text of a listed question as an own one: %v", err)
	}
	e[2] = Entry{Own: "Who was your childhood hero?", Answer: "Zorro"}
	if err := fr.Check(e); !errors.Is(err, ErrListed) {
		t.Errorf("an English text of a listed question as an own one, in French: %v", err)
	}
	// Own questions off.
	off := Rules{Count: 3, Account: testAccount, Language: "en"}
	e = good()
	e[0] = Entry{Own: "What is my favourite tree?", Answer: "Oak"}
	if err := off.Check(e); !errors.Is(err, ErrOwnOff) {
		t.Errorf("own question when not allowed: %v", err)
	}
	var ce *CountError
	if err := r.Check(good()[:2]); !errors.As(err, &ce) || ce.Want != 3 || ce.Words() != "Choose and answer 3 questions." {
		t.Errorf("two of three: %v", err)
	}
}

// env is a store with the account and a clock.
type env struct {
	dir   *testkit.Store
	clock *testkit.Clock
	cfg   Config
}

func newEnv(t *testing.T) *env {
	return &env{dir: testkit.NewStore(t, testAccount), clock: testkit.NewClock(t0),
		cfg: Config{Register: 5, Reset: 3, Own: true, Station: "kiosk-7", Language: "en", Key: []byte("the station's key")}}
}

func (e *env) ctx(seed int64) method.Context {
	return method.Context{Account: testAccount, Organisation: "Contoso", Dir: e.dir, Now: e.clock.Now, Rand: testkit.Seeded(seed)}
}

// five is a good set of five, one of them the person's own.
func five() []Entry {
	return append(good(),
		Entry{ID: "first-concert", Answer: "  The   ROLLING Stones "},
		Entry{Own: "What is the name of my favourite tree?", Answer: "Oak of Ages"})
}

// register registers five() and returns the stored method.
func (e *env) register(t *testing.T) info.Method {
	t.Helper()
	s, err := Factory(e.cfg)(e.ctx(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.(*Setup).Submit(five()); err != nil {
		t.Fatal(err)
	}
	ms, _ := e.dir.Methods(testAccount)
	return ms[0]
}

func TestSetup_StoresOnlySaltedHashes(t *testing.T) {
	e := newEnv(t)
	ws, err := Factory(e.cfg)(e.ctx(1))
	if err != nil {
		t.Fatal(err)
	}
	s := ws.(*Setup)
	if s.Screen() != ScreenAnswer || s.Count() != 5 || !s.Own() || len(s.Questions()) < 20 || s.Back() {
		t.Fatalf("setup %s %d", s.Screen(), s.Count())
	}
	bad := five()
	bad[4].Answer = "Oak"
	bad[3].Answer = "oak"
	if err := s.Submit(bad); !errors.Is(err, ErrSameAnswer) || s.Done() {
		t.Fatalf("a broken rule: %v", err)
	}
	if ms, _ := e.dir.Methods(testAccount); len(ms) != 0 {
		t.Fatal("stored after a broken rule")
	}
	if err := s.Submit(five()); err != nil {
		t.Fatal(err)
	}
	if !s.Done() || s.Screen() != ScreenDone {
		t.Fatal("not done")
	}
	ms, _ := e.dir.Methods(testAccount)
	if len(ms) != 1 || ms[0].Kind != info.KindSecurityQuestions || ms[0].Label != "5 questions" || len(ms[0].Questions) != 5 {
		t.Fatalf("stored %+v", ms)
	}
	raw, _ := json.Marshal(ms[0])
	for i, q := range ms[0].Questions {
		in := five()[i]
		if q.ID != in.ID || (in.ID == "" && q.Text != in.Own) || (in.ID != "" && q.Text != "") {
			t.Errorf("question %d stored as %+v", i, q)
		}
		if ok, err := secret.Check(q.Hash, Normalise(in.Answer)); !ok || err != nil {
			t.Errorf("question %d: the hash doesn't match the normalised answer: %v", i, err)
		}
		for _, a := range []string{in.Answer, Normalise(in.Answer)} {
			if strings.Contains(string(raw), strings.TrimSpace(a)) {
				t.Errorf("the stored method holds the answer %q", a)
			}
		}
	}
	if _, err := Factory(e.cfg)(e.ctx(2)); !errors.Is(err, ErrQuestionsExist) {
		t.Errorf("a second registration: %v", err)
	}
	if err := s.Submit(five()); !errors.Is(err, ErrDone) {
		t.Errorf("Submit after done: %v", err)
	}
}

func TestSetup_AbortSavesNothing(t *testing.T) {
	e := newEnv(t)
	ws, _ := Factory(e.cfg)(e.ctx(1))
	ws.Abort()
	if err := ws.(*Setup).Submit(five()); !errors.Is(err, ErrAborted) {
		t.Fatalf("Submit after Abort: %v", err)
	}
	if ms, _ := e.dir.Methods(testAccount); len(ms) != 0 {
		t.Fatal("stored after Abort")
	}
}

func TestDraw(t *testing.T) {
	r := testkit.Seeded(7)
	counts := make([]int, 5)
	const n = 30000
	for i := 0; i < n; i++ {
		d, err := Draw(r, 5, 3)
		if err != nil || len(d) != 3 || !(d[0] < d[1] && d[1] < d[2]) || d[0] < 0 || d[2] > 4 {
			t.Fatalf("Draw = %v, %v", d, err)
		}
		for _, x := range d {
			counts[x]++
		}
	}
	// Each index is drawn 3/5 of the time: 18,000 ± 4σ (σ ≈ 85).
	for i, c := range counts {
		if c < 17660 || c > 18340 {
			t.Errorf("index %d drawn %d times in %d; want about 18000", i, c, n)
		}
	}
	if d, _ := Draw(r, 3, 5); len(d) != 3 {
		t.Errorf("5 of 3: %v", d)
	}
	if _, err := Draw(strings.NewReader("ab"), 5, 3); err == nil {
		t.Error("a short read drew questions")
	}
}

func (e *env) prover(t *testing.T, m info.Method, seed int64) *Prover {
	t.Helper()
	p, err := ProverFactory(e.cfg)(e.ctx(seed), m)
	if err != nil {
		t.Fatal(err)
	}
	return p.(*Prover)
}

// answersFor answers the drawn fields from five(), right.
func answersFor(t *testing.T, fields []string) []string {
	t.Helper()
	byText := map[string]string{}
	for _, e := range five() {
		q := e.Own
		if e.ID != "" {
			q, _ = Text(e.ID, "en")
		}
		byText[q] = e.Answer
	}
	var out []string
	for _, f := range fields {
		a, ok := byText[f]
		if !ok {
			t.Fatalf("field %q is no registered question", f)
		}
		out = append(out, a)
	}
	return out
}

func (e *env) failures(t *testing.T) int {
	a, err := e.dir.Account(testAccount)
	if err != nil {
		t.Fatal(err)
	}
	return a.Failures
}

func TestProver_AsksDrawnQuestionsCountsNothing(t *testing.T) {
	e := newEnv(t)
	m := e.register(t)
	p := e.prover(t, m, 3)
	if err := p.Check([]string{"a", "b", "c"}); !errors.Is(err, ErrNotBegun) {
		t.Fatalf("Check before Begin: %v", err)
	}
	if err := p.Begin(); err != nil {
		t.Fatal(err)
	}
	fields := p.Fields()
	if len(fields) != 3 || p.Prompt() != "Answer these 3 of your security questions." {
		t.Fatalf("fields %q, prompt %q", fields, p.Prompt())
	}
	right := answersFor(t, fields)
	// Right answers as a person types them differently still match.
	typed := append([]string(nil), right...)
	for i := range typed {
		typed[i] = "  " + strings.ToUpper(typed[i]) + " "
	}
	wrong := append([]string(nil), right...)
	wrong[1] = "nothing like it"
	// The flow counts a check on the account (wizard.Flow.Prove): a
	// Prover that counted too made each wrong set two failures.
	if err := p.Check(wrong); !errors.Is(err, ErrWrongAnswers) || e.failures(t) != 0 {
		t.Fatalf("a wrong answer: %v, %d failures", err, e.failures(t))
	}
	if err := p.Check([]string{right[0], "", right[2]}); !errors.Is(err, ErrAnswerMissing) {
		t.Fatalf("an empty answer: %v", err)
	}
	if err := p.Check(typed); err != nil {
		t.Fatalf("the right answers: %v", err)
	}
	if err := p.Check(typed); !errors.Is(err, ErrProven) {
		t.Errorf("proving twice: %v", err)
	}
	var actions []string
	_ = e.dir.EachAudit(testAccount, time.Time{}, func(a info.AuditEntry) error {
		actions = append(actions, a.Action)
		for _, x := range five() {
			if strings.Contains(strings.ToLower(a.Detail), strings.ToLower(strings.TrimSpace(x.Answer))) {
				t.Errorf("the audit holds an answer: %+v", a)
			}
		}
		return nil
	})
	if strings.Join(actions, " ") != "security-questions-refused security-questions-used" {
		t.Errorf("audited %v", actions)
	}
}

// drawn is what a new Prover asks of m, with the randomness of seed.
func (e *env) drawn(t *testing.T, m info.Method, seed int64) string {
	t.Helper()
	p := e.prover(t, m, seed)
	if err := p.Begin(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(p.Fields(), " | ")
}

// Starting again asks the same questions: a fresh draw at each start let
// someone who knows some answers start again until only those were asked.
func TestProver_SameQuestionsAllDay(t *testing.T) {
	e := newEnv(t)
	m := e.register(t)
	first := e.drawn(t, m, 1)
	for seed := int64(2); seed < 12; seed++ {
		e.clock.Add(time.Hour / 2) // 09:00 to 14:30, the same day
		if got := e.drawn(t, m, seed); got != first {
			t.Fatalf("start %d asked %q, the first %q", seed, got, first)
		}
	}
	// Another day may ask others; over ten days, all of them get asked.
	sets, asked := map[string]bool{}, map[string]bool{}
	for day := 0; day < 10; day++ {
		e.clock.Add(24 * time.Hour)
		d := e.drawn(t, m, 1)
		sets[d] = true
		for _, q := range strings.Split(d, " | ") {
			asked[q] = true
		}
	}
	if len(sets) < 2 || len(asked) != 5 {
		t.Errorf("ten days asked %d sets, %d of 5 questions", len(sets), len(asked))
	}
	// The draw is keyed by the station's secret: another key, other days.
	other := *e
	other.cfg.Key = []byte("another station's key")
	differ := false
	for day := 0; day < 10 && !differ; day++ {
		e.clock.Add(24 * time.Hour)
		differ = e.drawn(t, m, 1) != other.drawn(t, m, 1)
	}
	if !differ {
		t.Error("two keys drew the same questions ten days running")
	}
}

func TestProver_TriesAndFewerRegistered(t *testing.T) {
	e := newEnv(t)
	m := e.register(t)
	p := e.prover(t, m, 5)
	if err := p.Begin(); err != nil {
		t.Fatal(err)
	}
	wrong := []string{"x1x", "x2x", "x3x"}
	for i := 1; i <= MaxTries; i++ {
		err := p.Check(wrong)
		if i < MaxTries && !errors.Is(err, ErrWrongAnswers) || i == MaxTries && !errors.Is(err, ErrTooManyTries) {
			t.Fatalf("wrong set %d: %v", i, err)
		}
	}
	if err := p.Check(answersFor(t, p.Fields())); !errors.Is(err, ErrTooManyTries) {
		t.Fatalf("right answers after the last try: %v", err)
	}
	// A new Prover asks the same questions and takes the right answers
	// (the account's back-off between them is the flow's).
	q := e.prover(t, m, 6)
	q.Begin()
	if strings.Join(q.Fields(), "|") != strings.Join(p.Fields(), "|") {
		t.Fatalf("a new Prover asked %q, the last %q", q.Fields(), p.Fields())
	}
	if err := q.Check(answersFor(t, q.Fields())); err != nil || e.failures(t) != 0 {
		t.Fatalf("the right answers: %v, %d failures", err, e.failures(t))
	}
	// Fewer registered than the policy asks: all of them are asked.
	e.cfg.Reset = 5
	three := m
	three.Questions = m.Questions[:3]
	r := e.prover(t, three, 7)
	r.Begin()
	if len(r.Fields()) != 3 {
		t.Errorf("%d asked of 3 registered", len(r.Fields()))
	}
	if _, err := ProverFactory(e.cfg)(e.ctx(1), info.Method{Kind: info.KindEmail, Email: "a@b.example"}); !errors.Is(err, ErrNotQuestions) {
		t.Errorf("an email method: %v", err)
	}
}

// hashes is how many argon2id checks f makes (secret.Checks): a count of
// the work, not a time.
func hashes(f func()) uint64 {
	before := secret.Checks()
	f()
	return secret.Checks() - before
}

// A reset's stand-in for a name with no questions asks what a real
// account is asked, the same each time, in the person's language, and
// does a real check's work before it refuses.
func TestProver_StandInAsksShippedQuestions(t *testing.T) {
	e := newEnv(t)
	e.cfg.Language = "de"
	real := e.prover(t, e.register(t), 1)
	if err := real.Begin(); err != nil {
		t.Fatal(err)
	}
	standIn := func(name string) *Prover {
		t.Helper()
		ctx := e.ctx(2)
		ctx.Account = name
		p, err := ProverFactory(e.cfg)(ctx, info.Method{Kind: info.KindSecurityQuestions})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Begin(); err != nil {
			t.Fatal(err)
		}
		return p.(*Prover)
	}
	d := standIn("mallory@contoso.example")
	fields := d.Fields()
	if len(fields) != len(real.Fields()) || d.Prompt() != real.Prompt() {
		t.Fatalf("the stand-in asks %q (%q), a real account %q (%q)", fields, d.Prompt(), real.Fields(), real.Prompt())
	}
	german := map[string]bool{}
	for _, q := range List("de") {
		if en, _ := Text(q.ID, "en"); en != q.Text {
			german[q.Text] = true
		}
	}
	for _, f := range fields {
		if !german[f] {
			t.Errorf("the stand-in asks %q, not a shipped question in German", f)
		}
	}
	if again := standIn("  Mallory@Contoso.example "); strings.Join(again.Fields(), "|") != strings.Join(fields, "|") {
		t.Errorf("asked again, the stand-in asks %q, first %q", again.Fields(), fields)
	}
	differ := false
	for i := 0; i < 10 && !differ; i++ {
		differ = strings.Join(standIn(fmt.Sprintf("user%d@contoso.example", i)).Fields(), "|") != strings.Join(fields, "|")
	}
	if !differ {
		t.Error("every name is asked the same questions")
	}
	// Like a real account with five registered, other days ask others of
	// the same five.
	asked := map[string]bool{}
	for day := 0; day < 10; day++ {
		e.clock.Add(24 * time.Hour)
		for _, f := range standIn("mallory@contoso.example").Fields() {
			asked[f] = true
		}
	}
	if len(asked) != 5 {
		t.Errorf("ten days asked %d questions of the stand-in's five", len(asked))
	}

	// Its check refuses what a real one would, after the same work.
	if err := d.Check([]string{"a", "", "c"}); !errors.Is(err, ErrAnswerMissing) {
		t.Fatalf("an empty answer: %v", err)
	}
	wrong := []string{"Rex", "Berlin", "Oak"}
	realCost := hashes(func() { _ = real.Check(wrong) })
	var err error
	standInCost := hashes(func() { err = d.Check(wrong) })
	if !errors.Is(err, ErrWrongAnswers) {
		t.Fatalf("the stand-in took %v", err)
	}
	if standInCost != 3 || realCost != 3 {
		t.Errorf("a check makes %d argon2id checks for the stand-in, %d for a real account; want 3 (one an answer) for both", standInCost, realCost)
	}
	_ = d.Check(wrong)
	if err := d.Check(wrong); !errors.Is(err, ErrTooManyTries) {
		t.Errorf("the stand-in's %d-th wrong set: %v", MaxTries, err)
	}
	// It writes nothing for the name typed (people type passwords there).
	var audited []info.AuditEntry
	_ = e.dir.EachAudit("", time.Time{}, func(a info.AuditEntry) error {
		if a.Account != testAccount { // the real account's check is audited
			audited = append(audited, a)
		}
		return nil
	})
	if len(audited) != 0 {
		t.Errorf("the stand-in audited %+v", audited)
	}
}

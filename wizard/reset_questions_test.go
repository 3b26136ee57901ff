package wizard_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	emailm "github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// questionsRig is a reset with security questions (and email) on offer:
// alice registered n questions, answered "answer a", "answer b", ….
func questionsRig(t *testing.T, n int, cfg questions.Config) *useRig {
	t.Helper()
	dir := newStore(t)
	c := newClock(t0)
	addAccount(t, dir, alice, alicePW)
	list := questions.List("en")
	var qs []info.Question
	for i := 0; i < n; i++ {
		h, err := secret.Hash(questions.Normalise("answer "+string(rune('a'+i))), testkit.Seeded(int64(i)))
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, info.Question{ID: list[i].ID, Hash: h})
	}
	if err := dir.AddMethod(alice, info.Method{ID: "q1", Kind: info.KindSecurityQuestions, Label: questions.Label(n), Created: t0, Questions: qs}, nil); err != nil {
		t.Fatal(err)
	}
	if err := dir.AddMethod(alice, info.Method{ID: "e1", Kind: info.KindEmail, Label: "a•••@fabrikam.example", Created: t0, Email: "alice@fabrikam.example"}, nil); err != nil {
		t.Fatal(err)
	}
	pol := `
organisation = "Contoso"
required = ["authenticator-app"]
allowed = ["authenticator-app", "email", "security-questions"]
questions_register = 5
`
	f := wizard.New(wizard.Config{
		Policy: mustPolicy(t, pol), Dir: dir, Now: c.Now, Rand: seeded(), Send: &testkit.Phone{},
		Provers: map[info.Kind]method.ProverFactory{
			info.KindAuthenticatorApp:  authapp.NewProver,
			info.KindEmail:             emailm.ProverFactory(emailm.Config{Limiter: emailm.NewLimiter(5, time.Hour)}),
			info.KindSecurityQuestions: questions.ProverFactory(cfg),
		},
		Audit: func(actor, action, account, detail string) error { return nil },
	})
	return &useRig{t: t, dir: dir, c: c, flow: f}
}

func (r *useRig) failures() int {
	r.t.Helper()
	a, err := r.dir.Account(alice)
	if err != nil {
		r.t.Fatal(err)
	}
	return a.SecondFactorTries.Failures
}

// A wrong email code is one failure on the account, as a wrong password
// is: the Prover counted it too, so the back-off began after two and the
// lock after 50.
func TestReset_WrongEmailCodeCountsOnce(t *testing.T) {
	r := questionsRig(t, 3, questions.Config{Reset: 3})
	resetTo(t, r, alice)
	if _, err := r.flow.StartProof(r.option(info.KindEmail)); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.Prove([]string{"000000"}); !errors.Is(err, wizard.ErrResetProofFailed) || r.failures() != 1 {
		t.Fatalf("a wrong email code: %v, %d failures", err, r.failures())
	}
}

// A wrong set of answers is one failure: three go free, the fourth try
// waits (the Prover counted each too, so the third waited).
func TestReset_WrongAnswersCountOnce(t *testing.T) {
	r := questionsRig(t, 3, questions.Config{Reset: 3})
	resetTo(t, r, alice)
	for i := 1; i <= 3; i++ {
		if _, err := r.flow.StartProof(r.option(info.KindSecurityQuestions)); err != nil {
			t.Fatal(err)
		}
		if err := r.flow.Prove([]string{"wrong", "wrong", "wrong"}); !errors.Is(err, wizard.ErrResetProofFailed) || r.failures() != i {
			t.Fatalf("wrong set %d: %v, %d failures", i, err, r.failures())
		}
	}
	var we *regulation.WaitError
	if err := r.flow.Prove([]string{"answer a", "answer b", "answer c"}); !errors.As(err, &we) || r.failures() != 3 {
		t.Fatalf("after three failures: %v, %d failures", err, r.failures())
	}
	r.c.Add(we.Wait)
	if err := r.flow.Prove([]string{"answer a", "answer b", "answer c"}); err != nil || r.failures() != 0 {
		t.Fatalf("the right answers: %v, %d failures", err, r.failures())
	}
}

// Choosing "Answer my security questions" again, or a new reset, asks
// the same questions: a new draw at each start let someone who knows
// some answers start again, for free, until only those were asked.
func TestReset_QuestionsSameOnEveryStart(t *testing.T) {
	r := questionsRig(t, 5, questions.Config{Reset: 3, Key: []byte("station key")})
	resetTo(t, r, alice)
	first, err := r.flow.StartProof(r.option(info.KindSecurityQuestions))
	if err != nil || len(first.Fields) != 3 {
		t.Fatalf("challenge %+v, %v", first, err)
	}
	for i := 0; i < 10; i++ {
		if i == 5 {
			r.flow.Cancel()
			resetTo(t, r, alice)
		}
		ch, err := r.flow.StartProof(r.option(info.KindSecurityQuestions))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(ch.Fields, "|") != strings.Join(first.Fields, "|") {
			t.Fatalf("start %d asked %q, the first %q", i+2, ch.Fields, first.Fields)
		}
	}
}

// A name with no account, or an account without questions, is asked as
// many shipped questions as a real account, in the person's language,
// the same ones each time; the reset fails as a wrong answer does.
func TestReset_UnknownNameAskedQuestions(t *testing.T) {
	r := questionsRig(t, 5, questions.Config{Reset: 3, Language: "de"})
	addAccount(t, r.dir, "bob@contoso.example", "a long password of bob")
	resetTo(t, r, alice)
	real, err := r.flow.StartProof(r.option(info.KindSecurityQuestions))
	if err != nil {
		t.Fatal(err)
	}
	german := map[string]bool{}
	for _, q := range questions.List("de") {
		german[q.Text] = true
	}
	for _, name := range []string{"mallory@contoso.example", "bob@contoso.example"} {
		r.flow.Cancel()
		resetTo(t, r, name)
		ch, err := r.flow.StartProof(r.option(info.KindSecurityQuestions))
		if err != nil {
			t.Fatal(err)
		}
		if len(ch.Fields) != len(real.Fields) || ch.Prompt != real.Prompt {
			t.Fatalf("%s is asked %+v, an account with questions %+v", name, ch, real)
		}
		for _, q := range ch.Fields {
			if !german[q] {
				t.Errorf("%s is asked %q, no shipped question in German", name, q)
			}
		}
		again, err := r.flow.StartProof(r.option(info.KindSecurityQuestions))
		if err != nil || strings.Join(again.Fields, "|") != strings.Join(ch.Fields, "|") {
			t.Errorf("%s asked again: %q, first %q (%v)", name, again.Fields, ch.Fields, err)
		}
		if err := r.flow.Prove([]string{"answer a", "answer b", "answer c"}); !errors.Is(err, wizard.ErrResetProofFailed) {
			t.Errorf("%s answered: %v", name, err)
		}
	}
}

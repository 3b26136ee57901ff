package questions

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Audit actions of a Prover; their details never hold an answer.
const (
	ActionUsed    = "security-questions-used"
	ActionRefused = "security-questions-refused"
)

// MaxTries is how many wrong sets of answers a Prover takes before it
// ends: a new one draws questions again, and the account's back-off
// slows every try.
const MaxTries = 3

// Errors of a Prover, checked with errors.Is.
var (
	// ErrNotQuestions means the method is not registered security
	// questions (a host bug), or has none.
	ErrNotQuestions = errors.New("not registered security questions")
	// ErrNotBegun means Check came before Begin.
	ErrNotBegun = errors.New("no questions were drawn yet")
	// ErrWrongAnswers means at least one answer is wrong; which is not
	// said.
	ErrWrongAnswers = words.New("the answers aren't right",
		"At least one answer isn't right. Check them and try again.")
	// ErrTooManyTries means MaxTries wrong sets ended the Prover.
	ErrTooManyTries = words.New("too many wrong answers",
		"Too many wrong answers. Start again later, or use a different method.")
	// ErrAnswerMissing means an answer was left empty; not counted.
	ErrAnswerMissing = words.New("an answer is missing", "Answer every question.")
	// ErrProven means the Prover proved already: it proves once.
	ErrProven = errors.New("the answers were already checked")
)

// Prover proves a person knows the answers to their security questions,
// for a password reset only: Begin draws Config.Reset of the registered
// questions at random (all of them if fewer are registered), Fields are
// their texts, Check takes the answers. Every check counts on the account
// like any other (regulation.Default) and is audited. It is safe for
// concurrent use.
type Prover struct {
	mu      sync.Mutex
	ctx     method.Context
	cfg     Config
	m       info.Method
	drawn   []int // indexes into m.Questions, in registered order
	tries   int
	proven  bool
	aborted bool
}

var _ method.Prover = (*Prover)(nil)

// ProverFactory returns the method.ProverFactory for security questions:
// cfg.Reset questions are asked, shipped ones in cfg's language, and
// cfg.Station names the station in the audit log.
func ProverFactory(cfg Config) method.ProverFactory {
	return func(ctx method.Context, m info.Method) (method.Prover, error) {
		if m.Kind != info.KindSecurityQuestions || len(m.Questions) == 0 {
			return nil, ErrNotQuestions
		}
		if ctx.Dir == nil {
			return nil, errors.New("security questions prover: no directory")
		}
		if cfg.Reset < 1 {
			cfg.Reset = 3
		}
		if ctx.Now == nil {
			ctx.Now = time.Now
		}
		if ctx.Rand == nil {
			ctx.Rand = rand.Reader
		}
		m.Questions = append([]info.Question(nil), m.Questions...)
		return &Prover{ctx: ctx, cfg: cfg, m: m}, nil
	}
}

// Kind returns info.KindSecurityQuestions.
func (p *Prover) Kind() info.Kind { return info.KindSecurityQuestions }

// Begin draws the questions to ask, uniformly at random from the
// injected randomness. It reads nothing else and is quick.
func (p *Prover) Begin() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.aborted:
		return ErrAborted
	case p.proven:
		return ErrProven
	}
	d, err := Draw(p.ctx.Rand, len(p.m.Questions), p.cfg.Reset)
	if err != nil {
		return err
	}
	p.drawn, p.tries = d, 0
	return nil
}

// Prompt is what the person is told above the questions.
func (p *Prover) Prompt() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.drawn) == 1 {
		return "Answer your security question."
	}
	return fmt.Sprintf("Answer these %d of your security questions.", len(p.drawn))
}

// Fields are the drawn questions' texts, in registered order.
func (p *Prover) Fields() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, len(p.drawn))
	for i, j := range p.drawn {
		out[i] = textOf(p.m.Questions[j], p.cfg.Language)
	}
	return out
}

// textOf is a registered question's text: the person's own, or the
// shipped one in lang.
func textOf(q info.Question, lang string) string {
	if q.ID == "" {
		return q.Text
	}
	if t, ok := Text(q.ID, lang); ok {
		return t
	}
	return q.ID // a question since taken off the list
}

// Check takes the answers, in the order of Fields; nil when every one is
// right, once. It checks every answer whatever the others are (so the
// time taken doesn't say which is wrong) and returns, in the order
// checked: ErrAborted, ErrProven, ErrNotBegun, ErrTooManyTries; the
// account's regulation (nothing checked or counted); ErrAnswerMissing
// (not counted); ErrWrongAnswers, counted on the account and audited; a
// wrapped storage error if the count can't be recorded. It is slow on
// purpose (an argon2id hash per answer): call it off the UI thread.
func (p *Prover) Check(answers []string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.aborted:
		return ErrAborted
	case p.proven:
		return ErrProven
	case p.drawn == nil:
		return ErrNotBegun
	case p.tries >= MaxTries:
		return ErrTooManyTries
	}
	now := p.ctx.Now()
	acct, err := p.ctx.Dir.Account(p.ctx.Account)
	if err != nil {
		return fmt.Errorf("reading the account: %w", err)
	}
	if err := regulation.Default.Check(regulation.AccountState(acct), now); err != nil {
		return err
	}
	if len(answers) != len(p.drawn) {
		return ErrAnswerMissing
	}
	for _, a := range answers {
		if strings.TrimSpace(a) == "" {
			return ErrAnswerMissing
		}
	}
	right := 0
	for i, j := range p.drawn {
		ok, err := secret.Check(p.m.Questions[j].Hash, Normalise(answers[i]))
		if err == nil && ok {
			right++
		}
	}
	if right != len(p.drawn) {
		p.tries++
		p.ctx.AuditCheck(p.cfg.Station, ActionRefused, fmt.Sprintf("%d of %d answers wrong", len(p.drawn)-right, len(p.drawn)))
		if err := p.ctx.CountCheck(false, now, "the answers' check"); err != nil {
			return err
		}
		if p.tries >= MaxTries {
			return ErrTooManyTries
		}
		return ErrWrongAnswers
	}
	p.proven = true
	p.ctx.AuditCheck(p.cfg.Station, ActionUsed, fmt.Sprintf("%d questions answered", len(p.drawn)))
	return p.ctx.CountCheck(true, now, "the answers' check")
}

// Abort ends the Prover; it forgets the questions drawn.
func (p *Prover) Abort() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.aborted, p.drawn = true, nil
	p.m.Questions = nil
}

// Draw picks k of n indexes uniformly at random without repeats, read
// from r (all n when k >= n), and returns them in increasing order.
func Draw(r io.Reader, n, k int) ([]int, error) {
	if n <= 0 {
		return nil, ErrNotQuestions
	}
	k = min(k, n)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	// A partial Fisher–Yates shuffle: each of the first k places takes a
	// uniformly drawn one of those left.
	for i := 0; i < k; i++ {
		j, err := uniform(r, n-i)
		if err != nil {
			return nil, err
		}
		idx[i], idx[i+j] = idx[i+j], idx[i]
	}
	out := idx[:k]
	sort.Ints(out)
	return out, nil
}

// uniform returns a uniformly random int in [0, n) read from r, drawing
// again above the largest multiple of n that fits, so none is likelier.
func uniform(r io.Reader, n int) (int, error) {
	limit := (1 << 32) / uint64(n) * uint64(n)
	var b [4]byte
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, fmt.Errorf("draw the questions: %w", err)
		}
		if v := uint64(binary.BigEndian.Uint32(b[:])); v < limit {
			return int(v % uint64(n)), nil
		}
	}
}

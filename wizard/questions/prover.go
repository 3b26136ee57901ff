package questions

import (
	"bytes"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
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
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Audit actions of a Prover; their details never hold an answer.
const (
	ActionUsed    = "security-questions-used"
	ActionRefused = "security-questions-refused"
)

// MaxTries is how many wrong sets of answers a Prover takes before it
// ends: a new one asks the same questions (see Prover), and the account's
// back-off slows every try.
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
// questions (all of them if fewer are registered), Fields are their
// texts, Check takes the answers. Each check is audited; the flow
// (wizard.Flow.Prove) applies the account's back-off and counts it, so
// a Prover counts nothing itself. It is safe for concurrent use.
//
// The draw is not random at each Begin but keyed (DrawKey): the same for
// an account all day, however often the person (or someone trying their
// name) starts again. A fresh draw on each start let someone who knows
// some of the answers start again, for free, until only those were
// asked. As with a person asked all their questions, they can't choose.
//
// A Prover for a stand-in (ProverFactory with no questions registered)
// asks shipped questions and refuses every answer, as a decoy for an
// account that doesn't exist or has no questions.
type Prover struct {
	mu      sync.Mutex
	ctx     method.Context
	cfg     Config
	m       info.Method
	decoy   bool  // a stand-in: m.Questions are shipped ones without hashes
	drawn   []int // indexes into m.Questions, in registered order
	tries   int
	proven  bool
	aborted bool
}

var _ method.Prover = (*Prover)(nil)

// ProverFactory returns the method.ProverFactory for security questions:
// cfg.Reset questions are asked, shipped ones in cfg's language, and
// cfg.Station names the station in the audit log. Without cfg.Key it
// makes a random one now, kept for as long as the factory is.
//
// Given a security questions method with no questions (info.Method{Kind:
// info.KindSecurityQuestions}), it returns a stand-in for a reset's
// account that doesn't exist or has no questions: it asks as many
// shipped questions as a real account is asked, picked by a keyed hash
// of ctx.Account (the same ones each time, as a real account's are), in
// cfg's language, and refuses every answer after the work of a real
// check (an argon2id hash per answer).
func ProverFactory(cfg Config) method.ProverFactory {
	if cfg.Reset < 1 {
		cfg.Reset = 3
	}
	if len(cfg.Key) == 0 {
		cfg.Key = make([]byte, 32)
		_, _ = rand.Read(cfg.Key) // crypto/rand.Read never returns an error
	}
	return func(ctx method.Context, m info.Method) (method.Prover, error) {
		if m.Kind != info.KindSecurityQuestions {
			return nil, ErrNotQuestions
		}
		if ctx.Dir == nil {
			return nil, errors.New("security questions prover: no directory")
		}
		if ctx.Now == nil {
			ctx.Now = time.Now
		}
		if len(m.Questions) == 0 {
			return newDecoy(ctx, cfg)
		}
		m.Questions = append([]info.Question(nil), m.Questions...)
		return &Prover{ctx: ctx, cfg: cfg, m: m}, nil
	}
}

// newDecoy is ProverFactory's stand-in for ctx.Account: it "registers"
// max(cfg.Register, cfg.Reset) shipped questions picked by the keyed
// hash of the name alone, and draws from those as a real account's are
// drawn (by name and day), so that what it asks behaves as a real
// account's questions do, day after day.
func newDecoy(ctx method.Context, cfg Config) (*Prover, error) {
	ids := shipped().ids
	d, err := Draw(DrawKey(cfg.Key, "registered", ctx.Account, ""), len(ids), max(cfg.Register, cfg.Reset))
	if err != nil {
		return nil, err
	}
	m := info.Method{Kind: info.KindSecurityQuestions}
	for _, i := range d {
		m.Questions = append(m.Questions, info.Question{ID: ids[i]})
	}
	return &Prover{ctx: ctx, cfg: cfg, m: m, decoy: true}, nil
}

// DrawKey is the stream a draw reads for account: HKDF-SHA256 of key
// (the station's secret, Config.Key) over purpose, the account's key
// (info.AccountKey), and day ("2026-05-01"). Without the key, which
// questions a name is asked on a day can't be worked out ahead; with it,
// starting again asks the same. It holds 1,024 bytes, far more than a
// draw reads (4 a question, more only on a 1 in 10^7 redraw).
func DrawKey(key []byte, purpose, account, day string) io.Reader {
	name := info.AccountKey(account)
	r, err := hkdf.Key(sha256.New, key, nil, "securityinfo questions "+purpose+"\x00"+name+"\x00"+day, 1024)
	if err != nil { // only for a length HKDF can't give, which this isn't
		panic(err)
	}
	return bytes.NewReader(r)
}

// Kind returns info.KindSecurityQuestions.
func (p *Prover) Kind() info.Kind { return info.KindSecurityQuestions }

// Begin draws the questions to ask: uniformly among the registered ones,
// by a keyed hash of the account and today's date (UTC), so that starting
// again asks the same ones until the day ends. It reads nothing else and
// is quick.
func (p *Prover) Begin() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.aborted:
		return ErrAborted
	case p.proven:
		return ErrProven
	}
	day := p.ctx.Now().UTC().Format(time.DateOnly)
	d, err := Draw(DrawKey(p.cfg.Key, "draw", p.ctx.Account, day), len(p.m.Questions), p.cfg.Reset)
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
// checked: ErrAborted, ErrProven, ErrNotBegun, ErrTooManyTries;
// ErrAnswerMissing; ErrWrongAnswers (audited), or ErrTooManyTries on the
// MaxTries-th. The account's back-off and its count are the flow's
// (wizard.Flow.Prove): a Prover that counted too made each wrong set two
// failures. It is slow on purpose (an argon2id hash per answer, a
// stand-in's too): call it off the UI thread.
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
		if p.decoy {
			// The same argon2id work as a real answer's check.
			secret.Dummy(Normalise(answers[i]))
			continue
		}
		ok, err := secret.Check(p.m.Questions[j].Hash, Normalise(answers[i]))
		if err == nil && ok {
			right++
		}
	}
	if right != len(p.drawn) {
		p.tries++
		if !p.decoy { // a stand-in's name may be anything typed: never audited
			p.ctx.AuditCheck(p.cfg.Station, ActionRefused, fmt.Sprintf("%d of %d answers wrong", len(p.drawn)-right, len(p.drawn)))
		}
		if p.tries >= MaxTries {
			return ErrTooManyTries
		}
		return ErrWrongAnswers
	}
	p.proven = true
	p.ctx.AuditCheck(p.cfg.Station, ActionUsed, fmt.Sprintf("%d questions answered", len(p.drawn)))
	return nil
}

// Abort ends the Prover; it forgets the questions drawn.
func (p *Prover) Abort() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.aborted, p.drawn = true, nil
	p.m.Questions = nil
}

// Draw picks k of n indexes uniformly without repeats, reading r (all n
// when k >= n), and returns them in increasing order: at random from
// random bytes, the same each time from the same DrawKey.
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

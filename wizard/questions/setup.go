package questions

import (
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The screens of a security questions registration.
const (
	// ScreenAnswer asks for the questions and their answers.
	ScreenAnswer = "questions.answer"
	// ScreenDone says they are registered.
	ScreenDone = "questions.done"
)

// Config is the policy's security questions settings and the station's
// name, for Factory and ProverFactory.
type Config struct {
	// Register is how many questions a person registers (3 to 5).
	Register int
	// Reset is how many a reset asks (at most the number registered).
	Reset int
	// Own allows questions a person writes.
	Own bool
	// Station names this machine in the audit entries Provers write.
	Station string
	// Language is the language shipped questions are shown in ("de"), the
	// one the host chose for everything else; those without a text in it,
	// and all of them when it is empty, are shown in English.
	Language string
	// Key is the station's secret for which questions a reset asks
	// (DrawKey); empty means a random one made by ProverFactory, for the
	// process's life. A host that keeps one across restarts keeps the
	// questions asked the same across them too.
	Key []byte
}

// Errors of a Setup, checked with errors.Is.
var (
	// ErrQuestionsExist means the account has security questions
	// already; Factory refuses to start.
	ErrQuestionsExist = words.New("security questions are already registered",
		"You already have security questions registered. To change them, ask your helpdesk to remove them first.")
	// ErrBusy means the answers are being saved.
	ErrBusy = words.New("the answers are being saved", "Your answers are being saved. Wait a moment.")
	// ErrAborted means the setup was aborted.
	ErrAborted = errors.New("this setup was cancelled")
	// ErrDone means the questions are registered already.
	ErrDone = errors.New("the questions are registered already")
)

// Setup is one security questions registration; it implements
// method.Setup. It is safe for concurrent use: Submit hashes (slowly)
// without holding the setup, so Abort returns at once.
type Setup struct {
	ctx   method.Context
	cfg   Config
	rules Rules

	mu            sync.Mutex
	busy          bool
	done, aborted bool
}

// Factory returns the method.Factory that starts security questions
// registrations with cfg's rules.
func Factory(cfg Config) method.Factory {
	return func(ctx method.Context) (method.Setup, error) {
		if ctx.Dir == nil {
			return nil, errors.New("security questions setup: no directory")
		}
		if cfg.Register == 0 {
			cfg.Register = 3
		}
		if ctx.Now == nil {
			ctx.Now = time.Now
		}
		if ctx.Rand == nil {
			ctx.Rand = rand.Reader
		}
		s := &Setup{ctx: ctx, cfg: cfg,
			rules: Rules{Count: cfg.Register, Own: cfg.Own, Account: ctx.Account, Language: cfg.Language}}
		if err := s.checkNone(); err != nil {
			return nil, err
		}
		return s, nil
	}
}

// checkNone returns ErrQuestionsExist if the account has questions.
func (s *Setup) checkNone() error {
	ms, err := s.ctx.Dir.Methods(s.ctx.Account)
	if err != nil {
		return fmt.Errorf("read your registered methods: %w", err)
	}
	for _, m := range ms {
		if m.Kind == info.KindSecurityQuestions {
			return ErrQuestionsExist
		}
	}
	return nil
}

// Kind returns info.KindSecurityQuestions.
func (s *Setup) Kind() info.Kind { return info.KindSecurityQuestions }

// Screen returns ScreenAnswer, or ScreenDone once registered.
func (s *Setup) Screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return ScreenDone
	}
	return ScreenAnswer
}

// Back is always false: there is one screen.
func (s *Setup) Back() bool { return false }

// Done reports whether the questions are registered.
func (s *Setup) Done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// Abort gives up the registration; answers being hashed are not saved.
func (s *Setup) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aborted = true
}

// Count is how many questions to register.
func (s *Setup) Count() int { return s.cfg.Register }

// Own reports whether the person may write questions of their own.
func (s *Setup) Own() bool { return s.cfg.Own }

// Questions are the shipped questions to choose from, in the person's
// language.
func (s *Setup) Questions() []Shipped { return List(s.rules.Language) }

// Check applies the rules (Rules.Check) without saving anything; it is
// quick, for a page that checks as the person types.
func (s *Setup) Check(entries []Entry) error { return s.rules.Check(entries) }

// Submit checks entries, hashes each normalised answer with a fresh salt
// (slow on purpose: call it off the UI thread), and saves the questions.
// It returns ErrAborted, ErrDone, ErrBusy, ErrQuestionsExist (the account
// got questions meanwhile), a *CountError or *RuleError, or a wrapped
// storage error (nothing saved; submit again). Answers are kept nowhere
// but in their hashes.
func (s *Setup) Submit(entries []Entry) error {
	s.mu.Lock()
	switch {
	case s.aborted:
		s.mu.Unlock()
		return ErrAborted
	case s.done:
		s.mu.Unlock()
		return ErrDone
	case s.busy:
		s.mu.Unlock()
		return ErrBusy
	}
	s.busy = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.busy = false
		s.mu.Unlock()
	}()

	ok, err := s.rules.check(entries)
	if err != nil {
		return err
	}
	qs := make([]info.Question, len(ok))
	for i, c := range ok {
		h, err := secret.Hash(c.answer, s.ctx.Rand)
		if err != nil {
			return fmt.Errorf("hash the answers: %w", err)
		}
		qs[i] = info.Question{ID: c.entry.ID, Hash: h}
		if c.entry.ID == "" {
			qs[i].Text = c.q
		}
	}
	s.mu.Lock()
	aborted := s.aborted
	s.mu.Unlock()
	if aborted {
		return ErrAborted
	}
	if err := s.checkNone(); err != nil {
		return err
	}
	id, err := secret.NewID(s.ctx.Rand)
	if err != nil {
		return err
	}
	m := info.Method{ID: id, Kind: info.KindSecurityQuestions, Label: Label(len(qs)), Created: s.ctx.Now(), Questions: qs}
	if err := s.ctx.Dir.AddMethod(s.ctx.Account, m, nil); err != nil {
		return fmt.Errorf("save your security questions: %w", err)
	}
	s.mu.Lock()
	s.done = true
	s.mu.Unlock()
	return nil
}

// Label is the method's stored label for n registered questions: "3
// questions". It is English for the CLI and for earlier versions, which
// show the stored label; the ui counts the method's Questions instead and
// words the count in the language in use.
func Label(n int) string { return fmt.Sprintf("%d questions", n) }

// DoneText is the done screen's line.
const DoneText = "Your security questions were saved. If you forget your password, you can answer some of them to reset it."

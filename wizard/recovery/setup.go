package recovery

import (
	"crypto/rand"
	"errors"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// The screens of registering recovery codes.
const (
	// ScreenIntro says what recovery codes are; Make makes them.
	ScreenIntro = "recovery.intro"
	// ScreenShow shows the codes, once: Copy, Save to a file, Print.
	ScreenShow = "recovery.show"
)

// ErrAborted means the setup was cancelled.
var ErrAborted = errors.New("this setup was cancelled")

// Setup registers a new set of recovery codes; it implements
// method.Setup. It is safe for concurrent use: Make runs off the UI
// thread while the page reads Screen.
type Setup struct {
	mu      sync.Mutex
	ctx     method.Context
	screen  string
	codes   []string
	aborted bool
}

var (
	_ method.Backer      = (*Setup)(nil)
	_ method.LeaveWarner = (*Setup)(nil)
)

// NewSetup starts registering recovery codes for ctx.Account; it is a
// method.Factory.
func NewSetup(ctx method.Context) (method.Setup, error) {
	if ctx.Dir == nil {
		return nil, errors.New("recovery codes: no directory")
	}
	if ctx.Now == nil {
		ctx.Now = time.Now
	}
	if ctx.Rand == nil {
		ctx.Rand = rand.Reader
	}
	return &Setup{ctx: ctx, screen: ScreenIntro}, nil
}

// Kind is info.KindRecoveryCodes.
func (s *Setup) Kind() info.Kind { return info.KindRecoveryCodes }

// Screen names the current screen.
func (s *Setup) Screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.screen
}

// Make makes and stores a new set (Regenerate: any old set stops
// working) and moves to the screen that shows it. It is slow on purpose:
// call it off the UI thread.
func (s *Setup) Make() error {
	s.mu.Lock()
	if s.aborted {
		s.mu.Unlock()
		return ErrAborted
	}
	if s.screen != ScreenIntro {
		s.mu.Unlock()
		return nil
	}
	ctx := s.ctx
	s.mu.Unlock()
	codes, err := Regenerate(ctx.Dir, ctx.Account, ctx.Now(), ctx.Rand)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes, s.screen = codes, ScreenShow
	return nil
}

// Codes returns the codes made, formatted for reading, while they are
// shown.
func (s *Setup) Codes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.codes))
	for i, c := range s.codes {
		out[i] = Format(c)
	}
	return out
}

// Text is the codes as a file or a printout holds them.
func (s *Setup) Text() string { return Sheet(s.ctx.Organisation, s.ctx.Account, s.Codes()) }

// Back does nothing: there is one screen before the codes, and none after.
func (s *Setup) Back() bool { return false }

// CanBack is false.
func (s *Setup) CanBack() bool { return false }

// Done reports whether the codes were stored.
func (s *Setup) Done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.screen == ScreenShow
}

// LeaveWarning says the codes won't be shown again.
func (s *Setup) LeaveWarning() string {
	if s.Screen() == ScreenShow {
		return "Your recovery codes won't be shown again. Make sure you saved or printed them."
	}
	return ""
}

// Abort forgets the codes.
func (s *Setup) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aborted = true
	s.codes = nil
}

// Sheet is the text of a saved or printed set of codes.
func Sheet(org, account string, codes []string) string {
	text := org + " recovery codes for " + account + "\n\n" +
		"Each code can be used once, to sign in without your other methods\n" +
		"or to reset your password. Keep them somewhere safe.\n\n"
	for _, c := range codes {
		text += "  " + c + "\n"
	}
	return text
}

package sentcode

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Errors of a Setup, checked with errors.Is; the methods name them too
// (phone.ErrBusy is ErrBusy).
var (
	// ErrBusy means a code is being sent right now.
	ErrBusy = words.New("a code is being sent: wait a moment",
		"A code is being sent. Wait a moment.")
	// ErrWrongScreen means the operation is not possible on the current
	// screen (a host bug, not something a person can cause).
	ErrWrongScreen = errors.New("not possible on this screen")
	// ErrCancelled means Change (Change number, Change email) was chosen
	// while a code was being sent; that code is not kept.
	ErrCancelled = words.New("sending the code was cancelled",
		"Sending the code was cancelled.")
	// ErrAborted means the setup was aborted.
	ErrAborted = errors.New("this setup was cancelled")
)

// Spec is what one method that registers a destination (a phone number,
// an email address: T) by a code sent to it says for itself: its screens,
// its words, where a code goes and what is stored. The rest of the
// registration is Setup's, the same for every such method.
type Spec[T any] struct {
	// Kind is the method registered; an account has at most one.
	Kind info.Kind
	// Name names the method in the errors of a setup that can't start
	// ("phone setup: no directory").
	Name string
	// EntryScreen asks for the destination, SentScreen for the code that
	// was sent, DoneScreen says the method is registered.
	EntryScreen, SentScreen, DoneScreen string
	// NoDelivery is New's error without a Sender.
	NoDelivery error
	// Exists means the account has a method of Kind already: New refuses
	// to start, Submit to store.
	Exists error
	// NoCode means no code is waiting for the destination (the last send
	// failed, or Change was chosen).
	NoCode error
	// To is where a code for t goes (an E.164 number, an address): the
	// limiter's key and the Message's To; "" for the zero T.
	To func(t T) string
	// Message is the message carrying code to t over ch, said by tr (the
	// setup's method.Context.Translate) and naming org.
	Message func(t T, ch method.Channel, tr method.Translator, org, code string) method.Message
	// Method is what is stored once a code sent to t over ch is verified;
	// Setup fills in its ID and Created.
	Method func(t T, ch method.Channel) info.Method
	// Saving names what a failed save was saving ("your phone").
	Saving string
	// LimitError words the limiter's *LimitError for this method; nil
	// keeps it as it is.
	LimitError func(*LimitError) error
}

// Setup is one registration of a destination by a code sent to it, for a
// method package that embeds it and adds what the Spec can't say (how the
// destination is typed and validated, its texts). It implements
// method.Setup and method.Backer.
//
// It is safe for concurrent use: the host may run SendTo or Resend (which
// wait up to SendTimeout for the Sender) in the background while reading
// CooldownLeft for a countdown; a second send or a Submit meanwhile
// returns ErrBusy, and Change or Abort cancel the send: its result never
// lands (a generation count disowns it).
//
// The rules:
//   - a code is 6 digits from crypto/rand, valid for CodeLifetime, good
//     for one registration, bound to the destination and channel it was
//     sent to and kept only as an HMAC-SHA256 under a random per-Setup key;
//     a resend replaces it; MaxAttempts wrong entries end it;
//   - a resend waits FirstCooldown, doubling, counted from the last
//     successful send to that destination by this Setup or any sharing its
//     Limiter; a failed send starts no wait and leaves no code valid;
//   - at most MaxSendsPerHour codes per destination per SendWindow, both
//     within a Setup and across all sharing the Limiter (which also caps
//     the account and the station);
//   - the method is stored only once its code verifies, and an account has
//     at most one of its Kind: Change and Abort leave nothing registered.
type Setup[T any] struct {
	spec   *Spec[T]
	onSent func(T)

	mu      sync.Mutex
	ctx     method.Context
	limiter *Limiter
	key     []byte // per-Setup HMAC key for codes; zeroed when finished

	screen  string
	to      T              // where the code was last sent, successfully
	channel method.Channel // how it was last sent
	code    *Sent          // the code waiting to be entered, or nil
	ended   error          // why no code is waiting: ErrCodeUsedUp, ErrCodeExpired, spec.NoCode
	sends   map[string][]time.Time

	sending bool
	gen     int                // bumped by Change and Abort to disown a send in flight
	cancel  context.CancelFunc // cancels the send in flight

	done, aborted bool
}

var _ method.Backer = (*Setup[string])(nil)

// New starts a registration for ctx.Account counting its sends in l; it
// fails with spec.NoDelivery if ctx.Send is nil and with spec.Exists if the
// account has a method of spec.Kind already. ctx.Now defaults to time.Now
// and ctx.Rand to crypto/rand.
func New[T any](spec *Spec[T], ctx method.Context, l *Limiter) (*Setup[T], error) {
	if ctx.Dir == nil {
		return nil, fmt.Errorf("%s setup: no directory", spec.Name)
	}
	if ctx.Send == nil {
		return nil, spec.NoDelivery
	}
	if ctx.Now == nil {
		ctx.Now = time.Now
	}
	if ctx.Rand == nil {
		ctx.Rand = rand.Reader
	}
	s := &Setup[T]{spec: spec, ctx: ctx, limiter: l, screen: spec.EntryScreen, sends: map[string][]time.Time{}}
	if err := s.checkNone(); err != nil {
		return nil, err
	}
	s.key = make([]byte, 32)
	if _, err := io.ReadFull(ctx.Rand, s.key); err != nil {
		return nil, fmt.Errorf("%s setup: make a key: %w", spec.Name, err)
	}
	return s, nil
}

// OnSent has f called, under the setup's lock, after each successful send
// to t: for state the method keeps beside the setup (the phone's region).
// Call it before the setup is shared.
func (s *Setup[T]) OnSent(f func(t T)) { s.onSent = f }

// Locked runs f under the setup's lock, telling it whether the setup was
// aborted: for state the method keeps beside the setup.
func (s *Setup[T]) Locked(f func(aborted bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.aborted)
}

// checkNone returns spec.Exists if the account has a method of its kind.
func (s *Setup[T]) checkNone() error {
	ms, err := s.ctx.Dir.Methods(s.ctx.Account)
	if err != nil {
		return fmt.Errorf("read your registered methods: %w", err)
	}
	for _, m := range ms {
		if m.Kind == s.spec.Kind {
			return s.spec.Exists
		}
	}
	return nil
}

// Kind returns the method registered.
func (s *Setup[T]) Kind() info.Kind { return s.spec.Kind }

// Limiter returns the limiter sends are counted in.
func (s *Setup[T]) Limiter() *Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limiter
}

// SetLimiter counts later sends in l: for a host or a test with a limiter
// of its own. The setup's own count of its sends stays.
func (s *Setup[T]) SetLimiter(l *Limiter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limiter = l
}

// Screen returns the current screen, one of the Spec's.
func (s *Setup[T]) Screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.screen
}

// Sent returns where and how the code was last sent successfully; the zero
// T and "" before the first successful send.
func (s *Setup[T]) Sent() (T, method.Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.to, s.channel
}

// SendTo sends a new code to the destination check returns (check runs
// under the setup's lock and validates what was typed), then moves to the
// code screen. It may block up to SendTimeout. It returns, in the order
// checked:
//   - ErrAborted, ErrWrongScreen (not on the entry screen), ErrBusy;
//   - check's error: nothing is sent;
//   - a *LimitError (ErrTooManySends, as the Spec words it): the
//     destination has had MaxSendsPerHour codes in the window, in this
//     Setup or any other sharing the limiter; then the limiter's account
//     or station cap (ErrAccountSends, ErrStationSends);
//   - a *CooldownError (ErrCooldown): the destination was sent to less
//     than the cooldown ago (after Change, the same one still waits; a
//     different one does not);
//   - a *SendError (ErrSendFailed): the Sender failed; the screen stays,
//     no code is valid, no wait starts and the send is not counted;
//   - ErrAborted or ErrCancelled if Abort or Change was called while
//     sending: no code is kept.
func (s *Setup[T]) SendTo(check func() (T, method.Channel, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(s.spec.EntryScreen); err != nil {
		return err
	}
	t, ch, err := check()
	if err != nil {
		return err
	}
	return s.send(t, ch)
}

// Resend sends a new code to the same destination over the same channel;
// the old code stops working at once. Errors as SendTo's, from
// *LimitError on; a failed resend leaves no code valid (Submit returns
// spec.NoCode) and the person may resend again straight away.
func (s *Setup[T]) Resend() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(s.spec.SentScreen); err != nil {
		return err
	}
	return s.send(s.to, s.channel)
}

// ready checks the setup can take input on screen.
func (s *Setup[T]) ready(screen string) error {
	switch {
	case s.aborted:
		return ErrAborted
	case s.screen != screen:
		return fmt.Errorf("on %s: %w", s.screen, ErrWrongScreen)
	case s.sending:
		return ErrBusy
	}
	return nil
}

// CooldownLeft returns how long until Resend may send again to where the
// code was last sent; 0 if it may now. For the countdown beside Resend
// code.
func (s *Setup[T]) CooldownLeft() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cooldownLeft(s.spec.To(s.to), s.ctx.Now())
}

// cooldownLeft is how long until to may be sent to again, by this Setup's
// sends and by every Setup's (the shared limiter).
func (s *Setup[T]) cooldownLeft(to string, now time.Time) time.Duration {
	shared := s.limiter.CooldownLeft(to, now)
	ts := s.sends[to]
	if len(ts) == 0 {
		return shared
	}
	return max(ts[len(ts)-1].Add(Cooldown(len(ts))).Sub(now), shared, 0)
}

// limitError words the limiter's e as the method does.
func (s *Setup[T]) limitError(e *LimitError) error {
	if s.spec.LimitError == nil {
		return e
	}
	return s.spec.LimitError(e)
}

// send sends a new code to t over ch; s.mu is held, and released while the
// Sender works.
func (s *Setup[T]) send(t T, ch method.Channel) error {
	now := s.ctx.Now()
	to := s.spec.To(t)
	recent := 0
	for _, at := range s.sends[to] {
		if at.Add(SendWindow).After(now) {
			recent++
		}
	}
	if recent >= MaxSendsPerHour {
		ts := s.sends[to]
		return s.limitError(&LimitError{Wait: ts[len(ts)-MaxSendsPerHour].Add(SendWindow).Sub(now)})
	}
	// The caps before the wait: a person told to wait would otherwise
	// wait only to be told the hour is used up.
	wait := s.cooldownLeft(to, now)
	release, err := s.limiter.Reserve(to, s.ctx.Account, now)
	var le *LimitError
	if errors.As(err, &le) {
		return s.limitError(le)
	}
	if err != nil {
		return err
	}
	if wait > 0 {
		release()
		return &CooldownError{Wait: wait}
	}
	code, err := NewCode(s.ctx.Rand)
	if err != nil {
		release()
		return err
	}
	// From here the old code is gone, whatever happens.
	s.discardCode(s.spec.NoCode)
	p := NewSent(s.key, to, ch, code, now)
	m := s.spec.Message(t, ch, s.ctx.Translate, s.ctx.Organisation, code)

	ctx, cancel := context.WithTimeout(context.Background(), SendTimeout)
	s.sending, s.cancel = true, cancel
	gen := s.gen
	s.mu.Unlock()
	err = s.ctx.Send.Send(ctx, m)
	s.mu.Lock()
	cancel()
	s.sending, s.cancel = false, nil

	if gen != s.gen || s.aborted {
		// Change or Abort meanwhile: the code is not kept. A message that
		// did go out still counts against the limit.
		p.Zero()
		if err != nil {
			release()
		}
		if s.aborted {
			return ErrAborted
		}
		return ErrCancelled
	}
	if err != nil {
		release()
		p.Zero()
		s.discardCode(s.spec.NoCode)
		return NewSendError(err, code)
	}
	s.sends[to] = append(s.sends[to], s.ctx.Now())
	s.code, s.ended = p, nil
	s.to, s.channel = t, ch
	if s.onSent != nil {
		s.onSent(t)
	}
	s.screen = s.spec.SentScreen
	return nil
}

// Back moves from the code screen to the entry screen, as Change does; it
// returns false on the entry screen, once done and after Abort.
func (s *Setup[T]) Back() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted || s.done || s.screen != s.spec.SentScreen {
		return false
	}
	s.change()
	return true
}

// CanBack reports whether Back has a screen of this method to go back to
// (the code screen goes back to the entry).
func (s *Setup[T]) CanBack() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.aborted && !s.done && s.screen == s.spec.SentScreen
}

// Change goes back to the entry screen for "Change number" or "Change
// email": the code waiting is discarded at once, and a send in flight is
// cancelled. It does nothing on the entry screen, once done, or after
// Abort.
func (s *Setup[T]) Change() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted || s.done || s.screen != s.spec.SentScreen {
		return
	}
	s.change()
}

func (s *Setup[T]) change() {
	s.stopSend()
	s.discardCode(s.spec.NoCode)
	s.screen = s.spec.EntryScreen
}

// stopSend cancels and disowns a send in flight.
func (s *Setup[T]) stopSend() {
	s.gen++
	if s.cancel != nil {
		s.cancel()
	}
}

// Done reports whether the method has been registered.
func (s *Setup[T]) Done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// Abort discards the code waiting and the key its MAC was made with,
// zeroing both, and cancels a send in flight. Nothing is stored.
func (s *Setup[T]) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopSend()
	s.discardCode(ErrAborted)
	secret.Zero(s.key)
	s.aborted = true
}

// discardCode zeroes and forgets the code waiting; why says why there is
// none now.
func (s *Setup[T]) discardCode(why error) {
	if s.code != nil {
		s.code.Zero()
		s.code = nil
	}
	s.ended = why
}

// Submit checks a code typed on the code screen and, if it is the code
// waiting, registers the method and moves to the done screen.
//
// What it returns, in the order it is checked:
//   - ErrAborted, ErrWrongScreen (not on the code screen), ErrBusy (a
//     resend is in flight);
//   - spec.NoCode (the last send failed), ErrCodeUsedUp or ErrCodeExpired
//     when no code is waiting: the person must choose Resend code;
//   - ErrCodeExpired: the code is CodeLifetime old; it is discarded;
//   - ErrCodeFormat: not 6 digits (spaces and dashes are ignored); not an
//     attempt;
//   - a *WrongCodeError (errors.Is ErrWrongCode) with the tries left; the
//     MaxAttempts-th wrong code returns ErrCodeUsedUp instead and ends the
//     code;
//   - spec.Exists if the account got one meanwhile (nothing stored);
//   - a wrapped storage error if saving fails: nothing is registered, the
//     code stays as it was and the person may submit it again.
//
// A code registers the method once: after success the code and the key
// are gone and the setup is done.
func (s *Setup[T]) Submit(code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(s.spec.SentScreen); err != nil {
		return err
	}
	if s.code == nil {
		if s.ended == nil {
			return s.spec.NoCode
		}
		return s.ended
	}
	used, err := s.code.Check(s.key, code, s.ctx.Now())
	if err != nil {
		if used {
			s.discardCode(err)
		}
		return err
	}
	if err := s.store(); err != nil {
		return err
	}
	s.discardCode(nil)
	secret.Zero(s.key)
	s.screen, s.done = s.spec.DoneScreen, true
	return nil
}

// store saves the verified destination.
func (s *Setup[T]) store() error {
	if err := s.checkNone(); err != nil {
		return err
	}
	id, err := secret.NewID(s.ctx.Rand)
	if err != nil {
		return err
	}
	m := s.spec.Method(s.to, s.channel)
	m.ID, m.Created = id, s.ctx.Now()
	if err := s.ctx.Dir.AddMethod(s.ctx.Account, m, nil); err != nil {
		return fmt.Errorf("save %s: %w", s.spec.Saving, err)
	}
	return nil
}

// AttemptsLeft returns how many wrong entries the code waiting still
// allows; 0 if none is waiting.
func (s *Setup[T]) AttemptsLeft() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.code == nil {
		return 0
	}
	return s.code.Left()
}

// Expires returns when the code waiting expires; the zero time if none is
// waiting.
func (s *Setup[T]) Expires() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.code == nil {
		return time.Time{}
	}
	return s.code.Expires()
}

// CodeComplete reports whether typed is a whole code as Submit reads it
// (secret.NormaliseCode), so that a page can submit it on its last digit.
func (s *Setup[T]) CodeComplete(typed string) bool { return secret.CodeComplete(typed, CodeDigits) }

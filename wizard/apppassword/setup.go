package apppassword

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// The screens of an app password registration, in order.
const (
	// ScreenName asks for the name of the app (or, better, the device)
	// that needs the password; see NameExample and Advice.
	ScreenName = "apppassword.name"
	// ScreenShow shows the new password, once. It is already saved.
	ScreenShow = "apppassword.show"
	// ScreenDone says the app password is registered.
	ScreenDone = "apppassword.done"
)

// leaveWarning is what the person is told before leaving ScreenShow by any
// way other than Next (cancel, skip, close, idle time-out).
const leaveWarning = "When you leave this page, the password can't be shown again. Copy it into your app first."

// Errors from Setup, checked with errors.Is.
var (
	// ErrWrongScreen means the operation is not possible on the current
	// screen (a host bug, not something a person can cause).
	ErrWrongScreen = errors.New("not possible on this screen")
	// ErrAborted means the setup was aborted.
	ErrAborted = errors.New("this setup was cancelled")
)

// Setup is one app password registration in progress. It implements
// method.Setup, and says what its flow must know through method.Backer and
// method.LeaveWarner: the password is saved (as a hash, and audited as
// created by the flow's store) when Next leaves ScreenName, before it is
// shown, because a person must never copy a password into an app that was
// not saved. So from ScreenShow on there is no way back (Back and CanBack
// return false), and Abort on ScreenShow leaves the app password
// registered: LeaveWarning says so, and the UI lets the person copy the
// password first; the person can delete it later by name. Done is true
// only on ScreenDone, once the person has said they copied it.
//
// It is not safe for concurrent use: a host that runs Next off the UI
// thread (it must: hashing is slow) calls nothing else until it returns.
type Setup struct {
	ctx    method.Context
	screen string
	name   string

	pw     []byte      // the new password, only while on ScreenShow
	method info.Method // the saved record, once saved

	aborted bool
}

var (
	_ method.Backer      = (*Setup)(nil)
	_ method.LeaveWarner = (*Setup)(nil)
)

// NewSetup starts registering an app password for ctx.Account; it is a
// method.Factory. ctx.Rand defaults to crypto/rand and ctx.Now to
// time.Now. It fails with ErrLimit if the account has MaxPasswords app
// passwords already: the host shows that text, which asks the person to
// delete one first.
func NewSetup(ctx method.Context) (method.Setup, error) {
	if ctx.Dir == nil {
		return nil, errors.New("app password setup: no directory")
	}
	if ctx.Now == nil {
		ctx.Now = time.Now
	}
	if ctx.Rand == nil {
		ctx.Rand = rand.Reader
	}
	existing, err := List(ctx.Dir, ctx.Account)
	if err != nil {
		return nil, err
	}
	if len(existing) >= MaxPasswords {
		return nil, ErrLimit
	}
	return &Setup{ctx: ctx, screen: ScreenName}, nil
}

// Kind returns info.KindAppPassword.
func (s *Setup) Kind() info.Kind { return info.KindAppPassword }

// Screen returns the current screen, one of the Screen constants.
func (s *Setup) Screen() string { return s.screen }

// Name returns the name set with SetName (trimmed), or "".
func (s *Setup) Name() string { return s.name }

// SetName sets the name the app password will be saved under, on
// ScreenName. The name is trimmed and must follow CheckName's rules
// against the account's app passwords; otherwise it is left unchanged and
// the error wraps ErrNameEmpty, ErrNameTooLong, ErrNameChars or
// ErrNameTaken.
func (s *Setup) SetName(name string) error {
	if s.aborted {
		return ErrAborted
	}
	if s.screen != ScreenName {
		return fmt.Errorf("set the name on %s: %w", s.screen, ErrWrongScreen)
	}
	existing, err := List(s.ctx.Dir, s.ctx.Account)
	if err != nil {
		return err
	}
	name, err = CheckName(name, existing)
	if err != nil {
		return err
	}
	s.name = name
	return nil
}

// Next moves forward.
//
// On ScreenName it checks the name and the limit again and creates the
// app password (Create): the password is saved before it is shown. It is
// slow on purpose (argon2id): call it off the UI thread. On an error
// (ErrNameEmpty if SetName was never called, ErrNameTaken or ErrLimit if
// the account changed meanwhile, a wrapped storage error) nothing is saved
// and the screen stays.
//
// On ScreenShow it is the person's "Done": the password is forgotten (its
// bytes zeroed) and the screen becomes ScreenDone.
func (s *Setup) Next() error {
	if s.aborted {
		return ErrAborted
	}
	switch s.screen {
	case ScreenName:
		pw, m, err := create(s.ctx.Dir, s.ctx.Account, s.name, s.ctx.Now(), s.ctx.Rand)
		if err != nil {
			return err
		}
		s.pw, s.method, s.screen = pw, m, ScreenShow
	case ScreenShow:
		s.forget()
		s.screen = ScreenDone
	default:
		return fmt.Errorf("next from %s: %w", s.screen, ErrWrongScreen)
	}
	return nil
}

// Back always returns false. On ScreenName the host takes over; on
// ScreenShow and ScreenDone the password is already saved and can't be
// shown again, so there is nothing to go back to.
func (s *Setup) Back() bool { return false }

// CanBack always returns false (see Back); it makes Setup a method.Backer.
func (s *Setup) CanBack() bool { return false }

// Done reports whether the registration is finished: true only on
// ScreenDone, after the person confirmed they copied the password.
func (s *Setup) Done() bool { return s.screen == ScreenDone }

// Password returns the new password, only on ScreenShow; "" elsewhere.
// The string is a copy that can't be wiped: the host should hold it no
// longer than the screen is shown.
func (s *Setup) Password() string {
	if s.screen != ScreenShow || s.pw == nil {
		return ""
	}
	return string(s.pw)
}

// Formatted returns Password in groups of four ("abcd efgh ijkl mnop"),
// only on ScreenShow; "" elsewhere.
func (s *Setup) Formatted() string { return Format(s.Password()) }

// Method returns the saved record (without the password, only its hash)
// once Next has left ScreenName; the zero Method before.
func (s *Setup) Method() info.Method { return s.method }

// LeaveWarning returns, on ScreenShow, what the person must be told before
// they leave the screen by any way other than Next: the password can't be
// shown again. It returns "" on the other screens.
func (s *Setup) LeaveWarning() string {
	if s.screen != ScreenShow || s.aborted {
		return ""
	}
	return leaveWarning
}

// Abort forgets the password, zeroing its bytes. On ScreenName nothing has
// been saved and nothing is. On ScreenShow the app password stays
// registered (it was saved before it was shown): warn first with
// LeaveWarning. After Abort, Next and SetName return ErrAborted.
func (s *Setup) Abort() {
	s.forget()
	s.aborted = true
}

// forget zeroes and drops the password.
func (s *Setup) forget() {
	secret.Zero(s.pw)
	s.pw = nil
}

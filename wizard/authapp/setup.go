package authapp

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// The screens of an authenticator app registration, in order.
const (
	// ScreenGetApp asks the person to install an authenticator app.
	ScreenGetApp = "authapp.get-app"
	// ScreenSetUpAccount tells them to add an account in the app.
	ScreenSetUpAccount = "authapp.set-up-account"
	// ScreenScan shows the QR code (and, on request, the key to type).
	ScreenScan = "authapp.scan"
	// ScreenTry asks for a code from the app.
	ScreenTry = "authapp.try"
	// ScreenDone says the app is registered.
	ScreenDone = "authapp.done"
)

// Limits of a registration.
const (
	// MaxDevices is how many authenticator apps an account may register.
	MaxDevices = 5
	// MaxAttempts is how many wrong codes a pending key allows before it is
	// discarded and a new one shown.
	MaxAttempts = 5
	// PendingLifetime is how long a pending key may be used for the test.
	PendingLifetime = 10 * time.Minute
	// DefaultIssuer names the app in authenticator apps when the policy
	// names neither an issuer nor an organisation.
	DefaultIssuer = "Security Info"
)

// Errors from Setup, checked with errors.Is. Their texts are written for
// the person.
var (
	// ErrTooManyDevices means the account already has MaxDevices
	// authenticator apps.
	ErrTooManyDevices = words.New("you already have 5 authenticator apps, the most allowed: ask your helpdesk to remove one you no longer use",
		"You already have 5 authenticator apps, the most allowed. Ask your helpdesk to remove one you no longer use.")
	// ErrTooManyAttempts means MaxAttempts wrong codes were entered; the
	// pending key was discarded and a new one is shown on the scan screen.
	ErrTooManyAttempts = words.New("too many wrong codes: delete the account you just added in your app, scan the new QR code and try again",
		"Too many wrong codes. Delete the account you just added in your app, scan the new QR code and try again.")
	// ErrPendingExpired means the pending key was older than
	// PendingLifetime; a new one is shown on the scan screen.
	ErrPendingExpired = words.New("this QR code expired after 10 minutes: delete the account you just added in your app, scan the new QR code and try again",
		"This QR code expired after 10 minutes. Delete the account you just added in your app, scan the new QR code and try again.")
	// ErrWrongScreen means the operation is not possible on the current
	// screen (a host bug, not something a person can cause).
	ErrWrongScreen = errors.New("not possible on this screen")
	// ErrAborted means the setup was aborted.
	ErrAborted = errors.New("this setup was cancelled")
)

// Setup is one authenticator app registration in progress. It implements
// method.Setup. The key exists only in memory until the person's first code
// verifies; only then is the method stored (secret in the keyring). It is
// not safe for concurrent use.
type Setup struct {
	ctx          method.Context
	issuer       string
	screen       string
	differentApp bool
	deviceName   string

	secret   []byte    // pending key; nil once stored or aborted
	uri      string    // URI of secret
	made     time.Time // when secret was made
	attempts int       // wrong codes for secret

	done, aborted bool
}

var _ method.Backer = (*Setup)(nil)

// NewSetup starts registering an authenticator app for ctx.Account; it is a
// method.Factory. It makes the pending key from ctx.Rand (crypto/rand
// if nil; ctx.Now defaults to time.Now). It fails with ErrTooManyDevices if
// the account has MaxDevices authenticator apps already, and with
// ErrColonInName if the issuer or account name contains ':'.
//
// The issuer is ctx.Issuer, else ctx.Organisation, else
// DefaultIssuer.
func NewSetup(ctx method.Context) (method.Setup, error) {
	if ctx.Dir == nil {
		return nil, errors.New("authenticator app setup: no directory")
	}
	if ctx.Now == nil {
		ctx.Now = time.Now
	}
	if ctx.Rand == nil {
		ctx.Rand = rand.Reader
	}
	s := &Setup{ctx: ctx, screen: ScreenGetApp, issuer: ctx.Issuer}
	if s.issuer == "" {
		s.issuer = ctx.Organisation
	}
	if s.issuer == "" {
		s.issuer = DefaultIssuer
	}
	existing, err := s.existing()
	if err != nil {
		return nil, err
	}
	if len(existing) >= MaxDevices {
		return nil, ErrTooManyDevices
	}
	s.deviceName = defaultDeviceName(existing)
	if err := s.renew(); err != nil {
		return nil, err
	}
	return s, nil
}

// existing lists the account's registered authenticator apps.
func (s *Setup) existing() ([]info.Method, error) {
	ms, err := s.ctx.Dir.Methods(s.ctx.Account)
	if err != nil {
		return nil, fmt.Errorf("read your registered methods: %w", err)
	}
	return authMethods(ms), nil
}

// renew discards the pending key (zeroing it) and makes a fresh one, with a
// fresh allowance of attempts and lifetime.
func (s *Setup) renew() error {
	key, err := NewSecret(s.ctx.Rand)
	if err != nil {
		return err
	}
	uri, err := URI(s.issuer, s.ctx.Account, key)
	if err != nil {
		secret.Zero(key)
		return err
	}
	s.discard()
	s.secret, s.uri, s.made, s.attempts = key, uri, s.ctx.Now(), 0
	return nil
}

// discard zeroes and forgets the pending key.
func (s *Setup) discard() {
	secret.Zero(s.secret)
	s.secret, s.uri = nil, ""
}

// expired reports whether the pending key is older than PendingLifetime.
func (s *Setup) expired(now time.Time) bool {
	return !now.Before(s.made.Add(PendingLifetime))
}

// Kind returns info.KindAuthenticatorApp.
func (s *Setup) Kind() info.Kind { return info.KindAuthenticatorApp }

// Screen returns the current screen, one of the Screen constants.
func (s *Setup) Screen() string { return s.screen }

// Next moves forward: get-app to set-up-account to scan to try. On the try
// screen the way forward is Submit, and Next returns ErrWrongScreen. Coming
// to the scan screen with an expired pending key silently replaces it, so
// the QR code shown is always fresh.
func (s *Setup) Next() error {
	if s.aborted {
		return ErrAborted
	}
	switch s.screen {
	case ScreenGetApp:
		s.screen = ScreenSetUpAccount
	case ScreenSetUpAccount:
		if s.expired(s.ctx.Now()) {
			if err := s.renew(); err != nil {
				return err
			}
		}
		s.screen = ScreenScan
	case ScreenScan:
		s.screen = ScreenTry
	default:
		return fmt.Errorf("next from %s: %w", s.screen, ErrWrongScreen)
	}
	return nil
}

// Back moves to the previous screen; it returns false on the first screen,
// once done, and after Abort.
func (s *Setup) Back() bool {
	if s.aborted {
		return false
	}
	switch s.screen {
	case ScreenGetApp:
		if !s.differentApp {
			return false
		}
		s.differentApp = false // back to the Microsoft app's page
	case ScreenSetUpAccount:
		s.screen = ScreenGetApp
	case ScreenScan:
		s.screen = ScreenSetUpAccount
	case ScreenTry:
		s.screen = ScreenScan
	default:
		return false
	}
	return true
}

// UseDifferentApp records that the person follows the "I want to use a
// different authenticator app" link: the screens then speak of any
// authenticator app rather than a named one. The flow is the same.
func (s *Setup) UseDifferentApp() { s.differentApp = true }

// DifferentApp reports whether UseDifferentApp was called.
func (s *Setup) DifferentApp() bool { return s.differentApp }

// URI returns the otpauth URI of the pending key, for the QR code; it is
// empty once done or aborted, and changes whenever the key is replaced.
func (s *Setup) URI() string { return s.uri }

// ManualKey returns the pending key in groups of four, for "Can't scan the
// QR code?"; empty once done or aborted.
func (s *Setup) ManualKey() string {
	if s.secret == nil {
		return ""
	}
	return GroupKey(EncodeKey(s.secret))
}

// Issuer returns the issuer name the app will show.
func (s *Setup) Issuer() string { return s.issuer }

// AccountLabel returns the account as it is labelled in the authenticator
// app, "Issuer:account" (for example "Contoso:alice@contoso.example").
func (s *Setup) AccountLabel() string { return s.issuer + ":" + s.ctx.Account }

// Expires returns when the pending key expires.
func (s *Setup) Expires() time.Time { return s.made.Add(PendingLifetime) }

// AttemptsLeft returns how many wrong codes the pending key still allows.
func (s *Setup) AttemptsLeft() int { return MaxAttempts - s.attempts }

// DeviceName returns the name the app will be registered under.
func (s *Setup) DeviceName() string { return s.deviceName }

// SetDeviceName changes the name the app will be registered under. The name
// is trimmed and must follow CheckDeviceName's rules against the account's
// existing authenticator apps; otherwise the name is left unchanged and the
// error wraps ErrDeviceNameEmpty, ErrDeviceNameTooLong, ErrDeviceNameChars
// or ErrDeviceNameTaken.
func (s *Setup) SetDeviceName(name string) error {
	if s.aborted {
		return ErrAborted
	}
	if s.done {
		return fmt.Errorf("rename after registration: %w", ErrWrongScreen)
	}
	existing, err := s.existing()
	if err != nil {
		return err
	}
	name, err = CheckDeviceName(name, existing)
	if err != nil {
		return err
	}
	s.deviceName = name
	return nil
}

// Done reports whether the app has been registered.
func (s *Setup) Done() bool { return s.done }

// Abort discards the pending key, zeroing it. Nothing is stored.
func (s *Setup) Abort() {
	s.discard()
	s.aborted = true
}

// CanBack reports whether Back has a screen of this method to go back to.
func (s *Setup) CanBack() bool {
	return !s.aborted && (s.screen == ScreenSetUpAccount || s.screen == ScreenScan || s.screen == ScreenTry ||
		s.screen == ScreenGetApp && s.differentApp)
}

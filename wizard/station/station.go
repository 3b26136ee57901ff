// Package station keeps a station's own settings and credentials, as
// opposed to anyone's security info: the passphrase a kiosk asks before it
// closes (as an argon2id hash, with a back-off on wrong guesses that
// survives a restart), the delivery providers' credentials, the
// directory's bind credential, and where the local data lives by default.
//
// Everything here is read and written through info.Store's station
// secrets, so it lives in the station's keyring whichever backend holds
// the accounts. Nothing in this package prints, logs or puts a secret in
// an error.
package station

import (
	"errors"
	"fmt"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Names of the station secrets this package keeps.
const (
	// PassphraseSecret holds an argon2id hash of the kiosk passphrase,
	// never the passphrase.
	PassphraseSecret = "station-passphrase"
	// passphraseFailures holds the count and time of consecutive wrong
	// passphrases, for the back-off.
	passphraseFailures = "station-passphrase-failures"
	// DirectorySecret holds the password the station binds to the
	// organisation's directory with.
	DirectorySecret = "directory"
	// Twilio holds the twilio provider's credentials (TwilioCredentials
	// as JSON).
	Twilio = "twilio"
	// Webhook holds the webhook provider's HMAC signing key.
	Webhook = "webhook"
	// SMTP holds the mail server's credentials (SMTPCredentials as JSON).
	SMTP = "smtp"
)

// Providers are the delivery providers whose credentials a station keeps.
var Providers = []string{Twilio, Webhook, SMTP}

// IsProvider reports whether name is one of Providers.
func IsProvider(name string) bool {
	for _, p := range Providers {
		if p == name {
			return true
		}
	}
	return false
}

// MaxSecret is the most bytes a station secret may have: keyring items
// must stay under 2,000 bytes once encoded (Secret Service and Windows'
// Credential Manager both have limits near there), so a secret is refused
// well before that.
const MaxSecret = 1000

// Audit actions of changes to a station's settings.
const (
	ActionProviderSet         = "provider-set"
	ActionProviderCleared     = "provider-cleared"
	ActionPassphraseSet       = "station-passphrase-set"
	ActionDirectoryCredential = "directory-credential-set"
)

// Errors of this package, checked with errors.Is. Their text is written
// for the administrator who sees it.
var (
	// ErrTooLong means a secret is over MaxSecret bytes.
	ErrTooLong = fmt.Errorf("too long for the keyring (at most %d bytes)", MaxSecret)
	// ErrInvalid means a credential can't be right (empty, too short, not
	// in the provider's format).
	ErrInvalid = errors.New("not a valid credential")
	// ErrNotSet means the station has no such credential yet.
	ErrNotSet = errors.New("not set on this station")
)

// put keeps one station secret after checking its size; what names it
// in messages (e.g. "the webhook signing key").
func put(s info.Store, name, what string, secret []byte) error {
	if len(secret) > MaxSecret {
		return fmt.Errorf("%s is %d bytes: %w", what, len(secret), ErrTooLong)
	}
	if err := s.SetStationSecret(name, secret); err != nil {
		return fmt.Errorf("saving %s: %w", what, err)
	}
	return nil
}

// get reads one station secret; ErrNotSet (which also matches
// info.ErrSecretNotFound) when there is none.
func get(s info.Store, name, what string) ([]byte, error) {
	b, err := s.StationSecret(name)
	if errors.Is(err, info.ErrSecretNotFound) {
		return nil, fmt.Errorf("%s is %w: %w", what, ErrNotSet, err)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	return b, nil
}

// Snapshot remembers the current values of the named station secrets so
// that a change can be undone: the restore function it returns puts each
// back as it was (or removes it if it was not set). Use it to undo a change
// whose audit entry could not be written.
func Snapshot(s info.Store, names ...string) (restore func() error, err error) {
	type item struct {
		name  string
		value []byte
		set   bool
	}
	items := make([]item, 0, len(names))
	for _, n := range names {
		b, err := s.StationSecret(n)
		switch {
		case err == nil:
			items = append(items, item{n, b, true})
		case errors.Is(err, info.ErrSecretNotFound):
			items = append(items, item{name: n})
		default:
			return nil, fmt.Errorf("reading the station's %s setting: %w", n, err)
		}
	}
	return func() error {
		var errs []error
		for _, it := range items {
			var err error
			if it.set {
				err = s.SetStationSecret(it.name, it.value)
			} else {
				err = s.DeleteStationSecret(it.name)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("restoring the station's %s setting: %w", it.name, err))
			}
		}
		return errors.Join(errs...)
	}, nil
}

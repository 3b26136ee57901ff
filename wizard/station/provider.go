package station

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// TwilioCredentials is how the twilio provider's credentials are kept.
type TwilioCredentials struct {
	AccountSID string `json:"sid"`
	AuthToken  string `json:"token"`
}

// Check reports whether the credentials can be right: an account SID is
// 34 characters starting with AC, and an auth token at least 16.
func (c TwilioCredentials) Check() error {
	if !strings.HasPrefix(c.AccountSID, "AC") || len(c.AccountSID) != 34 {
		return fmt.Errorf("%w: a Twilio account SID is 34 characters starting with AC", ErrInvalid)
	}
	if len(c.AuthToken) < 16 {
		return fmt.Errorf("%w: the Twilio auth token looks wrong (too short)", ErrInvalid)
	}
	return nil
}

// SetTwilio checks and keeps the twilio provider's credentials.
func SetTwilio(s info.Store, c TwilioCredentials) error {
	if err := c.Check(); err != nil {
		return err
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding the Twilio credentials: %w", err)
	}
	return put(s, Twilio, "the Twilio credentials", raw)
}

// LoadTwilio reads the twilio provider's credentials; an error matching
// ErrNotSet if none were set.
func LoadTwilio(s info.Store) (TwilioCredentials, error) {
	var c TwilioCredentials
	raw, err := get(s, Twilio, "the Twilio credentials")
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		// Not %w: the JSON error could quote part of the token.
		return TwilioCredentials{}, fmt.Errorf("%w: the Twilio credentials in the keyring are damaged: set them again", ErrInvalid)
	}
	return c, nil
}

// MinWebhookKey is the shortest webhook signing key accepted.
const MinWebhookKey = 16

// CheckWebhookKey reports whether key can be a webhook signing key.
func CheckWebhookKey(key []byte) error {
	if len(key) < MinWebhookKey {
		return fmt.Errorf("%w: the webhook signing key must be at least %d characters", ErrInvalid, MinWebhookKey)
	}
	return nil
}

// SetWebhookKey checks and keeps the webhook provider's signing key.
func SetWebhookKey(s info.Store, key []byte) error {
	if err := CheckWebhookKey(key); err != nil {
		return err
	}
	return put(s, Webhook, "the webhook signing key", key)
}

// LoadWebhookKey reads the webhook provider's signing key; an error
// matching ErrNotSet if none was set.
func LoadWebhookKey(s info.Store) ([]byte, error) {
	return get(s, Webhook, "the webhook signing key")
}

// SMTPCredentials are what the station signs in to the mail server with.
type SMTPCredentials struct {
	Username string `json:"user"`
	Password string `json:"password"`
}

// Check reports whether the credentials can be right: a user name and a
// password, neither with control characters (they travel in SMTP AUTH).
func (c SMTPCredentials) Check() error {
	switch {
	case c.Username == "" || c.Password == "":
		return fmt.Errorf("%w: the mail server needs a user name and a password", ErrInvalid)
	case strings.ContainsFunc(c.Username+c.Password, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("%w: the mail server's user name or password has a control character", ErrInvalid)
	}
	return nil
}

// SetSMTP checks and keeps the mail server's credentials.
func SetSMTP(s info.Store, c SMTPCredentials) error {
	if err := c.Check(); err != nil {
		return err
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding the mail server's credentials: %w", err)
	}
	return put(s, SMTP, "the mail server's credentials", raw)
}

// LoadSMTP reads the mail server's credentials; an error matching
// ErrNotSet if none were set.
func LoadSMTP(s info.Store) (SMTPCredentials, error) {
	var c SMTPCredentials
	raw, err := get(s, SMTP, "the mail server's credentials")
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		// Not %w: the JSON error could quote part of the password.
		return SMTPCredentials{}, fmt.Errorf("%w: the mail server's credentials in the keyring are damaged: set them again", ErrInvalid)
	}
	return c, nil
}

// HasProvider reports whether the named provider's credentials are set.
func HasProvider(s info.Store, name string) (bool, error) {
	if !IsProvider(name) {
		return false, fmt.Errorf("unknown provider %q", name)
	}
	_, err := get(s, name, "the "+name+" credentials")
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotSet):
		return false, nil
	}
	return false, err
}

// ClearProvider removes the named provider's credentials; clearing
// credentials never set is not an error.
func ClearProvider(s info.Store, name string) error {
	if !IsProvider(name) {
		return fmt.Errorf("unknown provider %q", name)
	}
	if err := s.DeleteStationSecret(name); err != nil {
		return fmt.Errorf("removing the %s credentials: %w", name, err)
	}
	return nil
}

package storage

import (
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// ItemLabel is what a keyring shows a person of an item (Seahorse,
// `secret-tool search`) and the attributes it can be searched by, besides
// the "service" and "username" every item has.
type ItemLabel struct {
	Label      string
	Attributes map[string]string
}

// LabelledSecretStore is a SecretStore that can label its items for
// people. OSKeyring is one where the keyring is the Secret Service;
// elsewhere (Keychain, Credential Manager) it stores the item as Set does.
type LabelledSecretStore interface {
	SecretStore
	// SetLabelled is Set, with the item labelled.
	SetLabelled(service, user string, secret []byte, label ItemLabel) error
}

// MaxKeyringItem bounds every keyring item this store writes, as stored
// (base64): Windows' Credential Manager holds at most 2,560 bytes and
// macOS's Keychain about 3 KB, so an item that works on one desktop works
// on all. Callers refuse long secrets first, with their own words
// (station.MaxSecret); this is the backstop.
const MaxKeyringItem = 2000

// ErrSecretTooLong means a secret would make a keyring item of
// MaxKeyringItem bytes or more; nothing was written.
var ErrSecretTooLong = errors.New("too long for the keyring")

// setSecret stores secret with its label where s can label items, and
// refuses one that would make an item of MaxKeyringItem bytes or more.
func setSecret(s SecretStore, service, user string, secret []byte, label ItemLabel) error {
	if n := base64.StdEncoding.EncodedLen(len(secret)); n >= MaxKeyringItem {
		return fmt.Errorf("a %d-byte secret is a %d-byte keyring item: %w", len(secret), n, ErrSecretTooLong)
	}
	if ls, ok := s.(LabelledSecretStore); ok {
		return ls.SetLabelled(service, user, secret, label)
	}
	return s.Set(service, user, secret)
}

// methodLabel labels a method's secret: "Security Info: authenticator key
// 'Pixel 8' of alice@contoso.example".
func methodLabel(account string, m info.Method) ItemLabel {
	what := string(m.Kind) + " secret"
	if m.Kind == info.KindAuthenticatorApp {
		what = "authenticator key"
	}
	label := fmt.Sprintf("Security Info: %s of %s", what, account)
	if m.Label != "" {
		label = fmt.Sprintf("Security Info: %s '%s' of %s", what, m.Label, account)
	}
	return ItemLabel{Label: label, Attributes: map[string]string{
		"application": "securityinfo", "account": account, "method": string(m.Kind), "name": m.Label,
	}}
}

// stationLabel labels one of the station's own credentials.
func stationLabel(name string) ItemLabel {
	return ItemLabel{Label: fmt.Sprintf("Security Info: this station's %s credential", name), Attributes: map[string]string{
		"application": "securityinfo", "credential": name,
	}}
}

// labelledBackend is a keyring backend that can label items.
type labelledBackend interface {
	SetLabelled(service, user, password string, label ItemLabel) error
}

// SetLabelled stores secret as Set does, labelled for people where the
// keyring can show labels (the Secret Service); elsewhere as Set.
func (k *OSKeyring) SetLabelled(service, user string, secret []byte, label ItemLabel) error {
	lb, ok := k.be().(labelledBackend)
	if !ok {
		return k.Set(service, user, secret)
	}
	enc := base64.StdEncoding.EncodeToString(secret)
	_, err := k.call(func() (string, error) {
		return "", lb.SetLabelled(service, user, enc, label)
	})
	if err != nil {
		return fmt.Errorf("save secret in keyring: %w", err)
	}
	return nil
}

package storage

import (
	"errors"
	"fmt"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Delivery providers' credentials (an SMS gateway's account token, a
// webhook's signing key) are secrets of the organisation, not of a
// person: they live in the keyring under their own service,
// "securityinfo-provider:<store id>", with the provider's name as the
// user name, so no account name can ever collide with them.

func (l *Local) providerService() string {
	return "securityinfo-provider:" + strings.TrimPrefix(l.service, "securityinfo:")
}

func checkProviderName(name string) error {
	if name == "" || strings.ContainsAny(name, "/\x00\n") {
		return fmt.Errorf("provider name %q is not valid", name)
	}
	return nil
}

// SetStationSecret keeps a delivery provider's credentials in the keyring.
func (l *Local) SetStationSecret(name string, secret []byte) error {
	if err := checkProviderName(name); err != nil {
		return err
	}
	if err := setSecret(l.secrets, l.providerService(), name, secret, stationLabel(name)); err != nil {
		return fmt.Errorf("save %s credentials: %w", name, err)
	}
	return nil
}

// ProviderSecret reads a delivery provider's credentials from the keyring;
// ErrSecretNotFound if none were set.
func (l *Local) StationSecret(name string) ([]byte, error) {
	if err := checkProviderName(name); err != nil {
		return nil, err
	}
	b, err := l.secrets.Get(l.providerService(), name)
	if err != nil {
		return nil, fmt.Errorf("read %s credentials: %w", name, err)
	}
	return b, nil
}

// DeleteStationSecret removes a delivery provider's credentials; removing
// credentials that were never set is not an error.
func (l *Local) DeleteStationSecret(name string) error {
	if err := checkProviderName(name); err != nil {
		return err
	}
	err := l.secrets.Delete(l.providerService(), name)
	if err != nil && !errors.Is(err, info.ErrSecretNotFound) {
		return fmt.Errorf("remove %s credentials: %w", name, err)
	}
	return nil
}

package storage

import (
	"errors"
	"fmt"
	"net"
	"strings"

	dbus "github.com/godbus/dbus/v5"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/zalando/go-keyring"
)

// translateKeyringError turns an error from go-keyring into one matching
// this package's sentinels, worded for a person and still wrapping the
// original for logs. go-keyring does not type its Secret Service errors,
// so this looks at D-Bus error names and, for a locked collection, at
// go-keyring's own message.
func translateKeyringError(err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return info.ErrSecretNotFound
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return fmt.Errorf("the secret is too big for the system keyring: %w", err)
	}
	if errors.Is(err, errNoSessionBus) {
		return unavailable("no D-Bus session bus", err)
	}
	if name, ok := dbusErrorName(err); ok {
		switch {
		case name == "org.freedesktop.Secret.Error.IsLocked":
			return locked(err)
		case name == "org.freedesktop.DBus.Error.ServiceUnknown",
			name == "org.freedesktop.DBus.Error.NameHasNoOwner",
			strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn."):
			return unavailable("no Secret Service is running on the session bus", err)
		case name == "org.freedesktop.DBus.Error.NoReply",
			name == "org.freedesktop.DBus.Error.Timeout",
			name == "org.freedesktop.DBus.Error.TimedOut":
			return unavailable("the Secret Service did not answer", err)
		default:
			return unavailable("the Secret Service refused the request", err)
		}
	}
	// go-keyring (v0.2.8) reports a collection that stayed locked, because
	// the unlock prompt was dismissed or could not be shown, only as
	// fmt.Errorf("failed to unlock correct collection '%v'", path).
	if strings.Contains(err.Error(), "failed to unlock correct collection") {
		return locked(err)
	}
	var netErr *net.OpError
	if errors.As(err, &netErr) {
		return unavailable("cannot connect to the D-Bus session bus", err)
	}
	return unavailable("", err)
}

// dbusErrorName returns the name of a D-Bus error reply inside err.
func dbusErrorName(err error) (string, bool) {
	var v dbus.Error
	if errors.As(err, &v) {
		return v.Name, true
	}
	var p *dbus.Error
	if errors.As(err, &p) && p != nil {
		return p.Name, true
	}
	return "", false
}

// unavailable wraps err so that it matches ErrKeyringUnavailable.
func unavailable(why string, err error) error {
	if why == "" {
		return fmt.Errorf("%w: %s: %w", info.ErrKeyringUnavailable, keyringHint, err)
	}
	return fmt.Errorf("%w (%s): %s: %w", info.ErrKeyringUnavailable, why, keyringHint, err)
}

// locked wraps err so that it matches ErrKeyringLocked.
func locked(err error) error {
	return fmt.Errorf("%w: %s: %w", info.ErrKeyringLocked, keyringHint, err)
}

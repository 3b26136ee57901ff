//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// keyringHint tells a person what to do when the keyring fails.
const keyringHint = "start or unlock your keyring (GNOME Keyring/KWallet) and try again"

// errNoSessionBus means there is no D-Bus session bus to find the Secret
// Service on.
var errNoSessionBus = errors.New("DBUS_SESSION_BUS_ADDRESS is not set and /run/user/<uid>/bus does not exist")

// sessionBusCheck fails when the D-Bus library would find no session bus
// and fall back to running dbus-launch, which starts a private bus (and,
// through it, a keyring daemon) that outlives this process and holds
// secrets nobody else can see. It mirrors godbus's discovery: the
// DBUS_SESSION_BUS_ADDRESS variable, then /run/user/<uid>/bus and
// /run/user/<uid>/dbus-session.
func sessionBusCheck() error {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	dir := fmt.Sprintf("/run/user/%d", os.Getuid())
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return nil
		}
	}
	return errNoSessionBus
}

//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package storage

import "errors"

// keyringHint tells a person what to do when the keyring fails.
const keyringHint = "unlock the system keyring (Keychain or Credential Manager) and try again"

// errNoSessionBus is never returned where there is no D-Bus.
var errNoSessionBus = errors.New("no D-Bus session bus")

// sessionBusCheck has nothing to check where the keyring is not reached
// over D-Bus.
func sessionBusCheck() error { return nil }

//go:build fido2soft

package main

import (
	"fmt"
	"os"

	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/securitykey/fido2"
	"github.com/securityinfo/securityinfo/wizard/securitykey/softkey"
)

// With SECURITYINFO_SOFT_FIDO2=1, a test build (-tags fido2soft) plugs a
// software security key into libfido2 in place of USB; its PIN, if any,
// is SECURITYINFO_SOFT_FIDO2_PIN. The release build has none of this.
func init() {
	softKeyOpener = func() securitykey.Opener {
		if os.Getenv("SECURITYINFO_SOFT_FIDO2") == "" {
			return nil
		}
		key := softkey.New([16]byte{0x50, 0x0f, 0x7e, 0x57, 0x4b, 0x65, 0x79, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01})
		if pin := os.Getenv("SECURITYINFO_SOFT_FIDO2_PIN"); pin != "" {
			key.SetPIN(pin)
		}
		fmt.Fprintln(os.Stderr, "securityinfo: test build: a software security key is plugged in")
		return func() (securitykey.Authenticator, error) {
			d, err := fido2.OpenTransport(key.HID())
			if err != nil {
				return nil, err
			}
			return d, nil
		}
	}
}

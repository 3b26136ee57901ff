package main

import (
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
)

// securityKeyConfig is how this station registers security keys: the
// policy's relying party and rules, keys found on USB through libfido2.
// With the organisation's directory as dir, user handles are derived
// from its key, shared by the fleet (see securitykey's userhandle.go);
// otherwise from the station's own.
func securityKeyConfig(pol wizard.Policy, dir info.Store) securitykey.Config {
	k := pol.SecurityKey
	cfg := securitykey.Config{
		Policy: securitykey.Policy{RPID: k.RPID, RPName: pol.Organisation, UserVerification: k.UserVerification,
			AAGUIDs: k.AAGUIDs, ResidentKey: k.ResidentKey},
		Open:    keyOpener(),
		Station: storage.StationName(),
	}
	if d, ok := dir.(*directory.Directory); ok {
		cfg.HandleKey = d.UserHandleKey
	}
	return cfg
}

// softKeyOpener is set only in the fido2soft build (wiring_softkey.go):
// a software security key in place of USB, for the real-window tests.
var softKeyOpener func() securitykey.Opener

// keyOpener finds security keys on USB, unless a test build attached a
// software key.
func keyOpener() securitykey.Opener {
	if softKeyOpener != nil {
		if o := softKeyOpener(); o != nil {
			return o
		}
	}
	return securitykey.USB
}

package authapp

import (
	"strconv"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// DefaultDeviceName is the name a new authenticator app gets unless the
// person changes it. If it is taken, NewSetup numbers it ("Authenticator
// app 2").
const DefaultDeviceName = "Authenticator app"

// MaxDeviceNameLen is the longest device name, in characters.
const MaxDeviceNameLen = 64

// Errors about device names, checked with errors.Is.
var (
	// ErrDeviceNameEmpty means the name is empty or only white space.
	ErrDeviceNameEmpty = words.New("enter a name for this authenticator app",
		"Enter a name for this authenticator app.")
	// ErrDeviceNameTooLong means the name has more than 64 characters.
	ErrDeviceNameTooLong = words.New("use at most 64 characters for the name",
		"Use at most 64 characters for the name.")
	// ErrDeviceNameChars means the name holds control characters or is not
	// valid text.
	ErrDeviceNameChars = words.New("the name can't contain control characters",
		"The name can't contain control characters.")
	// ErrDeviceNameTaken means another authenticator app of this account
	// has the same name, ignoring case.
	ErrDeviceNameTaken = words.New("you already have an authenticator app with this name: choose another name",
		"You already have an authenticator app with this name. Choose another name.")
)

// CheckDeviceName checks name (without leading and trailing white space)
// against the rules: 1–64 characters, no control characters, and not the
// name of one of the existing methods (compared case-insensitively). It
// returns the trimmed name.
func CheckDeviceName(name string, existing []info.Method) (string, error) {
	return method.CheckLabel(name, MaxDeviceNameLen, info.KindAuthenticatorApp, existing,
		method.LabelErrors{Empty: ErrDeviceNameEmpty, TooLong: ErrDeviceNameTooLong, Chars: ErrDeviceNameChars, Taken: ErrDeviceNameTaken})
}

// defaultDeviceName returns DefaultDeviceName, numbered if an existing
// authenticator app already has that name.
func defaultDeviceName(existing []info.Method) string {
	for n := 1; ; n++ {
		name := DefaultDeviceName
		if n > 1 {
			name += " " + strconv.Itoa(n)
		}
		if _, err := CheckDeviceName(name, existing); err == nil {
			return name
		}
	}
}

// authMethods returns the authenticator app methods among ms.
func authMethods(ms []info.Method) []info.Method {
	var out []info.Method
	for _, m := range ms {
		if m.Kind == info.KindAuthenticatorApp {
			out = append(out, m)
		}
	}
	return out
}

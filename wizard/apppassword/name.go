package apppassword

import (
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// MaxNameLen is the longest app password name, in characters.
const MaxNameLen = 64

// NameExample is the example name the name screen shows, following the
// seed's advice of one app password per device rather than per app.
const NameExample = "Laptop"

// Advice is the seed's advice on naming, for the name screen.
const Advice = "Use one app password per device, not per app: for example, one for all the apps on your laptop and another for all the apps on your desktop."

// Errors about names, checked with errors.Is. Their texts are written for
// the person.
var (
	// ErrNameEmpty means the name is empty or only white space.
	ErrNameEmpty = words.New("enter a name for this app password, for example Laptop",
		"Enter a name for this app password, for example Laptop.")
	// ErrNameTooLong means the name has more than MaxNameLen characters.
	ErrNameTooLong = words.New("use at most 64 characters for the name",
		"Use at most 64 characters for the name.")
	// ErrNameChars means the name holds control characters or is not
	// valid text.
	ErrNameChars = words.New("the name can't contain control characters",
		"The name can't contain control characters.")
	// ErrNameTaken means another app password of the account has the same
	// name, ignoring case.
	ErrNameTaken = words.New("you already have an app password with this name: choose another name",
		"You already have an app password with this name. Choose another name.")
)

// CheckName checks name, without leading and trailing white space, against
// the rules: 1–64 characters, no control characters, and not the name of
// one of the existing app passwords (compared ignoring case; methods of
// other kinds in existing are ignored). It returns the trimmed name.
func CheckName(name string, existing []info.Method) (string, error) {
	return method.CheckLabel(name, MaxNameLen, info.KindAppPassword, existing,
		method.LabelErrors{Empty: ErrNameEmpty, TooLong: ErrNameTooLong, Chars: ErrNameChars, Taken: ErrNameTaken})
}

package wizard

import (
	"context"
	"errors"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Words returns what a person should read about err: the words of the
// first error in its chain that has some (words.Worded), else words for
// the storage boundary's errors (info.Err…), else a general sentence. The
// rest of the chain is for the log; it never reaches the person. Words(nil)
// is "".
func Words(err error) string {
	if err == nil {
		return ""
	}
	if w, ok := words.Of(err); ok {
		return w
	}
	for _, k := range storageWords {
		if errors.Is(err, k.err) {
			return k.words
		}
	}
	return "Something went wrong. Try again, or ask your helpdesk."
}

// HasWords reports whether err carries words of its own, rather than the
// general ones Words falls back on.
func HasWords(err error) bool {
	_, ok := words.Of(err)
	return ok
}

// storageWords are the words for errors that come from a storage backend
// (which can't depend on this package), most particular first.
var storageWords = []struct {
	err   error
	words string
}{
	{info.ErrKeyringLocked, "Your system keyring is locked. Unlock it, then try again."},
	{info.ErrKeyringUnavailable, "Your system keyring isn't available. Make sure you are signed in to a desktop session with a keyring running, or ask your helpdesk."},
	{info.ErrStoreBusy, "Security Info's data is in use by another Security Info on this computer. Try again in a moment."},
	{info.ErrDirectoryUnavailable, "The directory can't be reached right now. Try again in a moment, or ask your helpdesk."},
	{info.ErrPasswordExpired, "Your password has expired. Change it first, then sign in again."},
	{info.ErrMustChangePassword, "Your password must be changed before you can use it. Change it first, then sign in again."},
	{info.ErrLocked, "This account is locked. Ask your helpdesk to unlock it."},
	{info.ErrNoAccount, "There is no such account."},
	{info.ErrNoMethod, "That method isn't registered any more."},
	{info.ErrNoPass, "There is no Temporary Access Pass for this account."},
	{info.ErrNotSupported, "That can't be done with this station's directory."},
	{context.DeadlineExceeded, "That took too long. Try again, or ask your helpdesk."},
}

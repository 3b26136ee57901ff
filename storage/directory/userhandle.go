package directory

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
)

// UserHandleKey is the key security key user handles are derived from
// (securitykey.UserHandle), the same at every station of the directory:
// a key of its own, HMAC-SHA256 of a fixed label under the try slot key
// (siTryKey on ou=tries), which every station already reads at Open. So
// one person's registrations at any desk of the fleet name them by one
// handle, and a retry anywhere replaces the resident credential an
// abandoned attempt left on the key, with no new attribute in the schema.
// The two uses stay apart: a slot is 16 bits of the HMAC of a name as
// typed, and the label is no name anyone types (it holds a NUL); nothing
// of the try key can be worked back from a handle. It fails where the
// directory has no try slot key (TriesNote); the station then keeps a
// key of its own.
func (d *Directory) UserHandleKey() ([]byte, error) {
	if len(d.triesKey) == 0 {
		err := d.triesErr
		if err == nil {
			err = ErrNoTries
		}
		return nil, fmt.Errorf("no shared key for user handles: %w", err)
	}
	m := hmac.New(sha256.New, d.triesKey)
	m.Write([]byte("\x00securityinfo security key user handles"))
	return m.Sum(nil), nil
}

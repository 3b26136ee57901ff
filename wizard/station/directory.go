package station

import (
	"fmt"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// SetDirectoryCredential keeps the password this station binds to the
// organisation's directory with. It is refused when empty or over
// MaxSecret bytes.
func SetDirectoryCredential(s info.Store, password string) error {
	if password == "" {
		return fmt.Errorf("%w: the directory bind password is empty", ErrInvalid)
	}
	return put(s, DirectorySecret, "the directory bind password", []byte(password))
}

// DirectoryCredential reads the station's directory bind password; an
// error matching ErrNotSet if none was set.
func DirectoryCredential(s info.Store) (string, error) {
	b, err := get(s, DirectorySecret, "the directory bind password")
	if err != nil {
		return "", err
	}
	return string(b), nil
}

package directory

import (
	"fmt"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// UpdateTries is not supported: the directory keeps failures on people's
// entries (ppolicy's pwdFailureTime), and has no place for those of names
// that name nobody. The app keeps them in memory instead
// (info.TriesTable), so a try at such a name makes no write to the
// directory where a counted try at a person makes one (a Modify).
func (d *Directory) UpdateTries(string, func(*info.Tries) error) error {
	return fmt.Errorf("failures of names that name nobody: %w", info.ErrNotSupported)
}

package directory

import (
	"fmt"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// UpdateTries is not supported: the directory has no place for the
// failures of names that name nobody, and a station may not write
// outside people's entries. The app keeps them in memory instead
// (info.TriesTable).
func (d *Directory) UpdateTries(string, func(*info.Tries) error) error {
	return fmt.Errorf("failures of names that name nobody: %w", info.ErrNotSupported)
}

package station

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultDataDir is where a station keeps its local data when no
// --data-dir is given: $XDG_DATA_HOME/securityinfo, or the platform's
// per-user data directory.
func DefaultDataDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "securityinfo"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the data directory: %w (use --data-dir DIR)", err)
	}
	return dataDirIn(home), nil
}

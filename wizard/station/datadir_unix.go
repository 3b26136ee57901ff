//go:build !windows && !darwin

package station

import "path/filepath"

func dataDirIn(home string) string { return filepath.Join(home, ".local", "share", "securityinfo") }

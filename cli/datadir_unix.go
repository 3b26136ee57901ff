//go:build !windows && !darwin

package cli

import "path/filepath"

func dataDirIn(home string) string { return filepath.Join(home, ".local", "share", "securityinfo") }

package station

import "path/filepath"

func dataDirIn(home string) string {
	return filepath.Join(home, "Library", "Application Support", "securityinfo")
}

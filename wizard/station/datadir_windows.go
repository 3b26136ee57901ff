package station

import (
	"os"
	"path/filepath"
)

func dataDirIn(home string) string {
	if d := os.Getenv("LOCALAPPDATA"); d != "" {
		return filepath.Join(d, "securityinfo")
	}
	return filepath.Join(home, "AppData", "Local", "securityinfo")
}

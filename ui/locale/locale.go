// Package locale keeps Fyne quiet under the C locale. Fyne's lang package
// reads the locale when it is initialised and logs "Error parsing user
// locale C" for C.UTF-8 or POSIX.UTF-8 (the default of containers and SSH
// sessions), once per start of every command, which pollutes scripts that
// read a command's output. Imported for its side effect by main, this
// package is initialised before Fyne's (Go initialises packages in import
// path order as soon as their imports are, and this one needs only os),
// and says "English" through LANGUAGE, which the lookup reads for a locale
// other than plain C: the app's texts are English under C anyway.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if (strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.")) && os.Getenv("LANGUAGE") == "" {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}

// Package locale keeps Fyne quiet under the C locale. Fyne's lang package
// reads the locale when it is initialised and logs "Error parsing user
// locale C" for C.UTF-8 or POSIX.UTF-8 (the default of containers and SSH
// sessions), once per start of every command, which pollutes scripts that
// read a command's output. Imported for its side effect by main, this
// package is initialised before Fyne's (Go initialises packages in import
// path order as soon as their imports are, and this one needs only os),
// and says "English" through LANGUAGE, which the lookup reads for a locale
// other than plain C: the app's texts are English under C anyway.
//
// Plain C and POSIX, and no locale at all, are quiet already (the lookup
// skips them); any other value whose language part is not a language code
// ("UTF-8", "C.utf8", "POSIX.ISO-8859-1") gets the same "English".
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
		if v != "C" && v != "POSIX" && !names(v) && os.Getenv("LANGUAGE") == "" {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}

// names reports whether the locale v ("de_DE.UTF-8", "sr_RS@latin")
// starts with a language code: two or three letters, lower case.
func names(v string) bool {
	lang := v
	if i := strings.IndexAny(lang, "_-.@"); i >= 0 {
		lang = lang[:i]
	}
	if len(lang) < 2 || len(lang) > 3 {
		return false
	}
	for _, r := range lang {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

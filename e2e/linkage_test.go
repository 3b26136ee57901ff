//go:build e2e

package e2e

import (
	"debug/elf"
	"strings"
	"testing"
)

// The app does not link libfido2 (nor, through it, libcrypto): it loads
// it with dlopen when a security key is first used, so a start that never
// reaches one never maps them (wizard/securitykey/fido2/lazy_libfido2.c).
func TestBinary_LoadsLibfido2OnFirstUseOnly(t *testing.T) {
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	if len(libs) == 0 {
		t.Fatal("the app needs no shared library at all: not the binary expected")
	}
	for _, l := range libs {
		if strings.HasPrefix(l, "libfido2.") || strings.HasPrefix(l, "libcrypto.") {
			t.Errorf("the app links %s (needed: %v)", l, libs)
		}
	}
}

//go:build cgo && !nofido2

package fido2

import (
	"errors"
	"strings"
	"testing"
)

// entryPoints are the calls that reach libfido2 from outside the package
// (a Device exists only once one of them succeeded). load_soft_test.go
// adds OpenTransport in the fido2soft build.
var entryPoints = map[string]func() error{
	"Devices": func() error { _, err := Devices(); return err },
	"Find":    func() error { _, err := Find(); return err },
	"Open":    func() error { _, err := Open("/dev/hidraw0"); return err },
	"VerifyAttestation": func() error {
		return VerifyAttestation(&Credential{Format: "none", AuthData: make([]byte, 37)}, make([]byte, 32), "contoso.example", ES256)
	},
}

// withLibrary points the loader at soname for the test, with nothing
// loaded yet; the process's own loader comes back afterwards.
func withLibrary(t *testing.T, soname string) {
	t.Helper()
	saved := lib
	lib = &loader{soname: soname}
	t.Cleanup(func() { lib = saved })
}

// Without libfido2 every entry point answers ErrUnavailable, saying what
// to install and what the loader said, instead of the app failing to
// start (as it did when linked against libfido2) or crashing.
func TestLoad_MissingLibraryMakesEveryEntryPointUnavailable(t *testing.T) {
	withLibrary(t, "libfido2-missing.so.0")
	for name, call := range entryPoints {
		for try := 0; try < 2; try++ { // the second call answers the first load's result
			err := call()
			if !errors.Is(err, ErrUnavailable) {
				t.Fatalf("%s (call %d) = %v, want ErrUnavailable", name, try+1, err)
			}
			for _, want := range []string{"package libfido2-1", "libfido2-missing.so.0: cannot open shared object file"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: %q does not say %q", name, err, want)
				}
			}
		}
	}
}

// A library that opens but lacks libfido2's functions (here libm) is no
// better than none: nothing of it is called.
func TestLoad_LibraryWithoutTheFunctionsIsUnavailable(t *testing.T) {
	withLibrary(t, "libm.so.6")
	for name, call := range entryPoints {
		err := call()
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "undefined symbol: fido_") {
			t.Errorf("%s = %v, want ErrUnavailable naming the missing symbol", name, err)
		}
	}
}

// A failed load leaves the real one usable: the loader publishes the
// functions only once all of them resolved.
func TestLoad_RealLibraryAfterAFailedLoad(t *testing.T) {
	func() {
		saved := lib
		defer func() { lib = saved }()
		lib = &loader{soname: "libm.so.6"}
		if err := load(); err == nil {
			t.Fatal("libm loaded as libfido2")
		}
	}()
	withLibrary(t, "libfido2.so.1")
	if err := load(); err != nil {
		t.Fatalf("libfido2 did not load: %v", err)
	}
	if _, err := Open("/nonexistent/hidraw"); err == nil || errors.Is(err, ErrUnavailable) {
		t.Errorf("Open of a missing device = %v, want libfido2's own error", err)
	}
}

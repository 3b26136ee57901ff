//go:build cgo && !nofido2

package fido2

/*
#include <stdlib.h>

// In lazy_libfido2.c.
int fido2_lazy_load(const char *soname, char *err, size_t errlen);
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

// loader loads libfido2 once, on the first call that needs it: the app
// is not linked against it (lazy_libfido2.c says why), so a start that
// never reaches a security key never maps it.
type loader struct {
	soname string
	once   sync.Once
	err    error
}

// lib is the process's libfido2. Tests swap it for one whose soname does
// not exist.
var lib = &loader{soname: "libfido2.so.1"}

// load opens libfido2 and resolves the functions this package calls, the
// first time; later calls answer the first one's result. Every entry
// point that reaches libfido2 (Devices, Open, VerifyAttestation,
// OpenTransport) calls it first; a Device exists only after it succeeded.
// Without the library (or with one missing a function) the error wraps
// ErrUnavailable and names the package to install.
func load() error {
	l := lib
	l.once.Do(func() {
		name := C.CString(l.soname)
		defer C.free(unsafe.Pointer(name))
		var msg [512]C.char
		if C.fido2_lazy_load(name, &msg[0], C.size_t(len(msg))) != 0 {
			l.err = fmt.Errorf("%w: they need libfido2 (package libfido2-1): %s", ErrUnavailable, C.GoString(&msg[0]))
		}
	})
	return l.err
}

//go:build cgo && !nofido2 && fido2soft

package fido2

/*
#include <stdint.h>
#include <stddef.h>
*/
import "C"

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// Transport is an authenticator reached through HID reports in memory
// instead of a /dev/hidraw device: the software key of package softkey.
type Transport interface {
	// WriteReport takes one output report (a report ID byte, then the
	// 64-byte packet).
	WriteReport(report []byte) error
	// ReadReport returns the next 64-byte input report, waiting at most
	// timeout (forever if negative).
	ReadReport(timeout time.Duration) ([]byte, error)
	// Close ends the connection.
	Close() error
}

// The transports libfido2's I/O hooks reach, by handle.
var (
	softMu         sync.Mutex
	softNext       uintptr
	softTransports = map[uintptr]Transport{}
)

// OpenTransport opens a libfido2 device whose reports go to t instead of
// a USB device: everything above the HID reports (CTAPHID framing,
// CTAP2, the PIN protocol) is libfido2's own, as with a real key. It is
// only in builds with the fido2soft tag.
func OpenTransport(t Transport) (*Device, error) {
	softMu.Lock()
	softNext++
	h := softNext
	softTransports[h] = t
	softMu.Unlock()
	d, err := openSoft(fmt.Sprintf("soft:%d", h))
	if err != nil {
		softMu.Lock()
		delete(softTransports, h)
		softMu.Unlock()
	}
	return d, err
}

func softTransport(h C.uintptr_t) Transport {
	softMu.Lock()
	defer softMu.Unlock()
	return softTransports[uintptr(h)]
}

//export goSoftOpen
func goSoftOpen(path *C.char) C.uintptr_t {
	s, ok := strings.CutPrefix(C.GoString(path), "soft:")
	if !ok {
		return 0
	}
	h, err := strconv.ParseUint(s, 10, 64)
	if err != nil || softTransport(C.uintptr_t(h)) == nil {
		return 0
	}
	return C.uintptr_t(h)
}

//export goSoftClose
func goSoftClose(h C.uintptr_t) {
	softMu.Lock()
	t := softTransports[uintptr(h)]
	delete(softTransports, uintptr(h))
	softMu.Unlock()
	if t != nil {
		t.Close()
	}
}

//export goSoftRead
func goSoftRead(h C.uintptr_t, buf *C.uchar, n C.size_t, ms C.int) C.int {
	t := softTransport(h)
	if t == nil {
		return -1
	}
	timeout := time.Duration(-1)
	if ms >= 0 {
		timeout = time.Duration(ms) * time.Millisecond
	}
	p, err := t.ReadReport(timeout)
	if err != nil {
		return -1
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	return C.int(copy(dst, p))
}

//export goSoftWrite
func goSoftWrite(h C.uintptr_t, buf *C.uchar, n C.size_t) C.int {
	t := softTransport(h)
	if t == nil {
		return -1
	}
	report := C.GoBytes(unsafe.Pointer(buf), C.int(n))
	if err := t.WriteReport(report); err != nil {
		return -1
	}
	return C.int(n)
}

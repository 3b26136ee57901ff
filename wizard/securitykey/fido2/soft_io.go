//go:build cgo && !nofido2 && fido2soft

package fido2

/*
#include <fido.h>
#include <stdint.h>

// The Go side, in soft.go (declared here: _cgo_export.h is not there yet
// when this preamble is compiled).
extern uintptr_t goSoftOpen(char *);
extern void goSoftClose(uintptr_t);
extern int goSoftRead(uintptr_t, unsigned char *, size_t, int);
extern int goSoftWrite(uintptr_t, unsigned char *, size_t);

static void *soft_open(const char *path) { return (void *)goSoftOpen((char *)path); }
static void soft_close(void *h) { goSoftClose((uintptr_t)h); }
static int soft_read(void *h, unsigned char *buf, size_t len, int ms) { return goSoftRead((uintptr_t)h, buf, len, ms); }
static int soft_write(void *h, const unsigned char *buf, size_t len) { return goSoftWrite((uintptr_t)h, (unsigned char *)buf, len); }
static const fido_dev_io_t soft_io = { soft_open, soft_close, soft_read, soft_write };

static int soft_set_io(fido_dev_t *dev) { return fido_dev_set_io_functions(dev, &soft_io); }
*/
import "C"

// openSoft opens a libfido2 device at path ("soft:N") through the
// software transports' I/O hooks.
func openSoft(path string) (*Device, error) {
	if err := load(); err != nil {
		return nil, err
	}
	dev := C.fido_dev_new()
	if dev == nil {
		return nil, newError("fido_dev_new", -9)
	}
	if r := C.soft_set_io(dev); r != C.FIDO_OK {
		C.fido_dev_free(&dev)
		return nil, newError("fido_dev_set_io_functions", int(r))
	}
	return open(dev, path)
}

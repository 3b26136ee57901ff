//go:build cgo && !nofido2

package fido2

/*
// No "#cgo pkg-config: libfido2": that would link the app against
// libfido2 (lazy_libfido2.c loads it on first use instead). <fido.h> comes
// from the default include path, where Debian's libfido2-dev puts it (its
// pkg-config --cflags are empty); elsewhere set CGO_CFLAGS=-I<dir>.
#include <fido.h>
#include <stdlib.h>
#include <string.h>

static void wipe_free(char *p) {
	if (p != NULL) {
		volatile char *v = p;
		while (*v) *v++ = 0;
		free(p);
	}
}
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	"github.com/fxamacker/cbor/v2"
)

// Device is an open security key. Requests are one at a time; Cancel may
// be called from another goroutine while one is waiting for a touch.
type Device struct {
	mu   sync.Mutex // one request at a time
	cmu  sync.Mutex // guards dev against Close during Cancel
	dev  *C.fido_dev_t
	path string
}

// Devices lists the security keys plugged in.
func Devices() ([]DeviceInfo, error) {
	if err := load(); err != nil {
		return nil, err
	}
	const max = 16
	list := C.fido_dev_info_new(max)
	if list == nil {
		return nil, errors.New("fido_dev_info_new: out of memory")
	}
	defer C.fido_dev_info_free(&list, max)
	var n C.size_t
	if r := C.fido_dev_info_manifest(list, max, &n); r != C.FIDO_OK {
		return nil, newError("fido_dev_info_manifest", int(r))
	}
	out := make([]DeviceInfo, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		di := C.fido_dev_info_ptr(list, i)
		out = append(out, DeviceInfo{
			Path:         C.GoString(C.fido_dev_info_path(di)),
			Manufacturer: C.GoString(C.fido_dev_info_manufacturer_string(di)),
			Product:      C.GoString(C.fido_dev_info_product_string(di)),
		})
	}
	return out, nil
}

// Find opens the first security key that answers; ErrNoDevice if there
// is none.
func Find() (*Device, error) {
	infos, err := Devices()
	if err != nil {
		return nil, err
	}
	var last error
	for _, di := range infos {
		d, err := Open(di.Path)
		if err == nil {
			return d, nil
		}
		last = err
	}
	if last != nil {
		return nil, fmt.Errorf("%w (%d found, none answered: %w)", ErrNoDevice, len(infos), last)
	}
	return nil, ErrNoDevice
}

// Open opens the key at path.
func Open(path string) (*Device, error) {
	if err := load(); err != nil {
		return nil, err
	}
	dev := C.fido_dev_new()
	if dev == nil {
		return nil, errors.New("fido_dev_new: out of memory")
	}
	return open(dev, path)
}

// open opens dev (with its I/O functions set) at path.
func open(dev *C.fido_dev_t, path string) (*Device, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	if r := C.fido_dev_open(dev, cpath); r != C.FIDO_OK {
		C.fido_dev_free(&dev)
		return nil, newError("fido_dev_open", int(r))
	}
	d := &Device{dev: dev, path: path}
	d.SetTimeout(DefaultTimeout)
	return d, nil
}

// Path is where the key was opened.
func (d *Device) Path() string { return d.path }

// SetTimeout bounds each later request (0 or less: no bound).
func (d *Device) SetTimeout(t time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ms := C.int(-1)
	if t > 0 {
		ms = C.int(t / time.Millisecond)
	}
	if d.dev != nil {
		C.fido_dev_set_timeout(d.dev, ms)
	}
}

// Close closes the key.
func (d *Device) Close() error {
	d.cmu.Lock()
	defer d.cmu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dev == nil {
		return nil
	}
	r := C.fido_dev_close(d.dev)
	C.fido_dev_free(&d.dev)
	d.dev = nil
	if r != C.FIDO_OK {
		return newError("fido_dev_close", int(r))
	}
	return nil
}

// Cancel stops a request waiting for a touch; it answers ErrCancelled.
func (d *Device) Cancel() error {
	d.cmu.Lock()
	defer d.cmu.Unlock()
	if d.dev == nil {
		return nil
	}
	if r := C.fido_dev_cancel(d.dev); r != C.FIDO_OK {
		return newError("fido_dev_cancel", int(r))
	}
	return nil
}

var errClosed = fmt.Errorf("the key was closed: %w", ErrDeviceGone)

// Info asks the key about itself.
func (d *Device) Info() (Info, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dev == nil {
		return Info{}, errClosed
	}
	if !C.fido_dev_is_fido2(d.dev) {
		return Info{FIDO2: false, Options: map[string]bool{}}, nil
	}
	ci := C.fido_cbor_info_new()
	if ci == nil {
		return Info{}, errors.New("fido_cbor_info_new: out of memory")
	}
	defer C.fido_cbor_info_free(&ci)
	if r := C.fido_dev_get_cbor_info(d.dev, ci); r != C.FIDO_OK {
		return Info{}, newError("fido_dev_get_cbor_info", int(r))
	}
	info := Info{FIDO2: true, Options: map[string]bool{}}
	vs := unsafe.Slice(C.fido_cbor_info_versions_ptr(ci), int(C.fido_cbor_info_versions_len(ci)))
	for _, v := range vs {
		info.Versions = append(info.Versions, C.GoString(v))
	}
	info.AAGUID = C.GoBytes(unsafe.Pointer(C.fido_cbor_info_aaguid_ptr(ci)), C.int(C.fido_cbor_info_aaguid_len(ci)))
	n := int(C.fido_cbor_info_options_len(ci))
	names := unsafe.Slice(C.fido_cbor_info_options_name_ptr(ci), n)
	values := unsafe.Slice(C.fido_cbor_info_options_value_ptr(ci), n)
	for i := 0; i < n; i++ {
		info.Options[C.GoString(names[i])] = bool(values[i])
	}
	for i := C.size_t(0); i < C.fido_cbor_info_algorithm_count(ci); i++ {
		info.Algorithms = append(info.Algorithms, int(C.fido_cbor_info_algorithm_cose(ci, i)))
	}
	return info, nil
}

// Retries asks how many PIN tries are left.
func (d *Device) Retries() (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.retries()
}

func (d *Device) retries() (int, error) {
	if d.dev == nil {
		return 0, errClosed
	}
	var n C.int
	if r := C.fido_dev_get_retry_count(d.dev, &n); r != C.FIDO_OK {
		return 0, newError("fido_dev_get_retry_count", int(r))
	}
	return int(n), nil
}

// cbytes points C at b for the length of a call that copies it.
func cbytes(b []byte) (*C.uchar, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.uchar)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// cpin is the PIN in C memory (nil for none); free it with freePIN,
// which zeroes it first.
func cpin(pin string) *C.char {
	if pin == "" {
		return nil
	}
	return C.CString(pin)
}

func freePIN(p *C.char) { C.wipe_free(p) }

// fail makes the error of a request, with the PIN tries left when the
// PIN was wrong.
func (d *Device) fail(op string, r C.int) error {
	e := &Error{Op: op, Code: int(r), Retries: -1}
	if errors.Is(e, ErrPINInvalid) {
		if n, err := d.retries(); err == nil {
			e.Retries = n
		}
	}
	return e
}

// setErr records the first failing libfido2 setter.
func setErr(err *error, op string, r C.int) {
	if *err == nil && r != C.FIDO_OK {
		*err = newError(op, int(r))
	}
}

// MakeCredential asks the key for a new credential; the key blinks until
// touched.
func (d *Device) MakeCredential(req CredentialRequest) (*Credential, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dev == nil {
		return nil, errClosed
	}
	cred := C.fido_cred_new()
	if cred == nil {
		return nil, errors.New("fido_cred_new: out of memory")
	}
	defer C.fido_cred_free(&cred)
	var err error
	setErr(&err, "fido_cred_set_type", C.fido_cred_set_type(cred, C.int(req.Algorithm)))
	p, n := cbytes(req.ClientDataHash)
	setErr(&err, "fido_cred_set_clientdata_hash", C.fido_cred_set_clientdata_hash(cred, p, n))
	rpID, rpName := C.CString(req.RPID), C.CString(req.RPName)
	defer C.free(unsafe.Pointer(rpID))
	defer C.free(unsafe.Pointer(rpName))
	setErr(&err, "fido_cred_set_rp", C.fido_cred_set_rp(cred, rpID, rpName))
	name, display := C.CString(req.UserName), C.CString(req.DisplayName)
	defer C.free(unsafe.Pointer(name))
	defer C.free(unsafe.Pointer(display))
	p, n = cbytes(req.UserID)
	setErr(&err, "fido_cred_set_user", C.fido_cred_set_user(cred, p, n, name, display, nil))
	if req.ResidentKey {
		setErr(&err, "fido_cred_set_rk", C.fido_cred_set_rk(cred, C.FIDO_OPT_TRUE))
	}
	for _, id := range req.Exclude {
		p, n = cbytes(id)
		setErr(&err, "fido_cred_exclude", C.fido_cred_exclude(cred, p, n))
	}
	if err != nil {
		return nil, err
	}
	pin := cpin(req.PIN)
	r := C.fido_dev_make_cred(d.dev, cred, pin)
	freePIN(pin)
	if r != C.FIDO_OK {
		return nil, d.fail("fido_dev_make_cred", r)
	}
	return &Credential{
		Format:   C.GoString(C.fido_cred_fmt(cred)),
		AuthData: C.GoBytes(unsafe.Pointer(C.fido_cred_authdata_raw_ptr(cred)), C.int(C.fido_cred_authdata_raw_len(cred))),
		AttStmt:  C.GoBytes(unsafe.Pointer(C.fido_cred_attstmt_ptr(cred)), C.int(C.fido_cred_attstmt_len(cred))),
	}, nil
}

// GetAssertion asks the key to sign with one of req.Allow; the key blinks
// until touched.
func (d *Device) GetAssertion(req AssertionRequest) (*Assertion, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dev == nil {
		return nil, errClosed
	}
	a := C.fido_assert_new()
	if a == nil {
		return nil, errors.New("fido_assert_new: out of memory")
	}
	defer C.fido_assert_free(&a)
	var err error
	rpID := C.CString(req.RPID)
	defer C.free(unsafe.Pointer(rpID))
	setErr(&err, "fido_assert_set_rp", C.fido_assert_set_rp(a, rpID))
	p, n := cbytes(req.ClientDataHash)
	setErr(&err, "fido_assert_set_clientdata_hash", C.fido_assert_set_clientdata_hash(a, p, n))
	for _, id := range req.Allow {
		p, n = cbytes(id)
		setErr(&err, "fido_assert_allow_cred", C.fido_assert_allow_cred(a, p, n))
	}
	setErr(&err, "fido_assert_set_up", C.fido_assert_set_up(a, C.FIDO_OPT_TRUE))
	if err != nil {
		return nil, err
	}
	pin := cpin(req.PIN)
	r := C.fido_dev_get_assert(d.dev, a, pin)
	freePIN(pin)
	if r != C.FIDO_OK {
		return nil, d.fail("fido_dev_get_assert", r)
	}
	if C.fido_assert_count(a) < 1 {
		return nil, fmt.Errorf("fido_dev_get_assert: no assertion: %w", ErrDeviceGone)
	}
	var authData []byte
	wrapped := C.GoBytes(unsafe.Pointer(C.fido_assert_authdata_ptr(a, 0)), C.int(C.fido_assert_authdata_len(a, 0)))
	if err := cbor.Unmarshal(wrapped, &authData); err != nil {
		return nil, fmt.Errorf("fido_dev_get_assert: authenticator data: %w", err)
	}
	return &Assertion{
		CredentialID: C.GoBytes(unsafe.Pointer(C.fido_assert_id_ptr(a, 0)), C.int(C.fido_assert_id_len(a, 0))),
		AuthData:     authData,
		Signature:    C.GoBytes(unsafe.Pointer(C.fido_assert_sig_ptr(a, 0)), C.int(C.fido_assert_sig_len(a, 0))),
	}, nil
}

// VerifyAttestation asks libfido2 to check an attestation statement:
// fido_cred_verify when it carries a certificate (x5c), else
// fido_cred_verify_self. It is a second opinion beside the caller's own
// check; it does not check a certificate's chain.
func VerifyAttestation(c *Credential, clientDataHash []byte, rpID string, alg int) error {
	if err := load(); err != nil {
		return err
	}
	cred := C.fido_cred_new()
	if cred == nil {
		return errors.New("fido_cred_new: out of memory")
	}
	defer C.fido_cred_free(&cred)
	var err error
	setErr(&err, "fido_cred_set_type", C.fido_cred_set_type(cred, C.int(alg)))
	p, n := cbytes(clientDataHash)
	setErr(&err, "fido_cred_set_clientdata_hash", C.fido_cred_set_clientdata_hash(cred, p, n))
	crp := C.CString(rpID)
	defer C.free(unsafe.Pointer(crp))
	setErr(&err, "fido_cred_set_rp", C.fido_cred_set_rp(cred, crp, nil))
	p, n = cbytes(c.AuthData)
	setErr(&err, "fido_cred_set_authdata_raw", C.fido_cred_set_authdata_raw(cred, p, n))
	cfmt := C.CString(c.Format)
	defer C.free(unsafe.Pointer(cfmt))
	setErr(&err, "fido_cred_set_fmt", C.fido_cred_set_fmt(cred, cfmt))
	p, n = cbytes(c.AttStmt)
	setErr(&err, "fido_cred_set_attstmt", C.fido_cred_set_attstmt(cred, p, n))
	if err != nil {
		return err
	}
	if C.fido_cred_x5c_len(cred) > 0 {
		if r := C.fido_cred_verify(cred); r != C.FIDO_OK {
			return newError("fido_cred_verify", int(r))
		}
		return nil
	}
	if r := C.fido_cred_verify_self(cred); r != C.FIDO_OK {
		return newError("fido_cred_verify_self", int(r))
	}
	return nil
}

//go:build cgo && !nofido2 && fido2soft

package fido2

// In the fido2soft build OpenTransport reaches libfido2 too.
func init() {
	entryPoints["OpenTransport"] = func() error { _, err := OpenTransport(nil); return err }
}

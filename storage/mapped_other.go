//go:build !(linux || darwin || freebsd)

package storage

import "unsafe"

// release does nothing where madvise is not available: a long read then
// keeps the pages it read resident until the store is closed.
func release(lo unsafe.Pointer, hi uintptr) {}

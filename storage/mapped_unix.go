//go:build linux || darwin || freebsd

package storage

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pageSize is the memory page size madvise works in.
var pageSize = uintptr(os.Getpagesize())

// release tells the kernel that this process no longer needs the pages of
// the data file's memory map from lo up to hi (addresses of bytes inside
// the map). They stay in the page cache, shared and clean, and a later
// read maps them again; what goes is their count in this process's
// resident memory.
func release(lo unsafe.Pointer, hi uintptr) {
	start := uintptr(lo) &^ (pageSize - 1)
	end := hi &^ (pageSize - 1) // the page holding hi may still be read
	if end <= start {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(lo, -int(uintptr(lo)-start))), end-start)
	_ = unix.Madvise(b, unix.MADV_DONTNEED) // advice: nothing to do if refused
}

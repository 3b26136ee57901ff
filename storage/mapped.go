package storage

import "unsafe"

// The data file is read through bbolt's read-only memory map, so the
// pages a read touches count in the process's resident memory until the
// file is closed: a walk through a million audit entries would hold the
// whole log (hundreds of MB). A walk notes the values it reads with a
// pageDropper, which every dropEvery values gives back the pages read
// since the last time (release), so the walk holds a few MB at most.

// dropEvery is how many values a walk reads between two releases; tests
// make it small.
var dropEvery = 4096

// pageDropper tracks the span of the memory map a walk has read since it
// last released it. Values read through bbolt inside one transaction
// point into the map; values from elsewhere must not be noted.
type pageDropper struct {
	lo     unsafe.Pointer // the lowest value start seen, or nil
	lowest uintptr        // lo as a number
	hi     uintptr        // the highest value end seen
	n      int
}

// saw notes v, read through the memory map, and releases the span read
// so far every dropEvery values.
func (d *pageDropper) saw(v []byte) {
	if len(v) == 0 {
		return
	}
	p := unsafe.Pointer(unsafe.SliceData(v))
	if a := uintptr(p); d.lo == nil || a < d.lowest {
		d.lo, d.lowest = p, a
	}
	if end := uintptr(p) + uintptr(len(v)); end > d.hi {
		d.hi = end
	}
	if d.n++; d.n%dropEvery == 0 {
		release(d.lo, d.hi)
		d.lo, d.lowest, d.hi = nil, 0, 0
	}
}

package main

import (
	"runtime/debug"
	"testing"
)

// The collector's pace is slower until the first frame, then back to what
// it was; a pace already slower (or GOGC=off) is kept throughout.
func TestStartupGC(t *testing.T) {
	was := debug.SetGCPercent(100)
	defer debug.SetGCPercent(was)

	restore := startupGC()
	if got := debug.SetGCPercent(-1); got != startupGCPercent {
		t.Errorf("pace during start-up = %d, want %d", got, startupGCPercent)
	}
	debug.SetGCPercent(startupGCPercent)
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("pace after the first frame = %d, want 100", got)
	}

	for _, slower := range []int{-1, 400} {
		debug.SetGCPercent(slower)
		restore := startupGC()
		if got := debug.SetGCPercent(slower); got != slower {
			t.Errorf("GOGC %d: pace during start-up = %d, want it kept", slower, got)
		}
		restore()
		if got := debug.SetGCPercent(100); got != slower {
			t.Errorf("GOGC %d: pace after the first frame = %d, want it kept", slower, got)
		}
	}
}

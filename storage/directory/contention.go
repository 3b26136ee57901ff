package directory

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

// afterLostRace waits before the next attempt of a compare-and-swap that
// lost its round (a count changed between the read and the write): a
// random moment in a window that doubles with each attempt (2 ms, 4 ms,
// … up to 128 ms). Stations racing for one count otherwise read and
// write again in step, one wins each round, and the last of ten or
// twenty run out of attempts; spread out, they take turns. Only a lost
// race waits, so no answer costs more for being right or wrong. The
// module draws every random number from crypto/rand (randsource's rule).
func afterLostRace(attempt int) {
	window := time.Millisecond << min(attempt, 7)
	var b [8]byte
	_, _ = rand.Read(b[:])
	time.Sleep(time.Duration(binary.LittleEndian.Uint64(b[:]) % uint64(window)))
}

package directory

import (
	"math/rand/v2"
	"time"
)

// afterLostRace waits before the next attempt of a compare-and-swap that
// lost its round (a count changed between the read and the write): a
// random moment in a window that doubles with each attempt (2 ms, 4 ms,
// … up to 128 ms). Stations racing for one count otherwise read and
// write again in step, one wins each round, and the last of ten or
// twenty run out of attempts; spread out, they take turns. Only a lost
// race waits, so no answer costs more for being right or wrong.
func afterLostRace(attempt int) {
	window := time.Millisecond << min(attempt, 7)
	time.Sleep(rand.N(window))
}

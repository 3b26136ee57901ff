package ui

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Quitting while the second's tick, timers and background work are
// posting to the UI thread never lets one post after the app quit: Fyne
// closes its event queue once it has quit, and a post after that panics
// ("send on closed channel"). Quit again and again in the middle of ticks.
func TestQuit_NothingIsPostedAfterQuitting(t *testing.T) {
	for i := range 20 {
		h := newHarness(t, kioskPolicy, nil)
		var quit atomic.Bool
		var late atomic.Int32
		var queue sync.WaitGroup
		// The event queue as Fyne's: posts after quitting are refused
		// (Fyne panics), and posted work runs on its own goroutine.
		h.u.run.do = func(f func()) {
			if quit.Load() {
				late.Add(1)
				return
			}
			queue.Add(1)
			go func() { defer queue.Done() }()
		}
		h.u.run.spawn = func(f func()) { go f() }
		h.u.run.inline = false
		h.u.run.after = func(d time.Duration, f func()) { time.AfterFunc(d, f) }
		h.u.opts.Quit = func() { quit.Store(true) }
		h.u.wrapQuit()
		h.u.tickEvery(50 * time.Microsecond)
		for range 5 {
			background(h.u, func() int { return 1 }, func(int) {})
			h.u.after(time.Duration(i%3)*time.Microsecond, func() {})
		}
		time.Sleep(time.Duration(i%7) * 100 * time.Microsecond)
		h.u.opts.Quit()
		h.u.Wait()
		time.Sleep(2 * time.Millisecond) // any straggler would post by now
		if n := late.Load(); n > 0 {
			t.Fatalf("run %d: %d posts to the UI thread after quitting", i, n)
		}
		queue.Wait()
	}
}

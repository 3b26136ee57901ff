package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// runner is how the UI keeps slow work off its thread: spawn starts work
// elsewhere, do hands a result back to the UI thread (always through
// UI.post, which stops posting once the app quits), and after runs
// something later (on any goroutine; UI.after posts it). The app uses goroutines, fyne.Do and
// timers (appRunner); tests run everything inline on the test's goroutine
// and keep the timers to fire themselves, so that they are deterministic
// and run under -race without a window thread.
type runner struct {
	spawn func(func())
	do    func(func())
	after func(time.Duration, func())
	// inline says do runs its function at once on the caller's goroutine
	// (the tests' runner), so UI.post calls it outside its lock: the
	// function may quit the app.
	inline bool
}

// appRunner is the runner of the real app.
func appRunner() runner {
	return runner{
		spawn: func(f func()) { go f() },
		do:    fyne.Do,
		after: func(d time.Duration, f func()) { time.AfterFunc(d, f) },
	}
}

// pending counts background work not yet handed back, so Wait can wait.
type pending = sync.WaitGroup

// background runs work off the UI thread and then hands its result to
// then on the UI thread, unless the session was wiped meanwhile: then the
// result belongs to someone who has gone, and is dropped. Every call that
// may touch storage, the keyring or a provider goes through here; work
// must not touch widgets, then may.
func background[T any](u *UI, work func() T, then func(T)) {
	u.pending.Add(1)
	session := u.session
	u.run.spawn(func() {
		defer u.pending.Done()
		r := work()
		u.post(func() {
			if u.session == session {
				then(r)
			}
		})
	})
}

// transition runs a flow call that changes the page (and may read
// storage) in the background, then shows the page the flow is on and
// hands finish the call's error, if the keyring page did not take it.
// While one runs, another is not started: a second tap does nothing.
func (u *UI) transition(op func() error, finish func(error)) {
	if u.moving {
		return
	}
	u.moving = true
	background(u, op, func(err error) {
		u.moving = false
		err = u.handle(err)
		if finish != nil {
			finish(err)
		}
	})
}

// after runs f on the UI thread after d, unless the app quits first.
func (u *UI) after(d time.Duration, f func()) { u.run.after(d, func() { u.post(f) }) }

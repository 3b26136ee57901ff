package directory

import "time"

// SetReplaceCrash makes ReplaceMethods call f between its steps, until
// restore is called.
func SetReplaceCrash(f func(step string)) (restore func()) {
	old := replaceCrash
	replaceCrash = f
	return func() { replaceCrash = old }
}

// SetTestHook makes the directory call f at named steps of changes made in
// several writes ("retire: settled", "add: added", "add: linked",
// "add: registered", "repair: read"), until restore is called; f's error
// at an "add: " step is that write's.
func SetTestHook(f func(step string) error) (restore func()) {
	old := testHook
	testHook = f
	return func() { testHook = old }
}

// StartTLSOnLoopback makes the directory use StartTLS on loopback URLs
// too, until restore is called.
func StartTLSOnLoopback() (restore func()) {
	startTLSOnLoopback = true
	return func() { startTLSOnLoopback = false }
}

// SetStaleMark sets how long ago a token must have been marked for
// removal, or as being registered, before Methods finishes the removal or
// takes the registration back, until restore is called.
func SetStaleMark(age time.Duration) (restore func()) {
	old := staleMark
	staleMark = age
	return func() { staleMark = old }
}

// ExpireShare has d count its people with an app again, at once, at the
// next UnknownCodeAtBind, as at a station's first sign-in.
func ExpireShare(d *Directory) {
	d.answers.mu.Lock()
	defer d.answers.mu.Unlock()
	d.answers.next = time.Time{}
}

// AgeShare makes d's count of its people with an app older than shareFor:
// the next UnknownCodeAtBind counts again in the background.
func AgeShare(d *Directory) {
	d.answers.mu.Lock()
	defer d.answers.mu.Unlock()
	d.answers.next = time.Now().Add(-time.Second)
}

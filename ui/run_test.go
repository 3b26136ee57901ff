package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// The after-first-frame work hooks the app's started event without
// dropping a hook already there (make bench's probe sets one), and runs
// after it.
func TestAfterFirstFrame_KeepsTheStartedHook(t *testing.T) {
	a := test.NewTempApp(t)
	var order []string
	a.Lifecycle().SetOnStarted(func() { order = append(order, "probe") })
	done := make(chan struct{})
	afterFirstFrame(a, func() { order = append(order, "deferred"); close(done) })
	started, ok := a.Lifecycle().(interface{ OnStarted() func() })
	if !ok {
		t.Fatal("the test app's Lifecycle does not say its started hook")
	}
	started.OnStarted()()
	<-done
	if len(order) != 2 || order[0] != "probe" || order[1] != "deferred" {
		t.Fatalf("ran %q, want the probe's hook, then the deferred work", order)
	}
}

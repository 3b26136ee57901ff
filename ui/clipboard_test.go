package ui

import "testing"

// Quitting (Done on a desktop, an authorised kiosk close) before the 30 s
// timer takes the copied secret off the clipboard, as does closing the
// window; what the person copied since is left alone.
func TestClipboard_ClearedOnEveryExit(t *testing.T) {
	for _, exit := range []string{"quit", "close"} {
		h := newHarness(t, testPolicy, nil)
		h.u.copySecret("abcd efgh ijkl mnop")
		if exit == "quit" {
			h.u.opts.Quit()
		} else {
			h.u.closed() // what closing the window calls (the test window has no getter)
		}
		if got := h.u.app.Clipboard().Content(); got != "" {
			t.Errorf("after %s the clipboard still holds %q", exit, got)
		}

		h = newHarness(t, testPolicy, nil)
		h.u.copySecret("abcd efgh ijkl mnop")
		h.u.app.Clipboard().SetContent("the person's own text")
		if exit == "quit" {
			h.u.opts.Quit()
		} else {
			h.u.closed() // what closing the window calls (the test window has no getter)
		}
		if got := h.u.app.Clipboard().Content(); got != "the person's own text" {
			t.Errorf("after %s the person's own copy became %q", exit, got)
		}
	}
}

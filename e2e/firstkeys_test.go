//go:build e2e

package e2e

import (
	"testing"
)

// What a person types as soon as the window appears reaches the sign-in
// fields: no first letters lost. Six starts, typing at once each time.
func TestRealWindow_FirstKeystrokesAreKept(t *testing.T) {
	t.Parallel()
	for i := range 6 {
		s := newSession(t)
		s.start()
		// No wait for the page to paint: type the moment the window is there.
		s.typeText("demo@contoso.example")
		s.key("Return")
		s.typeText("contoso-demo-2026")
		s.key("Return")
		s.eventually("signed in with what was typed at once", func() bool {
			return s.title() == "Security Info — More information required"
		})
		s.stop()
		_ = i
	}
}

package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// The window opens at its usual size where it fits, and no larger than
// the screen (less a title bar and a panel) where it doesn't, at any
// scale.
func TestWindowSize_NeverLargerThanTheScreen(t *testing.T) {
	want := fyne.NewSize(800, 760)
	for _, tc := range []struct {
		w, h  int
		scale float32
		fit   fyne.Size
	}{
		{1920, 1080, 1, want},
		{1920, 1080, 2, fyne.NewSize(800, 508)},
		{1280, 900, 1.5, fyne.NewSize(800, 557)},
		{640, 480, 1, fyne.NewSize(640, 440)},
		{640, 480, 2, fyne.NewSize(320, 220)},
		{0, 0, 1, want}, // screen unknown
	} {
		got := windowSize(want, tc.w, tc.h, tc.scale)
		if got != tc.fit {
			t.Errorf("%d×%d at %.1f: %v, want %v", tc.w, tc.h, tc.scale, got, tc.fit)
		}
		if tc.w > 0 && (got.Width*tc.scale > float32(tc.w) || got.Height*tc.scale > float32(tc.h)) {
			t.Errorf("%d×%d at %.1f: %v is larger than the screen", tc.w, tc.h, tc.scale, got)
		}
	}
}

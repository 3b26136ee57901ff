package ui

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/wizard"
)

// AppID is the app's unique ID, as in FyneApp.toml.
const AppID = "app.securityinfo.wizard"

// ErrNoDisplay means there is no screen to open the window on.
var ErrNoDisplay = errors.New("no display")

// CheckDisplay fails fast, with a sentence instead of a graphics driver
// panic, when there is no display to draw on.
func CheckDisplay() error {
	if runtime.GOOS != "linux" && !strings.HasSuffix(runtime.GOOS, "bsd") {
		return nil
	}
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		return nil
	}
	d := os.Getenv("DISPLAY")
	if d == "" {
		return fmt.Errorf("%w: DISPLAY is not set; run Security Info in a desktop session (or under Xvfb)", ErrNoDisplay)
	}
	// Open it as the graphics driver will, authorisation included
	// (display.go), and say so plainly if nothing listens or it refuses.
	if x, ok := parseDisplay(d); ok {
		return checkX11(x)
	}
	return nil
}

// logStderr writes a log line on standard error.
func logStderr(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "securityinfo: "+format+"\n", args...)
}

// Run opens the window on flow and blocks until the app quits.
func Run(flow *wizard.Flow, opts Options) {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow("Security Info")
	w.Resize(fyne.NewSize(800, 760))
	if flow.Policy().Mode == wizard.ModeKiosk {
		w.SetFullScreen(true)
	}
	u := New(a, w, flow, opts)
	u.startTicker()
	// The keyring is only needed once a method is registered, but a person
	// should learn at once that it is missing, not after a QR scan.
	background(u, flow.CheckKeyring, func(err error) {
		if err != nil {
			u.logf("%v", err)
			u.flow.KeyringProblem(err)
			u.show()
		}
	})
	showNamed(w)
	a.Run()
}

// showNamed shows the window created under the app's name: X11 takes a
// window's WM_CLASS from its title at creation, and the desktop entry's
// StartupWMClass is "Security Info", so that docks match the window to
// it. The page's title follows at once.
func showNamed(w fyne.Window) {
	page := w.Title()
	w.SetTitle("Security Info")
	w.Show()
	w.SetTitle(page)
}

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
// panic, when there is no display to draw on. The X connection it makes
// stays open until Run has opened the window (releaseDisplay says why).
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
//
// Only what the first frame needs happens before it: the sign-in page is
// built and shown. The rest waits until the window is on screen
// (afterFirstFrame): the other pages, the window icon (decoding it takes
// a few milliseconds on the UI thread), the keyring check (a D-Bus round trip
// that would compete for the CPU), and started, if not nil, which runs in
// the background (main creates the demo account there: one argon2id
// hash on the very first start).
func Run(flow *wizard.Flow, opts Options, started func()) {
	UseLanguage(flow.Policy().Language)
	a := newApp()
	a.Settings().SetTheme(newAppTheme(flow.Policy()))
	icon := fyne.NewStaticResource("icon.png", assets.Icon)
	w := a.NewWindow("Security Info") // the graphics driver connects to the display here
	releaseDisplay()
	// Never larger than the screen: at FYNE_SCALE=1.5, 800×760 units are
	// 1200×1140 pixels, and a window taller than the screen hides its
	// Back and Next.
	sw, sh, screenKnown := screenSize()
	w.Resize(windowSize(fyne.NewSize(800, 760), sw, sh, userScale(a)))
	if flow.Policy().Mode == wizard.ModeKiosk {
		w.SetFullScreen(true)
	}
	u := New(a, w, flow, opts)
	u.startTicker()
	// The account field takes the keyboard right after the first frame:
	// its text cursor is the only square-cornered rectangle on the page,
	// and its shader program is compiled on first use (tens of
	// milliseconds with a software renderer on a cold start). Letters
	// typed before then still reach the field (onTypedRune).
	w.Canvas().Unfocus()
	afterFirstFrame(a, func() {
		if w.Canvas().Focused() == nil {
			if f := u.current().focus(); f != nil {
				w.Canvas().Focus(f)
			}
		}
		// Ready before the person's first tap: the first transition
		// should not pay for building them.
		u.buildPages()
		if started != nil {
			go started()
		}
		// The keyring is only needed once a method is registered, but a
		// person should learn at once that it is missing, not after a QR
		// scan.
		background(u, flow.CheckKeyring, func(err error) {
			if err != nil {
				u.logf("%v", err)
				u.flow.KeyringProblem(err)
				u.show()
			}
		})
		a.SetIcon(icon)
		w.SetIcon(icon)
		if screenKnown {
			// The monitor's DPI may have added to FYNE_SCALE.
			fitToScreen(w, sw, sh)
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

// afterFirstFrame runs f on the UI thread once the first frame is on
// screen. It hooks the app's Lifecycle OnStarted, which the desktop
// driver calls right after the first window's first paint and buffer
// swap, keeping any hook already set (make bench's in-process probe sets
// one too, and chains the same way). f is queued from there rather than
// called, so that every started hook, chained before or after this one,
// has run before it.
func afterFirstFrame(a fyne.App, f func()) {
	lc := a.Lifecycle()
	var prev func()
	if g, ok := lc.(interface{ OnStarted() func() }); ok {
		prev = g.OnStarted()
	}
	lc.SetOnStarted(func() {
		if prev != nil {
			prev()
		}
		go fyne.Do(f)
	})
}

// newApp is app.NewWithID(AppID) with preferences kept in memory only
// (#16 item 13). Fyne persists preferences.json, and watches it, for an
// app that has an ID when it is made; at quit it empties and rewrites the
// file before it marks the write as its own, so its watcher now and then
// read the empty file: "Preferences load error: EOF" on about 1 quit in
// 5. The app stores no preferences, so it is made without an ID, which
// it is given right after (the file dialog and storage read it).
func newApp() fyne.App {
	app.SetMetadata(fyne.AppMetadata{Name: "Security Info"}) // a Name keeps Fyne from reading FyneApp.toml's ID
	a := app.NewWithID("")
	// Set after the app is made, the metadata carries no icon (even in a
	// packaged build): the window's icon comes after the first frame.
	app.SetMetadata(fyne.AppMetadata{ID: AppID, Name: "Security Info"})
	return a
}

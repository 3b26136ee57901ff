package ui

// Benchmarks of building each page and of each wizard transition, on the
// Fyne test driver (no GPU: layout and widget work, not GL painting). Run
// them with bench/run.sh, or:
//
//	go test -run '^$' -bench . -benchmem ./ui/
//
// They drive the app as a person would where they measure (taps on the
// buttons and links found on the window by their text) and reach the
// starting state of each iteration through package wizard with the timer
// stopped. They depend on the UI only through newUI, Options and show.
//
// Background work runs inline (benchRunner): the flow's step of a
// transition, the choices read for the chooser, a QR code drawn ahead.
// Its time is reported apart (bg-ns/op), and ns/op is the UI thread's
// share, what the goal is about: the app runs that work on another
// goroutine, and the window keeps drawing meanwhile. Where a name says
// "+bg", ns/op includes it: there it is the slow part (the sign-in check,
// the code check and save).

import (
	"bytes"
	"image"
	"image/draw"
	_ "image/png"
	mrand "math/rand"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
)

var benchT0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

const (
	benchAccount  = "bench@contoso.example"
	benchPassword = "bench-password-1"
)

// benchOneMethodPolicy requires only the authenticator app, so that its
// registration leads to Success.
const benchOneMethodPolicy = `organisation = "Contoso"
demo = true
required = ["authenticator-app"]
allowed = ["authenticator-app", "email"]
`

// benchApp is the app on a headless test window: the embedded default
// policy (or another), a real local store with an in-memory keyring, and
// the authenticator app setup, as main wires them.
type benchApp struct {
	tb   testing.TB
	u    *UI
	w    fyne.Window
	flow *wizard.Flow
	dir  info.Store
	acct info.Account
	// clock has the time background work took
	clock *benchClock
}

func newBenchApp(tb testing.TB, policy string) *benchApp {
	tb.Helper()
	name, text := assets.DefaultPolicyName, assets.DefaultPolicy
	if policy != "" {
		name, text = "bench.toml", []byte(policy)
	}
	pol, err := wizard.ParsePolicy(name, text)
	if err != nil {
		tb.Fatal(err)
	}
	path, err := os.MkdirTemp("", "securityinfo-bench-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(path) })
	dir, err := storage.OpenLocal(path, storage.NewMemoryKeyring())
	if err != nil {
		tb.Fatal(err)
	}
	if err := dir.CreateAccount(info.Account{Name: benchAccount, PasswordHash: testkit.CheapHash(tb, benchPassword), Created: benchT0}); err != nil {
		tb.Fatal(err)
	}
	ba := &benchApp{tb: tb, dir: dir, clock: &benchClock{}}
	if ba.acct, err = dir.Account(benchAccount); err != nil {
		tb.Fatal(err)
	}
	a := test.NewTempApp(tb)
	ba.w = test.NewTempWindow(tb, nil)
	ba.w.Resize(fyne.NewSize(800, 760)) // the app's window size
	ba.flow = wizard.New(wizard.Config{
		Policy: pol, Dir: dir, Now: func() time.Time { return benchT0 }, Rand: mrand.New(mrand.NewSource(2)),
		// Email: the chooser offers only methods with a set-up (#16), and
		// an email set-up needs a sender.
		Setups: map[info.Kind]wizard.SetupFactory{info.KindAuthenticatorApp: authapp.NewSetup, info.KindEmail: email.Factory(email.Config{})},
		Send:   &testkit.Phone{},
	})
	ba.u = newUI(a, ba.w, ba.flow, Options{DemoAccount: wizard.DemoAccount, DemoPassword: wizard.DemoPassword, Quit: func() {}}, benchRunner(ba.clock))
	return ba
}

// benchRunner runs the work the UI hands to the background at once, on
// the benchmark's goroutine, and its result too, as the unit tests do:
// the test driver's fyne.Do would otherwise run results on the background
// goroutine, beside the benchmark's own UI work. The time spent in the
// background work goes to c. Timers never fire.
func benchRunner(c *benchClock) runner {
	return runner{
		spawn: func(f func()) { was := c.enter(true); f(); c.enter(was) },
		do:    func(f func()) { was := c.enter(false); f(); c.enter(was) },
		after: func(time.Duration, func()) {},
	}
}

// benchClock adds up the time spent in background work run inline: in
// what spawn runs, less the results it hands back to the UI thread
// through do (which may start more background work).
type benchClock struct {
	inBG  bool
	since time.Time
	bg    time.Duration
}

// enter starts the background's time (bg) or the UI thread's, and
// returns which was running.
func (c *benchClock) enter(bg bool) (was bool) {
	now := time.Now()
	if c.inBG {
		c.bg += now.Sub(c.since)
	}
	was, c.inBG, c.since = c.inBG, bg, now
	return was
}

func (ba *benchApp) must(err error) {
	ba.tb.Helper()
	if err != nil {
		ba.tb.Fatal(err)
	}
}

// The states each iteration starts from, reached through package wizard
// and then shown.

func (ba *benchApp) toSignIn() {
	ba.u.Wait()
	ba.flow.Cancel()
	ba.u.show()
}

func (ba *benchApp) toMoreInfo() {
	ba.toSignIn()
	ba.must(ba.flow.Begin(ba.acct))
	ba.u.show()
}

func (ba *benchApp) toMethod() {
	ba.toMoreInfo()
	ba.must(ba.flow.Next())
	ba.u.show()
}

// toScreen walks the authenticator app setup to screen.
func (ba *benchApp) toScreen(screen string) *authapp.Setup {
	ba.toMethod()
	a := ba.flow.Setup().(*authapp.Setup)
	for a.Screen() != screen {
		ba.must(a.Next())
	}
	ba.u.show()
	ba.u.Wait() // what the screen starts in the background, done while the person reads it
	return a
}

// toDone registers the authenticator app (removing one registered
// earlier), leaving the wizard on its done screen.
func (ba *benchApp) toDone() {
	ba.u.Wait()
	ba.flow.Cancel()
	if _, err := ba.dir.RemoveAllMethods(benchAccount); err != nil {
		ba.tb.Fatal(err)
	}
	a := ba.toScreen(authapp.ScreenTry)
	ba.must(a.Submit(benchCode(ba.tb, a)))
	ba.u.show()
}

func (ba *benchApp) toChooser() {
	ba.toMethod()
	ba.must(ba.flow.OpenChooser())
	ba.u.show()
	ba.u.Wait() // the choices are read in the background
}

// benchCode is the code the person's phone shows for the pending key.
func benchCode(tb testing.TB, a *authapp.Setup) string {
	_, _, secret, err := authapp.ParseURI(a.URI())
	if err != nil {
		tb.Fatal(err)
	}
	return authapp.Code(secret, benchT0)
}

// Finding what a person would tap (objects is in helpers_test.go).

func (ba *benchApp) button(text string) *widget.Button {
	ba.tb.Helper()
	for _, o := range objects(ba.w.Canvas()) {
		if b, ok := asButton(o); ok && b.Text == text && !b.Disabled() {
			return b
		}
	}
	ba.tb.Fatalf("no enabled button %q on %q", text, ba.w.Title())
	return nil
}

func (ba *benchApp) link(text string) *widget.Hyperlink {
	ba.tb.Helper()
	for _, o := range objects(ba.w.Canvas()) {
		if l, ok := asLink(o); ok && l.Text == text {
			return l
		}
	}
	ba.tb.Fatalf("no link %q on %q", text, ba.w.Title())
	return nil
}

func (ba *benchApp) entry(placeholder string) *widget.Entry {
	ba.tb.Helper()
	for _, o := range objects(ba.w.Canvas()) {
		if e, ok := asEntry(o); ok && e.PlaceHolder == placeholder {
			return e
		}
	}
	ba.tb.Fatalf("no entry %q on %q", placeholder, ba.w.Title())
	return nil
}

func benchTapLink(l *widget.Hyperlink) { test.TapAt(l, fyne.NewPos(12, 12)) }

func (ba *benchApp) wantTitle(want string) {
	ba.tb.Helper()
	if got := ba.w.Title(); got != "Security Info — "+want {
		ba.tb.Fatalf("window title %q, want %q", got, "Security Info — "+want)
	}
}

// BenchmarkNew builds and shows the sign-in page, what the app does
// before its first frame.
func BenchmarkNew(b *testing.B) {
	ba := newBenchApp(b, "")
	a := test.NewTempApp(b)
	for b.Loop() {
		w := test.NewWindow(nil)
		w.Resize(fyne.NewSize(800, 760))
		newUI(a, w, ba.flow, Options{DemoAccount: wizard.DemoAccount, DemoPassword: wizard.DemoPassword, Quit: func() {}}, benchRunner(ba.clock))
		w.Close()
	}
}

// BenchmarkBuildPages builds every other page, what the app does on the
// UI thread right after its first frame.
func BenchmarkBuildPages(b *testing.B) {
	ba := newBenchApp(b, "")
	a := test.NewTempApp(b)
	for b.Loop() {
		b.StopTimer()
		w := test.NewWindow(nil)
		w.Resize(fyne.NewSize(800, 760))
		u := newUI(a, w, ba.flow, Options{DemoAccount: wizard.DemoAccount, DemoPassword: wizard.DemoPassword, Quit: func() {}}, benchRunner(ba.clock))
		b.StartTimer()
		u.buildPages()
		b.StopTimer()
		w.Close()
		b.StartTimer()
	}
}

// BenchmarkPage shows each page (its content refreshed for the flow's
// state, set on the window and laid out), which is what every transition
// to it does on the UI thread.
func BenchmarkPage(b *testing.B) {
	const app = "Keep your account secure — Authenticator app"
	pages := []struct {
		name, title string
		policy      string
		to          func(ba *benchApp)
	}{
		{"signin", "Sign in", "", func(ba *benchApp) { ba.toSignIn() }},
		{"moreinfo", "More information required", "", func(ba *benchApp) { ba.toMoreInfo() }},
		{"app-getapp", app, "", func(ba *benchApp) { ba.toScreen(authapp.ScreenGetApp) }},
		{"app-setup", app, "", func(ba *benchApp) { ba.toScreen(authapp.ScreenSetUpAccount) }},
		{"app-scan-qr", app, "", func(ba *benchApp) { ba.toScreen(authapp.ScreenScan) }},
		{"app-scan-key", app, "", func(ba *benchApp) {
			ba.toScreen(authapp.ScreenScan)
			benchTapLink(ba.link("Can't scan image?"))
		}},
		{"app-try", app, "", func(ba *benchApp) { ba.toScreen(authapp.ScreenTry) }},
		{"app-done", app, "", func(ba *benchApp) { ba.toDone() }},
		{"unavailable", "Keep your account secure — Phone", "", func(ba *benchApp) {
			ba.toDone()
			test.Tap(ba.button("Next"))
		}},
		{"chooser", "Choose a different method", "", func(ba *benchApp) { ba.toChooser() }},
		{"success", "Success", benchOneMethodPolicy, func(ba *benchApp) {
			ba.toDone()
			ba.must(ba.flow.Next())
		}},
		{"uptodate", "You're all set", benchOneMethodPolicy, func(ba *benchApp) {
			ba.toDone()
			ba.toMoreInfo()
		}},
		{"keyring", "Keyring not available", "", func(ba *benchApp) {
			ba.toSignIn()
			ba.flow.KeyringProblem(info.ErrKeyringLocked)
		}},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			ba := newBenchApp(b, p.policy)
			p.to(ba)
			ba.u.Wait()
			ba.u.show()
			ba.wantTitle(p.title)
			n, bg0, t0 := 0, ba.clock.bg, time.Now()
			for b.Loop() {
				ba.u.show()
				ba.u.Wait() // what the page reads in the background (Success lists the methods)
				n++
			}
			took, bg := time.Since(t0), ba.clock.bg-bg0
			b.ReportMetric(float64((took-bg).Nanoseconds())/float64(n), "ns/op")
			b.ReportMetric(float64(bg.Nanoseconds())/float64(n), "bg-ns/op")
		})
	}
}

// benchTransition measures op, which taps what a person would, from the
// state reset reaches to the page titled want (waiting for any background
// work op starts).
func benchTransition(b *testing.B, policy, want string, reset func(*benchApp) func()) {
	ba := newBenchApp(b, policy)
	op := reset(ba) // once first, to check where it leads
	op()
	ba.u.Wait()
	ba.wantTitle(want)
	benchStep(b, ba.clock, func() func() {
		op := reset(ba)
		return func() { op(); ba.u.Wait() }
	})
}

// benchStep measures op alone, from the state reset reaches each time.
// The framework's timer runs throughout, so that b.N stays sensible when
// the reset costs far more than op; ns/op, B/op and allocs/op are then
// replaced with op's own. ns/op leaves out the background work op runs
// (bg-ns/op), unless the benchmark's name says "+bg".
func benchStep(b *testing.B, clock *benchClock, reset func() func()) {
	var m0, m1 runtime.MemStats
	var took, bg time.Duration
	var bytes, allocs uint64
	for i := 0; i < b.N; i++ {
		op := reset()
		runtime.ReadMemStats(&m0)
		t, bg0 := time.Now(), clock.bg
		op()
		took += time.Since(t)
		bg += clock.bg - bg0
		runtime.ReadMemStats(&m1)
		bytes += m1.TotalAlloc - m0.TotalAlloc
		allocs += m1.Mallocs - m0.Mallocs
	}
	if !strings.Contains(b.Name(), "+bg") {
		took -= bg
	}
	b.ReportMetric(float64(took.Nanoseconds())/float64(b.N), "ns/op")
	b.ReportMetric(float64(bg.Nanoseconds())/float64(b.N), "bg-ns/op")
	b.ReportMetric(float64(bytes)/float64(b.N), "B/op")
	b.ReportMetric(float64(allocs)/float64(b.N), "allocs/op")
}

// BenchmarkTransition measures each step through the wizard: what the tap
// does on the UI thread (the flow's step and the next page shown).
func BenchmarkTransition(b *testing.B) {
	const app = "Keep your account secure — Authenticator app"
	ts := []struct {
		name, want, policy string
		reset              func(ba *benchApp) func()
	}{
		{"signin-moreinfo+bg", "More information required", "", func(ba *benchApp) func() {
			ba.toSignIn()
			ba.entry("someone@example.com").SetText(benchAccount)
			ba.entry("Password").SetText(benchPassword)
			return func() { test.Tap(ba.button("Sign in")) }
		}},
		{"moreinfo-signin", "Sign in", "", func(ba *benchApp) func() {
			ba.toMoreInfo()
			l := ba.link("Use a different account")
			return func() { benchTapLink(l) }
		}},
		{"moreinfo-app", app, "", func(ba *benchApp) func() {
			ba.toMoreInfo()
			n := ba.button("Next")
			return func() { test.Tap(n) }
		}},
		{"app-moreinfo", "More information required", "", func(ba *benchApp) func() {
			ba.toScreen(authapp.ScreenGetApp)
			bk := ba.button("Back")
			return func() { test.Tap(bk) }
		}},
		{"getapp-setup", app, "", func(ba *benchApp) func() {
			ba.toScreen(authapp.ScreenGetApp)
			n := ba.button("Next")
			return func() { test.Tap(n) }
		}},
		{"setup-scan", app, "", func(ba *benchApp) func() {
			ba.toScreen(authapp.ScreenSetUpAccount)
			n := ba.button("Next")
			return func() { test.Tap(n) }
		}},
		{"scan-cantscan", app, "", func(ba *benchApp) func() {
			// "Use a different account" forgets that the key was shown.
			ba.toMoreInfo()
			benchTapLink(ba.link("Use a different account"))
			ba.toScreen(authapp.ScreenScan)
			l := ba.link("Can't scan image?")
			return func() { benchTapLink(l) }
		}},
		{"scan-try", app, "", func(ba *benchApp) func() {
			ba.toScreen(authapp.ScreenScan)
			n := ba.button("Next")
			return func() { test.Tap(n) }
		}},
		{"scan-setup", app, "", func(ba *benchApp) func() {
			ba.toScreen(authapp.ScreenScan)
			bk := ba.button("Back")
			return func() { test.Tap(bk) }
		}},
		{"try-done+bg", app, "", func(ba *benchApp) func() {
			ba.flow.Cancel()
			if _, err := ba.dir.RemoveAllMethods(benchAccount); err != nil {
				b.Fatal(err)
			}
			a := ba.toScreen(authapp.ScreenTry)
			code, e := benchCode(b, a), ba.entry("Enter code")
			return func() { e.SetText(code) } // submits on the sixth digit
		}},
		{"done-nextmethod", "Keep your account secure — Phone", "", func(ba *benchApp) func() {
			ba.toDone()
			n := ba.button("Next")
			return func() { test.Tap(n) }
		}},
		{"done-success", "Success", benchOneMethodPolicy, func(ba *benchApp) func() {
			ba.toDone()
			n := ba.button("Done")
			return func() { test.Tap(n) }
		}},
		{"app-chooser", "Choose a different method", "", func(ba *benchApp) func() {
			ba.toMethod()
			l := ba.link("I want to set up a different method")
			return func() { benchTapLink(l) }
		}},
		{"chooser-back", app, "", func(ba *benchApp) func() {
			ba.toChooser()
			bk := ba.button("Back")
			return func() { test.Tap(bk) }
		}},
		{"chooser-email", "Keep your account secure — Email", "", func(ba *benchApp) func() {
			ba.toChooser()
			e := ba.button(wizard.Describe(info.KindEmail).Title)
			return func() { test.Tap(e) }
		}},
		// Cancel with a key pending asks first (#16): the tap on Cancel
		// opens the question (a frame of its own), and the tap on its
		// Sign out goes back to sign-in.
		{"app-cancel", app, "", func(ba *benchApp) func() {
			ba.toScreen(authapp.ScreenScan)
			l := ba.link("Cancel")
			return func() { benchTapLink(l) }
		}},
		{"cancel-signout", "Sign in", "", func(ba *benchApp) func() {
			ba.toScreen(authapp.ScreenScan)
			benchTapLink(ba.link("Cancel"))
			out := ba.button("Sign out")
			return func() { test.Tap(out) }
		}},
	}
	for _, t := range ts {
		b.Run(t.name, func(b *testing.B) { benchTransition(b, t.policy, t.want, t.reset) })
	}
}

// BenchmarkIcon decodes the app's icon and converts it to the RGBA pixels
// a window icon is set from, as the GLFW driver does on the UI thread when
// the window is created (glfw's SetIcon: image.Decode, then draw.Draw into
// an NRGBA image).
func BenchmarkIcon(b *testing.B) {
	for b.Loop() {
		img, _, err := image.Decode(bytes.NewReader(assets.Icon))
		if err != nil {
			b.Fatal(err)
		}
		dst := image.NewNRGBA(img.Bounds())
		draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Src)
	}
}

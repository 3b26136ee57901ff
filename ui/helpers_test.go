package ui

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/station"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

const testPolicy = `organisation = "Contoso"
demo = true
required = ["authenticator-app", "phone"]
allowed = ["authenticator-app", "phone", "email"]
app_passwords = true
`

// harness is the app on a headless test window with a real local store
// and an in-memory keyring.
type harness struct {
	t    *testing.T
	u    *UI
	w    fyne.Window
	dir  *testkit.Store
	now  time.Time
	quit int
	// audit collects "actor action account" for each audited action.
	audit []string
	// timers are what the UI asked to run later, in order.
	timers []timer
	// logs are the lines the UI logged.
	logs []string
}

// timer is a function the UI asked to run on its thread at a time.
type timer struct {
	at time.Time
	f  func()
}

// inline is the tests' runner: background work runs at once on the test's
// goroutine (the UI thread of a test), and timers wait for the test to
// fire them (fire, tickFor).
func (h *harness) inline() runner {
	return runner{
		spawn:  func(f func()) { f() },
		do:     func(f func()) { f() },
		after:  func(d time.Duration, f func()) { h.timers = append(h.timers, timer{h.now.Add(d), f}) },
		inline: true,
	}
}

// fire runs the timers that are due at the harness's time.
func (h *harness) fire() {
	for {
		i := slices.IndexFunc(h.timers, func(t timer) bool { return !t.at.After(h.now) })
		if i < 0 {
			return
		}
		f := h.timers[i].f
		h.timers = slices.Delete(h.timers, i, i+1)
		f()
	}
}

// elapse moves the clock on by d and fires what is due.
func (h *harness) elapse(d time.Duration) {
	h.now = h.now.Add(d)
	h.fire()
}

func newHarness(t *testing.T, policy string, setups map[info.Kind]wizard.SetupFactory) *harness {
	t.Helper()
	return newHarnessWith(t, policy, setups, nil)
}

// newHarnessWith also gives the flow a sender for codes.
func newHarnessWith(t *testing.T, policy string, setups map[info.Kind]wizard.SetupFactory, send wizard.Sender) *harness {
	t.Helper()
	return newHarnessProving(t, policy, setups, send, nil)
}

// newHarnessProving also gives the flow the Provers that sign-in with a
// second factor, re-authentication and password reset ask.
func newHarnessProving(t *testing.T, policy string, setups map[info.Kind]wizard.SetupFactory, send wizard.Sender, provers map[info.Kind]method.ProverFactory) *harness {
	t.Helper()
	h := &harness{t: t, now: t0, dir: testkit.NewStore(t)}
	h.dir.AddAccount(t, wizard.DemoAccount, wizard.DemoPassword)
	pol, err := wizard.ParsePolicy("test.toml", []byte(policy))
	if err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	h.w = test.NewTempWindow(t, nil)
	h.w.Resize(fyne.NewSize(760, 720))
	flow := wizard.New(wizard.Config{Policy: pol, Dir: h.dir, Now: func() time.Time { return h.now }, Rand: testkit.Seeded(2), Setups: setups, Send: send, Provers: provers,
		Audit: func(actor, action, account, _ string) error {
			h.audit = append(h.audit, actor+" "+action+" "+account)
			return nil
		}})
	h.u = newUI(a, h.w, flow, Options{DemoAccount: wizard.DemoAccount, DemoPassword: wizard.DemoPassword,
		Quit: func() { h.quit++ }, Now: func() time.Time { return h.now },
		// The station's own check, with its back-off kept in the store.
		CheckStationPassphrase: func(p string) error { return station.CheckPassphrase(h.dir, p, h.now) }}, h.inline())
	if err := station.SetPassphrase(h.dir, "open sesame now", testkit.Seeded(3)); err != nil {
		t.Fatal(err)
	}
	h.u.logf = func(format string, args ...any) { h.logs = append(h.logs, fmt.Sprintf(format, args...)) }
	return h
}

// signIn types the demo credentials and presses Enter, as a person would.
func (h *harness) signIn(account, password string) {
	h.t.Helper()
	p := h.u.signIn
	test.Type(p.account, account)
	h.w.Canvas().Focus(p.password)
	test.Type(p.password, password)
	p.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.u.Wait()
}

func (h *harness) wantTitle(want string) {
	h.t.Helper()
	if got := h.w.Title(); got != "Security Info — "+want {
		h.t.Fatalf("window title = %q, want %q", got, "Security Info — "+want)
	}
}

var fyneKeySpace = fyne.KeyEvent{Name: fyne.KeySpace}

func mustHash(t *testing.T, pw string) string { return testkit.CheapHash(t, pw) }

// Finding what a person would tap, on the window and its dialogs.

// objects lists every object drawn on the canvas and its overlays,
// walking containers and widget renderers.
func objects(c fyne.Canvas) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		out = append(out, o)
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(c.Content())
	for _, o := range c.Overlays().List() {
		walk(o)
	}
	return out
}

// tapLink taps the hyperlink with text on the canvas.
func tapLink(t *testing.T, c fyne.Canvas, text string) {
	t.Helper()
	for _, o := range objects(c) {
		if l, ok := asLink(o); ok && l.Text == text {
			test.TapAt(l, fyne.NewPos(12, 12)) // on the text, as a pointer would
			return
		}
	}
	t.Fatalf("no link %q", text)
}

// buttons finds the buttons labelled text on the canvas.
func buttons(c fyne.Canvas, text string) []*widget.Button {
	var out []*widget.Button
	for _, o := range objects(c) {
		if b, ok := asButton(o); ok && b.Text == text {
			out = append(out, b)
		}
	}
	return out
}

// buttonsWithLink counts the links with text on the window.
func buttonsWithLink(h *harness, text string) int {
	n := 0
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := asLink(o); ok && l.Text == text {
			n++
		}
	}
	return n
}

// objectsEntry finds the entry with placeholder on the canvas.
func objectsEntry(h *harness, placeholder string) *widget.Entry {
	for _, o := range objects(h.w.Canvas()) {
		if e, ok := asEntry(o); ok && e.PlaceHolder == placeholder {
			return e
		}
	}
	h.t.Fatalf("no entry %q", placeholder)
	return nil
}

// assertCard checks the method screen on show, the host's card, against a
// markup golden. The wizard's frame around it (heading, progress, Back and
// Next) is not part of it, so a change to the frame leaves every method's
// goldens alone; host_unavailable.xml is the frame's own golden.
func (h *harness) assertCard(name string) {
	h.t.Helper()
	card := h.u.host.card
	c := test.NewCanvas()
	c.SetPadded(false)
	c.Resize(card.Size()) // first, so that the card is laid out once, at its size in the window
	c.SetContent(card)
	test.AssertRendersToMarkup(h.t, name, c)
	h.u.show() // the card back in its window
}

// asButton is o as a button: Fyne's, or the app's that takes Enter too.
func asButton(o fyne.CanvasObject) (*widget.Button, bool) {
	switch b := o.(type) {
	case *widget.Button:
		return b, true
	case *keyButton:
		return &b.Button, true
	}
	return nil, false
}

// asLink is o as a hyperlink, Fyne's or the app's.
func asLink(o fyne.CanvasObject) (*widget.Hyperlink, bool) {
	switch l := o.(type) {
	case *widget.Hyperlink:
		return l, true
	case *keyLink:
		return &l.Hyperlink, true
	}
	return nil, false
}

// asEntry is o as an entry, Fyne's or a dialog's.
func asEntry(o fyne.CanvasObject) (*widget.Entry, bool) {
	switch e := o.(type) {
	case *widget.Entry:
		return e, true
	case *keyEntry:
		return &e.Entry, true
	}
	return nil, false
}

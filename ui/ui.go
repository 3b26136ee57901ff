// Package ui draws Security Info's pages with Fyne. It holds no business
// rules: every decision is a call into package wizard, and this package
// only shows the page the wizard is on and passes the person's input back.
package ui

import (
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// Options are the station's settings that are not part of the policy.
type Options struct {
	// DemoAccount and DemoPassword are hinted on the sign-in page in demo mode.
	DemoAccount, DemoPassword string
	// Quit ends the app (Done on a desktop station). Nil means fyne.App.Quit.
	Quit func()
	// CheckStationPassphrase checks a kiosk station's passphrase before its
	// window may close. Nil means no passphrase is set.
	CheckStationPassphrase func(string) error
	// Now is the clock for kiosk timers; nil means time.Now.
	Now func() time.Time
	// OutboxPath is the demo outbox file, when codes go there; the app
	// then offers a "Demo outbox" view.
	OutboxPath string
}

// UI is the app's window and the page it shows.
type UI struct {
	app  fyne.App
	win  fyne.Window
	flow *wizard.Flow
	opts Options

	signIn   *signInPage
	moreInfo *moreInfoPage
	host     *hostPage
	chooser  *chooserPage
	success  *successPage
	keyring  *keyringPage
	manage   *managePage
	helpdesk *helpdeskPage
	verify   *verifyPage
	reset    *resetPage

	// run keeps slow work off the UI thread; pending counts it.
	run     runner
	pending pending
	// moving is set while a page transition runs in the background.
	moving bool
	// session changes at every wipe: background work started for one
	// person never lands on the next person's screen.
	session int
	// kiosk is set on a kiosk station.
	kiosk *kiosk
	// waits are the waits after failed tries counted down on screen.
	waits []countdown
	// lastInput is when the person last typed, tapped or moved the mouse.
	lastInput time.Time
	// copied is the last secret the app put on the clipboard.
	copied string
	// copyTarget is the secret on screen that Ctrl+C copies, if any.
	copyTarget string
	// saveTarget saves what is on screen to a file (Ctrl+S), if anything.
	saveTarget func()
	// dialogs are the open dialogs by their overlay: the top one owns the
	// keyboard (onTypedKey).
	dialogs map[fyne.CanvasObject]*keyDialog
	// fileDialogs are Fyne's open file dialogs by their overlay: Escape
	// that reaches the window dismisses them (dialogKey).
	fileDialogs map[fyne.CanvasObject]*dialog.FileDialog
	// outbox is the demo outbox window while it is open.
	outbox *outboxWindow
	// logf writes a line for whoever looks after the station (stderr).
	logf func(format string, args ...any)
	// openURL opens a web page in the person's browser (openInBrowser);
	// slow: off the UI thread.
	openURL func(string) error
	// life gates posts to the UI thread from other goroutines: none once
	// the app is quitting (see post).
	life struct {
		mu      sync.RWMutex
		stopped bool
		stop    chan struct{} // closed when quitting: the ticker ends
	}
}

// New builds the window w's pages for flow, in the language UseLanguage
// chose (the policy's or the system's when not called yet), and shows the
// page the flow is on: the sign-in page at first, the only one built
// then (see buildPages).
func New(a fyne.App, w fyne.Window, flow *wizard.Flow, opts Options) *UI {
	if current.Load() == nil { // unless Run chose it already
		UseLanguage(flow.Policy().Language)
	}
	return newUI(a, w, flow, opts, appRunner())
}

// newUI is New with the runner for background work and timers.
func newUI(a fyne.App, w fyne.Window, flow *wizard.Flow, opts Options, run runner) *UI {
	if opts.Quit == nil {
		opts.Quit = a.Quit
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if flow.Policy().Mode == wizard.ModeHelpdesk {
		// Only helpdesk accounts sign in here: the demo account would be
		// refused, so it is not hinted.
		opts.DemoAccount, opts.DemoPassword = "", ""
	}
	if opts.CheckStationPassphrase == nil {
		opts.CheckStationPassphrase = func(string) error { return ErrNoStationPassphrase }
	}
	// What the person is sent speaks the language they read here.
	flow.SetTranslator(MessageTranslator)
	u := &UI{app: a, win: w, flow: flow, opts: opts, run: run, logf: logStderr}
	u.life.stop = make(chan struct{})
	u.openURL = func(link string) error { return openInBrowser(a, link) }
	u.wrapQuit()
	u.signIn = newSignInPage(u)
	w.Canvas().SetOnTypedKey(u.onTypedKey)
	w.Canvas().SetOnTypedRune(u.onTypedRune)
	// Ctrl+C copies the secret on screen (an app password) for keyboard users.
	w.Canvas().AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) {
		if u.copyTarget != "" && !u.isKiosk() {
			u.copySecret(u.copyTarget)
		}
	})
	// Ctrl+S saves what the page offers to save (recovery codes).
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if u.saveTarget != nil && !u.isKiosk() {
			u.saveTarget()
		}
	})
	switch flow.Policy().Mode {
	case wizard.ModeKiosk:
		u.kiosk = newKiosk(u)
		w.SetCloseIntercept(u.kiosk.interceptClose)
	case wizard.ModeHelpdesk:
		// An operator who walks away is signed out: no reset or pass
		// powers left open on a walk-up desk.
		u.kiosk = newKiosk(u)
	}
	u.show()
	return u
}

// Wait blocks until background work started by the UI has finished.
func (u *UI) Wait() { u.pending.Wait() }

// buildPages builds every page but sign-in, once. The first frame needs
// only the sign-in page, and building the rest costs several
// milliseconds (the phone page's list of regions alone about 3), so Run
// builds them right after the first frame; whatever needs a page before
// then (a flow that starts elsewhere, a test) builds them at once.
func (u *UI) buildPages() {
	if u.host != nil {
		return
	}
	u.moreInfo = newMoreInfoPage(u)
	u.host = newHostPage(u)
	u.host.views[info.KindAuthenticatorApp] = newAuthAppView(u)
	u.host.views[info.KindAppPassword] = newAppPasswordView(u)
	u.host.views[info.KindPhone] = newPhoneView(u)
	u.host.views[info.KindSecurityKey] = newSecurityKeyView(u)
	u.host.views[info.KindEmail] = newEmailView(u)
	u.host.views[info.KindSecurityQuestions] = newQuestionsView(u)
	u.host.views[info.KindRecoveryCodes] = newRecoveryView(u)
	u.chooser = newChooserPage(u)
	u.success = newSuccessPage(u)
	u.keyring = newKeyringPage(u)
	u.manage = newManagePage(u)
	u.helpdesk = newHelpdeskPage(u)
	u.verify = newVerifyPage(u)
	u.reset = newResetPage(u)
}

// page is one screen of the window.
type page interface {
	// title is the page's name, shown in the window title.
	title() string
	// content returns the page's widgets, refreshed for the flow's state.
	content() fyne.CanvasObject
	// focus returns the widget that takes the keyboard first, or nil.
	focus() fyne.Focusable
}

func (u *UI) current() page {
	if u.flow.Page() != wizard.PageSignIn {
		u.buildPages()
	}
	switch u.flow.Page() {
	case wizard.PageMoreInfo:
		return u.moreInfo
	case wizard.PageMethod:
		return u.host
	case wizard.PageChooser:
		return u.chooser
	case wizard.PageSuccess, wizard.PageUpToDate:
		return u.success
	case wizard.PageKeyring:
		return u.keyring
	case wizard.PageManage:
		return u.manage
	case wizard.PageHelpdesk:
		return u.helpdesk
	case wizard.PageVerify:
		return u.verify
	case wizard.PageReset:
		return u.reset
	default:
		return u.signIn
	}
}

// show draws the page the flow is on.
func (u *UI) show() {
	p := u.current()
	u.win.SetTitle(lang.L("Security Info — {{.Page}}", map[string]any{"Page": p.title()}))
	u.copyTarget, u.saveTarget = "", nil
	body := p.content()
	if u.host != nil { // a security key's PIN goes with its screen, wherever the person went
		if v, ok := u.host.views[info.KindSecurityKey].(*securityKeyView); ok {
			v.leftPIN()
		}
	}
	if p == page(u.signIn) && u.flow.Policy().Mode == wizard.ModeHelpdesk {
		body = container.NewBorder(helpdeskStationLine(), nil, nil, nil, body)
	}
	content := container.NewPadded(body)
	if u.kiosk != nil {
		u.kiosk.touch()
		content = container.NewPadded(u.kiosk.wrap(body))
	}
	// The field with the keyboard lets go of it first: a new content has a
	// new focus manager, and a field never told would still look focused
	// when its page shows again (two focused fields after a wipe).
	u.win.Canvas().Unfocus()
	u.win.SetContent(content)
	if f := p.focus(); f != nil {
		u.win.Canvas().Focus(f)
	} else {
		u.win.Canvas().Unfocus()
	}
}

// helpdeskStationLine says, above the sign-in page of a helpdesk station,
// who signs in here. (The sign-in page is built in signin.go; this line
// is laid above it by show.)
func helpdeskStationLine() fyne.CanvasObject {
	l := widget.NewLabel(lang.L("Helpdesk station: for helpdesk staff. Sign in with your helpdesk account; people registering their own security info use a registration station or their own computer."))
	l.Wrapping = fyne.TextWrapWord
	l.Alignment = fyne.TextAlignCenter
	l.Importance = widget.WarningImportance
	return l
}

// enterer is a page with a default action for the Enter key, taken when
// no widget has the keyboard.
type enterer interface {
	onEnter()
}

// post hands f to the UI thread from another goroutine, unless the app is
// quitting: Fyne closes its event queue once it has quit, and a post after
// that panics. Every post from a ticker, timer or background job goes
// through here.
func (u *UI) post(f func()) {
	u.life.mu.RLock()
	stopped := u.life.stopped
	if stopped || u.run.inline {
		u.life.mu.RUnlock()
		if !stopped {
			u.run.do(f)
		}
		return
	}
	defer u.life.mu.RUnlock()
	u.run.do(f) // Fyne's queue: returns at once, f runs later
}

// shutdown stops the ticker and every later post to the UI thread. It
// returns once no post is under way, so the app can quit safely after it.
func (u *UI) shutdown() {
	u.life.mu.Lock()
	defer u.life.mu.Unlock()
	if !u.life.stopped {
		u.life.stopped = true
		close(u.life.stop)
	}
}

// wrapQuit makes opts.Quit shut the UI's posts down before the app quits,
// and closing the window do the same.
func (u *UI) wrapQuit() {
	quit := u.opts.Quit
	u.opts.Quit = func() {
		u.clearCopied()
		u.shutdown()
		quit()
	}
	u.win.SetOnClosed(u.closed)
}

// closed is the window closing (by the window manager, or after Quit):
// the copied secret goes, then the posts stop.
func (u *UI) closed() {
	u.clearCopied()
	u.shutdown()
}

// tick runs every second on the UI thread: countdowns and kiosk timers.
func (u *UI) tick() {
	if u.outbox != nil {
		u.outbox.follow()
	}
	u.tickWaits()
	if u.moving || u.host != nil && u.host.busy {
		return // the flow or a method is working in the background: leave it be
	}
	if u.kiosk != nil {
		u.kiosk.tick()
		return // the kiosk ticks the views itself
	}
	if u.host != nil { // nil: only the sign-in page is built so far
		u.host.views.tick()
	}
}

// startTicker runs tick every second until the app quits.
func (u *UI) startTicker() { u.tickEvery(time.Second) }

// tickEvery runs tick every d until shutdown.
func (u *UI) tickEvery(d time.Duration) {
	t := time.NewTicker(d)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-u.life.stop:
				return
			case <-t.C:
				u.post(u.tick)
			}
		}
	}()
}

// relayout sizes the window's content again after a page added or
// removed rows while it is on screen.
func (u *UI) relayout() {
	if c := u.win.Content(); c != nil {
		c.Refresh()
	}
}

// isKiosk reports whether this is a shared kiosk station.
func (u *UI) isKiosk() bool { return u.flow.Policy().Mode == wizard.ModeKiosk }

// now is the UI's clock.
func (u *UI) now() time.Time { return u.opts.Now() }

// touch records input for the kiosk's idle countdown and for what hides
// after a while without input (the kiosk's QR code).
func (u *UI) touch() {
	u.lastInput = u.now()
	if u.kiosk != nil {
		u.kiosk.touch()
	}
}

// wipe ends the session and leaves nothing of the last person: the flow
// back at sign-in with anything pending discarded (secrets zeroed), every
// entry emptied, dialogs closed, and the clipboard cleared if it still
// holds what the app put there.
func (u *UI) wipe() {
	u.session++ // work still running for the last person is dropped
	u.moving = false
	if u.host != nil {
		u.host.busy = false
		u.host.resume = nil // the last person's refused save
		u.host.activity.Stop()
		u.host.activity.Hide()
		u.keyring.activity.Stop()
		u.keyring.activity.Hide()
		u.keyring.retry.Enable()
		u.helpdesk.clear()
		u.reset.clear()
		u.verify.panel.clear()
		u.manage.clear()
	}
	u.waits = nil
	record := u.flow.Wipe()
	background(u, func() struct{} { record(); return struct{}{} }, func(struct{}) {})
	u.signIn.clear()
	if u.host != nil {
		u.host.message.SetText("")
		u.host.views.wipe()
	}
	if u.outbox != nil {
		u.outbox.win.Close()
	}
	for _, o := range u.win.Canvas().Overlays().List() {
		u.win.Canvas().Overlays().Remove(o)
	}
	u.dialogs = nil
	if u.copied != "" && u.app.Clipboard().Content() == u.copied {
		u.app.Clipboard().SetContent("")
	}
	u.copied = ""
	u.show()
}

// onTypedKey handles keys that no focused widget took. While a dialog is
// open the keys are the dialog's: Enter and Escape act on it, and nothing
// reaches the page behind it.
func (u *UI) onTypedKey(ev *fyne.KeyEvent) {
	u.touch()
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		u.dialogKey(top, ev)
		return
	}
	if ev.Name != fyne.KeyReturn && ev.Name != fyne.KeyEnter {
		return
	}
	if e, ok := u.current().(enterer); ok {
		e.onEnter()
	}
}

// onTypedRune takes a letter typed while no widget has the keyboard (the
// window just appeared, or a click on the background took the focus):
// it goes to the page's first field instead of being lost.
func (u *UI) onTypedRune(r rune) {
	u.touch()
	f := u.current().focus()
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		// A dialog is open: the letter is its field's, never the page's.
		f = nil
		if d := u.dialogs[top]; d != nil {
			f = d.first
		}
	}
	if f == nil || u.win.Canvas().Focused() != nil {
		return
	}
	u.win.Canvas().Focus(f)
	f.TypedRune(r)
}

// say returns what a person reads about err (wizard.Words) and logs its
// whole chain for whoever looks after the station.
func (u *UI) say(err error) string {
	if err == nil {
		return ""
	}
	u.logf("%s: %v", u.win.Title(), err)
	return wordsFor(err)
}

// handle shows the right page after a flow call, or a keyring page when
// the call failed because the keyring can't be used.
func (u *UI) handle(err error) error {
	if errors.Is(err, info.ErrKeyringUnavailable) || errors.Is(err, info.ErrKeyringLocked) || errors.Is(err, info.ErrDirectoryUnavailable) {
		u.flow.KeyringProblem(err)
		err = nil
	}
	u.show()
	return err
}

// heading is a page's large title.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = "headingText"
	return l
}

// para is wrapped body text.
func para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// link is a hyperlink-styled action, which Enter follows as well as Space.
func link(text string, tapped func()) *keyLink {
	h := &keyLink{widget.Hyperlink{Text: text, OnTapped: tapped}}
	h.ExtendBaseWidget(h)
	return h
}

// errorLabel shows what went wrong and what to do; empty when all is well.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	return l
}

// framed centres page content in a column of readable width, scrolling
// when the window is too short for it.
// In a window narrower than the column, the column takes the window's
// width (centredLayout): a page never makes the window wider than the
// screen at a large scale.
func framed(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.New(centredLayout{}, container.New(columnLayout{width: 560}, obj)))
}

// topFramed is framed at the top of the window instead of its middle, for
// a page whose content grows as the person types (the helpdesk's search):
// what is on screen stays where it is.
func topFramed(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewHBox(layout.NewSpacer(), container.New(columnLayout{width: 560}, obj), layout.NewSpacer()))
}

// column centres obj in a full-height column of readable width.
func column(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.New(columnLayout{width: 560, fill: true}, obj)
}

// columnLayout gives its objects a fixed width, so wrapped text wraps at a
// readable line length whatever the window's size.
// With fill it also takes the whole height and centres the column.
type columnLayout struct {
	width float32
	fill  bool
}

func (c columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(c.width, size.Width)
	x := float32(0)
	if c.fill {
		x = (size.Width - w) / 2
	}
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(x, 0))
	}
}

func (c columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if c.fill {
		h := float32(0)
		for _, o := range objs {
			h = max(h, o.MinSize().Height)
		}
		return fyne.NewSize(min(c.width, 320), h)
	}
	// Measured at the width it was last given (wrapped text is as tall
	// as its lines at that width), the column's own at first.
	h := float32(0)
	for _, o := range objs {
		w := c.width
		if ow := o.Size().Width; ow > 0 && ow < c.width {
			w = ow
		}
		if o.Size().Width != w {
			o.Resize(fyne.NewSize(w, o.MinSize().Height))
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(c.width, h)
}

// centredLayout centres its objects at their minimum size, as
// container.NewCenter does, except that an object wider than the room is
// narrowed to it (a columnLayout then wraps its text narrower): its own
// minimum width is only narrowColumn.
type centredLayout struct{}

// narrowColumn is the least width of a framed page's column.
const narrowColumn = 320

func (centredLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		w := min(o.MinSize().Width, size.Width)
		if o.Size().Width != w {
			o.Resize(fyne.NewSize(w, o.Size().Height)) // the height at this width
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos((size.Width-w)/2, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
	}
}

func (centredLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		om := o.MinSize()
		m = m.Max(fyne.NewSize(min(om.Width, narrowColumn), om.Height))
	}
	return m
}

// layoutSpacer pushes what follows it to the far side of a box.
func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

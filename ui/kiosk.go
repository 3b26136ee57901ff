package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// QRHideAfter is how long a kiosk shows a QR code or key before hiding it
// (a button shows it again), so it isn't left for the next person.
const QRHideAfter = 2 * time.Minute

// kiosk makes a shared station safe for one person after another: an idle
// countdown that returns to sign-in and wipes the last person's session
// (on kiosks and helpdesk desks), and on a kiosk a close button that asks
// for the station's passphrase and a window that stays full screen.
type kiosk struct {
	u      *UI
	idle   wizard.Idle
	banner *widget.Label
	// bannerBox is the banner on its own background, laid over the top
	// of the page so that nothing on the page moves when it shows.
	bannerBox *fyne.Container
}

func newKiosk(u *UI) *kiosk {
	k := &kiosk{u: u, idle: wizard.Idle{Timeout: u.flow.Policy().IdleTimeout}}
	k.banner = widget.NewLabel("")
	k.banner.Importance = widget.WarningImportance
	k.banner.Alignment = fyne.TextAlignCenter
	k.banner.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameWarning)
	bg.StrokeWidth = 2
	bg.CornerRadius = theme.InputRadiusSize()
	k.bannerBox = container.NewVBox(container.NewStack(bg, k.banner))
	k.bannerBox.Hide()
	k.idle.Touch(u.now())
	return k
}

// touch records input: the idle countdown starts again.
func (k *kiosk) touch() {
	k.u.lastInput = k.u.now()
	k.idle.Touch(k.u.now())
	if k.bannerBox.Visible() {
		k.bannerBox.Hide()
		k.u.relayout() // a container's Hide and Show don't repaint it
	}
}

// tick runs every second on the UI thread: it shows the countdown and,
// when it runs out, wipes the session. On an untouched sign-in page there
// is nothing to wipe and no countdown is shown.
func (k *kiosk) tick() {
	// A kiosk stays full screen: if something took it out (a window
	// manager's shortcut), it goes back; only the passphrase closes it.
	if k.u.isKiosk() && !k.u.win.FullScreen() {
		k.u.win.SetFullScreen(true)
	}
	if k.u.flow.Page() == wizard.PageSignIn && k.u.signIn.empty() {
		k.touch()
		return
	}
	left, warn, expired := k.idle.Check(k.u.now())
	switch {
	case expired:
		k.u.wipe()
		k.touch()
	case warn:
		k.banner.SetText(lang.L("Are you still there? Returning to sign-in in {{.Left}} s, and everything on screen will be cleared. Tap or press a key to stay.", map[string]any{"Left": int(left.Round(time.Second) / time.Second)}))
		if !k.bannerBox.Visible() {
			k.bannerBox.Show()
			k.u.relayout()
		}
	}
	if k.u.host != nil {
		k.u.host.views.tick()
	}
}

// wrap lays the countdown banner over the top of a page (the page does
// not move when it shows) and catches taps and mouse movement on the
// page's background as input.
func (k *kiosk) wrap(page fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(&inputCatcher{onInput: k.touch}, page, k.bannerBox)
}

// interceptClose asks for the station passphrase before the window may
// close. Without a passphrase set, the window stays open.
func (k *kiosk) interceptClose() {
	k.touch()
	pass := newKeyPasswordEntry()
	pass.SetPlaceHolder(lang.L("Station passphrase"))
	pass.OnChanged = func(string) { k.touch() }
	msg := widget.NewLabel(lang.L("Only the station's administrator can close Security Info here."))
	msg.Wrapping = fyne.TextWrapWord
	d := k.u.newForm(lang.L("Close this station?"), lang.L("Close"), lang.L("Keep open"),
		[]*widget.FormItem{widget.NewFormItem("", msg), widget.NewFormItem(lang.L("Passphrase"), pass)},
		func(ok bool) {
			if !ok {
				return
			}
			typed := pass.Text
			background(k.u, func() error { return k.u.opts.CheckStationPassphrase(typed) }, func(err error) {
				// The check counts wrong passphrases itself, kept with
				// the station's credentials (wizard/station).
				if err != nil {
					if !wizard.HasWords(err) {
						err = fmt.Errorf("%w: %w", errPassphrase, err)
					}
					msg := widget.NewLabel("")
					msg.Wrapping = fyne.TextWrapWord
					k.u.sayWait(msg, err)
					d := k.u.newCustom(lang.L("The station stays open"), lang.L("OK"), msg)
					d.Resize(fyne.NewSize(420, 180))
					d.Show()
					return
				}
				k.u.opts.Quit()
			})
		})
	d.Resize(fyne.NewSize(420, 220))
	d.Show() // the keyboard on the passphrase
}

// ErrNoStationPassphrase means no passphrase was set for a kiosk station.
var ErrNoStationPassphrase = words.New("no station passphrase is set: set one with 'securityinfo station passphrase'",
	"No passphrase is set for this station, so it stays open. Its administrator sets one with 'securityinfo station passphrase'.")

// errPassphrase is what a refused station passphrase says when the check
// gave no words of its own.
var errPassphrase = words.New("station passphrase refused", "That passphrase isn't right, or none is set for this station.")

// inputCatcher sits behind a page and reports taps and mouse movement on
// the page's background as input.
type inputCatcher struct {
	widget.BaseWidget
	onInput func()
}

var _ desktop.Hoverable = (*inputCatcher)(nil)

func (c *inputCatcher) CreateRenderer() fyne.WidgetRenderer {
	c.ExtendBaseWidget(c)
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// Tapped is input.
func (c *inputCatcher) Tapped(*fyne.PointEvent) { c.onInput() }

// MouseIn is input.
func (c *inputCatcher) MouseIn(*desktop.MouseEvent) { c.onInput() }

// MouseMoved is input.
func (c *inputCatcher) MouseMoved(*desktop.MouseEvent) { c.onInput() }

// MouseOut is not.
func (c *inputCatcher) MouseOut() {}

package ui

import (
	"errors"
	"image"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// DownloadURL is the authenticator app's download page, opened by
// "Download now" and shown as a QR code for a phone's camera.
const DownloadURL = "https://aka.ms/getauthenticator"

// qrTarget is the size the QR code is drawn at when there is room, in
// units: large enough for a phone held at arm's length to scan.
const qrTarget = 300

// authAppView draws the authenticator app's screens: get the app, set up
// the account, scan the QR code, try it out, registered.
type authAppView struct {
	u *UI

	code      *widget.Entry
	device    *widget.Entry
	attempts  *widget.Label
	showKey   bool
	submitted string
	// On a kiosk the QR code and key hide after QRHideAfter on screen.
	scanSince time.Time
	scanKey   string
	qrHidden  bool
	// qr is the QR code of the key qrFor, drawn once per key (encoding it
	// is most of what showing the scan screen costs), in the background
	// while the person is on the set-up screen (drawQRAhead).
	qr        image.Image
	qrFor     string
	qrDrawing string // the key whose QR code is being drawn ahead
	// manual is what "Can't scan image?" shows, built the first time and
	// kept: only its values change with the key. Its three Copy buttons
	// cost more to build than the rest of the screen (Fyne parses a
	// button's SVG icon again at each of its first layouts and refreshes).
	manual *manualEntry
}

func newAuthAppView(u *UI) *authAppView {
	v := &authAppView{u: u}
	v.code = widget.NewEntry()
	v.code.SetPlaceHolder(lang.L("Enter code"))
	v.code.OnChanged = func(s string) { v.u.touch(); v.onCodeChanged(s) }
	v.code.OnSubmitted = func(string) {
		// Enter after the sixth digit, which registered the app already,
		// must not pass by "Authenticator app registered".
		if s := v.u.flow.Setup(); s != nil && !s.Done() {
			v.u.host.onNext()
		}
	}
	v.device = widget.NewEntry()
	v.device.SetPlaceHolder(lang.L("Name this app")) // for a screen reader too, once Fyne has one
	v.device.OnSubmitted = func(string) { v.u.win.Canvas().Focus(v.code) }
	v.device.OnChanged = func(string) { v.u.touch() }
	v.attempts = widget.NewLabel("")
	v.attempts.Importance = widget.LowImportance
	return v
}

func (v *authAppView) setup(s wizard.Setup) *authapp.Setup {
	a, _ := s.(*authapp.Setup)
	return a
}

func (v *authAppView) heading(s wizard.Setup) string {
	switch v.setup(s).Screen() {
	case authapp.ScreenGetApp:
		return lang.L("Start by getting the app")
	case authapp.ScreenSetUpAccount:
		return lang.L("Set up your account")
	case authapp.ScreenScan:
		return lang.L("Scan the QR code")
	case authapp.ScreenTry:
		return lang.L("Let's try it out")
	default:
		return lang.L("Authenticator app registered")
	}
}

func (v *authAppView) body(s wizard.Setup) fyne.CanvasObject {
	a := v.setup(s)
	switch a.Screen() {
	case authapp.ScreenGetApp:
		return v.getAppScreen(a)
	case authapp.ScreenSetUpAccount:
		return v.setUpAccountScreen(a)
	case authapp.ScreenScan:
		return v.scanScreen(a)
	case authapp.ScreenTry:
		return v.tryScreen(a)
	default:
		return container.NewVBox(
			widget.NewIcon(theme.ConfirmIcon()),
			para(lang.L("\"{{.DeviceName}}\" is now connected to your account. You can use it for two-step verification and to reset your password.", map[string]any{"DeviceName": shownLabel(info.KindAuthenticatorApp, a.DeviceName(), 0)})),
		)
	}
}

func (v *authAppView) appName(a *authapp.Setup) string {
	if a.DifferentApp() {
		return lang.L("an authenticator app")
	}
	return lang.L("the Microsoft Authenticator app")
}

func (v *authAppView) getAppScreen(a *authapp.Setup) fyne.CanvasObject {
	var items []fyne.CanvasObject
	if a.DifferentApp() {
		items = append(items, para(lang.L("On your phone, install an authenticator app of your choice, such as Microsoft Authenticator, Google Authenticator, Aegis, FreeOTP or 1Password. Any app that supports time-based codes (TOTP) works.")))
	} else {
		qr, err := downloadQR()
		items = append(items, para(lang.L("On your phone, install the Microsoft Authenticator app.")))
		scan := lang.L("Scan this with your phone's camera to download it:")
		if !v.u.isKiosk() { // a browser is a way out of a locked-down station, and of no use there
			items = append(items, newButtonWithIcon(lang.L("Download now"), theme.DownloadIcon(), v.onDownload))
			scan = lang.L("Or scan this with your phone's camera to download it:")
		}
		var code *qrFit
		if err == nil {
			code = newQRFit(qr, v.u.win.Canvas())
			code.maxUnits = downloadQRTarget
			items = append(items, para(scan), code)
		}
		items = append(items, link(lang.L("I want to use a different authenticator app"), func() {
			a.UseDifferentApp()
			v.u.host.refresh()
		}))
		items = append(items, para(lang.L("After you install {{.AppName}} on your phone, choose Next.", map[string]any{"AppName": v.appName(a)})))
		if code != nil {
			return container.New(&growLayout{grow: code}, items...)
		}
		return container.NewVBox(items...)
	}
	items = append(items, para(lang.L("After you install {{.AppName}} on your phone, choose Next.", map[string]any{"AppName": v.appName(a)})))
	return container.NewVBox(items...)
}

// onDownload opens the app's download page in a browser, off the UI
// thread; without one it says what to do instead.
func (v *authAppView) onDownload() {
	if v.u.isKiosk() {
		return // never launch anything on a kiosk (the button isn't shown there)
	}
	background(v.u, func() error { return v.u.openURL(DownloadURL) }, func(err error) {
		if err != nil {
			v.u.logf("opening %s: %v", DownloadURL, err)
			v.u.host.message.SetText(lang.L("No web browser could be opened here. Scan the QR code below with your phone's camera, or open {{.DownloadURL}} on your phone.", map[string]any{"DownloadURL": DownloadURL}))
		}
	})
}

// drawQRAhead draws the pending key's QR code in the background while the
// person is on the set-up screen (adding the account in the app), so that
// the scan screen shows it without drawing it on the UI thread.
func (v *authAppView) drawQRAhead(a *authapp.Setup) {
	uri := a.URI()
	if uri == "" || v.qrFor == uri || v.qrDrawing == uri {
		return
	}
	v.qrDrawing = uri
	background(v.u, func() image.Image { return qrPicture(uri) }, func(qr image.Image) {
		v.qrDrawing = ""
		if qr != nil && a.URI() == uri {
			v.qr, v.qrFor = qr, uri
		}
	})
}

func (v *authAppView) setUpAccountScreen(a *authapp.Setup) fyne.CanvasObject {
	v.drawQRAhead(a)
	kind := lang.L("\"Work or school account\"")
	if a.DifferentApp() {
		kind = lang.L("\"Other account\" (or \"Add account\" and \"Scan a QR code\")")
	}
	return container.NewVBox(
		para(lang.L("Open {{.AppName}} on your phone. If it asks, allow notifications and let it use the camera. Then add an account and choose {{.Kind}}.", map[string]any{"AppName": v.appName(a), "Kind": kind})),
		para(lang.L("Stay on this page while you do that, then choose Next.")),
	)
}

func (v *authAppView) scanScreen(a *authapp.Setup) fyne.CanvasObject {
	items := []fyne.CanvasObject{
		para(lang.L("Use {{.AppName}} to scan the QR code. This connects the app with your account. After you scan it, choose Next.", map[string]any{"AppName": v.appName(a)})),
	}
	if v.scanKey != a.URI() { // a new key: its own time on screen, no "Copied" note of the last one
		v.scanKey, v.scanSince, v.qrHidden = a.URI(), v.u.now(), false
		if v.manual != nil {
			v.manual.wipe()
		}
	}
	if v.qrHidden {
		return container.NewVBox(append(items,
			para(lang.L("The QR code was hidden after 2 minutes so that nobody else can see it.")),
			newButton(lang.L("Show it again"), func() { v.scanSince, v.qrHidden = v.u.now(), false; v.u.host.refresh() }),
		)...)
	}
	if v.qrFor != a.URI() {
		v.qr, v.qrFor = qrPicture(a.URI()), a.URI()
	}
	var after []fyne.CanvasObject
	if !v.showKey {
		after = append(after, link(lang.L("Can't scan image?"), func() { v.showKey = true; v.u.host.refresh() }))
	} else {
		after = append(after, v.manualEntry(a)...)
	}
	if v.qr == nil {
		return container.NewVBox(append(items, after...)...)
	}
	// The QR code takes the card's room left by the text around it, so
	// that it shrinks to fit a small window rather than scroll.
	qr := newQRFit(v.qr, v.u.win.Canvas())
	return container.New(&growLayout{grow: qr}, append(append(items, qr), after...)...)
}

// manualEntry is the manual entry of a's key, to type into the app: a
// sentence, then the account name, the secret key and the URL.
type manualEntry struct {
	intro fyne.CanvasObject
	rows  [3]*secretRow
}

// manualEntry returns the objects that show a's key for manual entry.
func (v *authAppView) manualEntry(a *authapp.Setup) []fyne.CanvasObject {
	m := v.manual
	if m == nil {
		m = &manualEntry{
			intro: para(lang.L("Enter these in your app instead: choose to add the account manually, then type the account name and the secret key.")),
			rows:  [3]*secretRow{v.newSecretRow(lang.L("Account name")), v.newSecretRow(lang.L("Secret key")), v.newSecretRow(lang.L("URL"))},
		}
		v.manual = m
	}
	if m.rows[2].raw == "" { // emptied for a new key (scanScreen) or new
		m.rows[0].set(a.AccountLabel(), a.AccountLabel())
		m.rows[1].set(a.ManualKey(), strings.ReplaceAll(a.ManualKey(), " ", ""))
		m.rows[2].set(a.URI(), a.URI())
	}
	return []fyne.CanvasObject{m.intro, m.rows[0].box, m.rows[1].box, m.rows[2].box}
}

// wipe forgets the key shown and any "Copied" note; the widgets stay for
// the next key.
func (m *manualEntry) wipe() {
	for _, r := range m.rows {
		r.set("", "")
		if r.note != nil {
			r.note.SetText("")
			r.note.Hide()
		}
	}
}

// secretRow shows one manual-entry value with a Copy button (none in
// kiosk mode, where the next person could paste it).
type secretRow struct {
	box   fyne.CanvasObject
	value *monoBreak
	raw   string // what Copy copies
	note  *widget.Label
}

// newSecretRow makes a row for the value named label, empty.
func (v *authAppView) newSecretRow(label string) *secretRow {
	r := &secretRow{}
	value := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	value.Wrapping = fyne.TextWrapBreak // not selectable: Copy clears itself, a selection wouldn't
	name := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if v.u.flow.Policy().Mode == wizard.ModeKiosk {
		r.value = &monoBreak{inner: layout.NewVBoxLayout(), label: value}
		r.box = container.New(r.value, name, value)
		return r
	}
	r.note = widget.NewLabel("")
	r.note.Importance = widget.LowImportance
	r.note.Hide()
	cp := newButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() { v.u.copyNoted(r.raw, r.note) })
	r.value = &monoBreak{inner: layout.NewBorderLayout(nil, nil, nil, cp), label: value, beside: cp}
	r.box = container.NewVBox(name, container.New(r.value, value, cp), r.note)
	return r
}

// set shows shown, and has Copy copy raw.
func (r *secretRow) set(shown, raw string) {
	r.raw = raw
	r.value.setText(shown)
}

// downloadQR is DownloadURL's QR code at one pixel per module, drawn
// once.
var downloadQR = sync.OnceValues(func() (image.Image, error) { return authapp.QRImage(DownloadURL, 1) })

// downloadQRTarget is the most the download page's QR code is drawn at,
// in units: smaller than the key's, which matters more.
const downloadQRTarget = 120

// qrPicture is uri's QR code at one pixel per module, dark on white
// whatever the theme (qrFit draws it as large as it fits, in whole
// pixels per module); nil if it can't be drawn.
func qrPicture(uri string) image.Image {
	one, err := authapp.QRImage(uri, 1)
	if err != nil {
		return nil
	}
	return one
}

func (v *authAppView) tryScreen(a *authapp.Setup) fyne.CanvasObject {
	if v.device.Text == "" {
		// In the page's language, as keyName words a key's; saved
		// unchanged, it is stored as the wizard's default (storedName).
		v.device.SetText(shownLabel(info.KindAuthenticatorApp, a.DeviceName(), 0))
	}
	return container.NewVBox(
		para(lang.L("Enter the 6-digit code shown in the app for this account.")),
		widget.NewForm(
			widget.NewFormItem(lang.L("Code"), v.code),
			widget.NewFormItem(lang.L("Name this app"), v.device),
		),
		v.attempts,
	)
}

func (v *authAppView) canNext(s wizard.Setup) bool { return v.setup(s) != nil }

// tick hides the QR code and key on a kiosk once they have been on screen
// for QRHideAfter without input.
func (v *authAppView) tick() {
	a, ok := v.u.flow.Setup().(*authapp.Setup)
	if !v.u.isKiosk() || !ok || a.Screen() != authapp.ScreenScan || v.qrHidden || v.scanKey != a.URI() {
		return
	}
	// Two minutes on screen without input: someone using the page keeps it.
	if v.u.now().Sub(later(v.scanSince, v.u.lastInput)) >= QRHideAfter {
		v.qrHidden = true
		v.u.host.refresh()
	}
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// wipe forgets everything typed or shown for the last person.
func (v *authAppView) wipe() {
	v.code.SetText("")
	v.device.SetText("")
	v.attempts.SetText("")
	v.submitted, v.showKey, v.scanKey, v.qrHidden, v.qr, v.qrFor, v.qrDrawing = "", false, "", false, nil, "", ""
	if v.manual != nil {
		v.manual.wipe()
	}
}

func (v *authAppView) focus(s wizard.Setup) fyne.Focusable {
	if a := v.setup(s); a != nil && a.Screen() == authapp.ScreenTry {
		return v.code
	}
	return nil
}

// onCodeChanged submits on the code's last digit, once per code typed.
func (v *authAppView) onCodeChanged(text string) {
	if a, ok := v.u.flow.Setup().(*authapp.Setup); ok && a.CodeComplete(text) && text != v.submitted {
		v.submitted = text
		v.u.host.onNext()
	}
}

func (v *authAppView) next(s wizard.Setup, finish func(error)) {
	a := v.setup(s)
	if a.Screen() != authapp.ScreenTry {
		err := a.Next()
		if err == nil && a.Screen() == authapp.ScreenTry {
			v.code.SetText("")
			v.submitted = ""
			v.attempts.SetText("")
		}
		finish(err)
		return
	}
	typed, code := v.device.Text, v.code.Text
	type result struct {
		named bool // the device name was accepted, so the code was submitted
		err   error
	}
	// Naming reads the account's methods and Submit writes to the keyring,
	// which can take seconds; storedName's first call reads the
	// translation files (some 5 ms).
	background(v.u, func() result {
		if err := a.SetDeviceName(storedName(info.KindAuthenticatorApp, typed)); err != nil {
			return result{false, err}
		}
		return result{true, a.Submit(code)}
	}, func(r result) {
		err := r.err
		if !r.named {
			finish(err)
			return
		}
		switch {
		case errors.Is(err, authapp.ErrCodeFormat): // five digits stay, for the sixth
		case errors.Is(err, authapp.ErrWrongCode), errors.Is(err, authapp.ErrClockSkew):
			dropChecked(v.code, code)
		default:
			v.code.SetText("")
		}
		v.submitted = ""
		switch {
		case err == nil:
			v.device.SetText("")
			v.showKey = false
			v.attempts.SetText("")
		case errors.Is(err, authapp.ErrTooManyAttempts), errors.Is(err, authapp.ErrPendingExpired):
			v.attempts.SetText("")
		case errors.Is(err, authapp.ErrWrongCode), errors.Is(err, authapp.ErrClockSkew):
			v.attempts.SetText(lang.L("After {{.MaxAttempts}} wrong codes, a new QR code is shown.", map[string]any{"MaxAttempts": authapp.MaxAttempts}))
		}
		finish(err)
	})
}

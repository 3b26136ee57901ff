package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// securityKeyView draws a security key's screens: insert the key, its PIN
// (when needed), touch it, name it, registered; and a page for each
// problem (no key, not touched in time, PIN blocked, already registered,
// model not allowed…) with Next to try again.
type securityKeyView struct {
	u *UI

	pin  *widget.Entry
	name *widget.Entry
	// waiting is set while the key blinks for a touch.
	waiting bool
	cancel  *keyButton
}

func newSecurityKeyView(u *UI) *securityKeyView {
	v := &securityKeyView{u: u}
	v.pin = widget.NewPasswordEntry()
	v.pin.SetPlaceHolder(lang.L("Security key PIN"))
	v.pin.OnChanged = func(string) { v.u.touch() }
	v.pin.OnSubmitted = func(string) { v.u.host.onNext() }
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder(lang.L("Name"))
	v.name.OnChanged = func(string) { v.u.touch() }
	v.name.OnSubmitted = func(string) { v.u.host.onNext() }
	v.cancel = newButton(lang.L("Stop waiting"), v.onCancel)
	return v
}

func (v *securityKeyView) setup(s wizard.Setup) *securitykey.Setup {
	k, _ := s.(*securitykey.Setup)
	return k
}

func (v *securityKeyView) heading(s wizard.Setup) string {
	k := v.setup(s)
	if v.waiting {
		return lang.L("Touch your security key")
	}
	switch k.Screen() {
	case securitykey.ScreenInsert:
		return lang.L("Insert your security key")
	case securitykey.ScreenPIN:
		return lang.L("Enter your security key's PIN")
	case securitykey.ScreenTouch:
		return lang.L("Touch your security key")
	case securitykey.ScreenName:
		return lang.L("Name your security key")
	case securitykey.ScreenDone:
		return lang.L("Security key registered")
	}
	return problemHeading(k.Problem())
}

// problemHeading names a problem page.
func problemHeading(p *securitykey.Error) string {
	if p == nil {
		return lang.L("Something went wrong")
	}
	switch {
	case errors.Is(p, securitykey.ErrNoKey):
		return lang.L("No security key found")
	case errors.Is(p, securitykey.ErrTimeout):
		return lang.L("Your security key wasn't touched in time")
	case errors.Is(p, securitykey.ErrPINBlocked):
		return lang.L("Your security key's PIN is blocked")
	case errors.Is(p, securitykey.ErrPINAuthBlocked):
		return lang.L("Take your security key out and insert it again")
	case errors.Is(p, securitykey.ErrAlreadyRegistered):
		return lang.L("This security key is already registered")
	case errors.Is(p, securitykey.ErrNotAllowed):
		return lang.L("This security key isn't allowed")
	case errors.Is(p, securitykey.ErrPINNotSet):
		return lang.L("Your security key needs a PIN")
	case errors.Is(p, securitykey.ErrKeyLost):
		return lang.L("Lost contact with your security key")
	}
	return lang.L("Your security key couldn't be registered")
}

func (v *securityKeyView) body(s wizard.Setup) fyne.CanvasObject {
	k := v.setup(s)
	if v.waiting || k.Screen() != securitykey.ScreenPIN {
		v.forgetPIN()
	}
	if v.waiting {
		return container.NewVBox(
			widget.NewIcon(theme.InfoIcon()),
			para(lang.L("Touch your security key now: its button or gold disc, when it blinks.")),
			container.NewHBox(v.cancel),
		)
	}
	switch k.Screen() {
	case securitykey.ScreenInsert:
		return container.NewVBox(
			para(lang.L("A security key is a small device that proves it's you when you touch it. Insert yours into a USB port of this computer. If it's already in, that's fine.")),
			para(lang.L("Choose Next when it's in.")),
		)
	case securitykey.ScreenPIN:
		return container.NewVBox(
			para(lang.L("Enter the PIN of your security key. It's the key's own PIN, not your password.")),
			widget.NewForm(widget.NewFormItem(lang.L("PIN"), v.pin)),
			para(lang.L("After Next, touch your security key when it blinks.")),
		)
	case securitykey.ScreenTouch:
		return para(lang.L("Choose Next, then touch your security key (its button or gold disc) when it blinks."))
	case securitykey.ScreenName:
		if v.name.Text == "" {
			v.name.SetText(k.SuggestName(keyName))
		}
		return container.NewVBox(
			para(lang.L("Your security key is verified. Give it a name, so you can tell your keys apart.")),
			widget.NewForm(widget.NewFormItem(lang.L("Name"), v.name)),
		)
	case securitykey.ScreenDone:
		return container.NewVBox(widget.NewIcon(theme.ConfirmIcon()),
			para(lang.L("Your security key \"{{.Name}}\" is registered. Use it when you sign in: insert it and touch it.", map[string]any{"Name": shownLabel(info.KindSecurityKey, k.Name(), 0)})))
	}
	return container.NewVBox(widget.NewIcon(theme.WarningIcon()), para(v.u.say(k.Problem())), para(lang.L("Choose Next to try again.")))
}

func (v *securityKeyView) canNext(s wizard.Setup) bool { return v.setup(s) != nil && !v.waiting }

func (v *securityKeyView) focus(s wizard.Setup) fyne.Focusable {
	if v.waiting {
		// The one thing to do while the key blinks: the PIN field that
		// had the keyboard is gone from the page.
		return v.cancel
	}
	switch v.setup(s).Screen() {
	case securitykey.ScreenPIN:
		return v.pin
	case securitykey.ScreenName:
		return v.name
	}
	return nil
}

// keyName is the nth security key's suggested name in the language in
// use: "Security key", then "Security key 2"…, as the wizard numbers them.
func keyName(n int) string {
	if n < 2 {
		return lang.L("Security key")
	}
	return lang.L("Security key {{.N}}", map[string]any{"N": n})
}

// shown is the error to put under the page: nil when the problem page
// already says it. Its words (wordsFor) say what to do next; the log
// keeps the whole chain.
func (v *securityKeyView) shown(k *securitykey.Setup, err error) error {
	if err == nil || k.Screen() == securitykey.ScreenProblem {
		return nil
	}
	return err
}

// wrongPINWords is a wrong PIN's words with the tries left, in the
// language in use: securitykey.Error.Words, whose English sentence holds a
// number and so can't be a key. "" for any other error, for a wrong PIN
// whose tries left are not known (its words are a key), and when an
// error with words of its own wraps the key's (as words.Of, the first
// speaks).
func wrongPINWords(err error) string {
	var w words.Worded
	if !errors.As(err, &w) {
		return ""
	}
	e, ok := w.(*securitykey.Error)
	if !ok || !errors.Is(e.Problem, securitykey.ErrWrongPIN) || e.Left < 1 {
		return ""
	}
	return lang.N("That PIN isn't right. Check it and try again ({{.Count}} tries left before the key's PIN is blocked).", e.Left, map[string]any{"Count": e.Left})
}

func (v *securityKeyView) next(s wizard.Setup, finish func(error)) {
	k := v.setup(s)
	switch k.Screen() {
	case securitykey.ScreenInsert:
		background(v.u, k.Detect, func(err error) { finish(v.shown(k, err)) })
	case securitykey.ScreenPIN, securitykey.ScreenTouch:
		pin := v.pin.Text
		v.pin.SetText("")
		v.waiting = true
		v.u.host.refresh()
		// refresh redraws the page without moving the keyboard: hand it
		// to Stop waiting (focus) as a new page would.
		v.u.win.Canvas().Focus(v.focus(s))
		background(v.u, func() error { return k.Register(pin) }, func(err error) {
			v.waiting = false
			finish(v.shown(k, err))
		})
	case securitykey.ScreenName:
		// A default name in any language is stored in English, as the
		// wizard numbers and compares the defaults (storedName, whose
		// first call reads the translation files: off the UI thread too).
		typed := v.name.Text
		background(v.u, func() error { return k.Save(storedName(info.KindSecurityKey, typed)) }, func(err error) {
			if err == nil {
				v.name.SetText("")
			}
			finish(v.shown(k, err))
		})
	case securitykey.ScreenProblem:
		finish(v.shown(k, k.Retry()))
	default:
		finish(nil)
	}
}

// onCancel stops waiting for a touch.
func (v *securityKeyView) onCancel() {
	if k, ok := v.u.flow.Setup().(*securitykey.Setup); ok {
		k.CancelRequest()
	}
}

// forgetPIN empties the PIN field: a PIN must never outlive its use, so
// it goes whenever the key's PIN screen does (Back, a problem, the wait
// for a touch) and when the person leaves the method (leftPIN).
func (v *securityKeyView) forgetPIN() {
	if v.pin.Text != "" {
		v.pin.SetText("")
	}
}

// leftPIN forgets the PIN unless the security key's PIN screen is the
// page showing. The host draws only the method in progress, so the UI
// calls this at every page shown: leaving the method for the chooser or
// another step takes the PIN with it.
func (v *securityKeyView) leftPIN() {
	if v.u.flow.Page() == wizard.PageMethod && !v.waiting {
		if k, ok := v.u.flow.Setup().(*securitykey.Setup); ok && k.Screen() == securitykey.ScreenPIN {
			return
		}
	}
	v.forgetPIN()
}

// tick has nothing to count down: the key's own time-out ends a wait.
func (v *securityKeyView) tick() {}

// wipe forgets everything typed for the last person.
func (v *securityKeyView) wipe() {
	v.pin.SetText("")
	v.name.SetText("")
	v.waiting = false
}

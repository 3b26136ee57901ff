package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// methodView draws one method's screens inside the wizard host. Each
// method package of wizard/ has one in this package.
type methodView interface {
	// heading names the setup's current screen ("Scan the QR code").
	heading(s wizard.Setup) string
	// body returns the widgets for the setup's current screen.
	body(s wizard.Setup) fyne.CanvasObject
	// canNext reports whether the host's Next button is enabled.
	canNext(s wizard.Setup) bool
	// next does the method's Next on its current screen. It reads its
	// widgets on the UI thread, may work in the background, and calls
	// finish on the UI thread when done, with an error to show or nil.
	next(s wizard.Setup, finish func(error))
	// focus returns the widget that takes the keyboard first, or nil.
	focus(s wizard.Setup) fyne.Focusable
	// tick is the view's second's beat, for its timers (the kiosk's QR
	// hiding, the resend countdown).
	tick()
	// wipe empties the view's entries for the next person.
	wipe()
}

// methodViews holds each method's view, by kind.
type methodViews map[info.Kind]methodView

// tick gives every view its second's beat.
func (m methodViews) tick() {
	for _, v := range m {
		v.tick()
	}
}

// wipe empties every view's entries for the next person.
func (m methodViews) wipe() {
	for _, v := range m {
		v.wipe()
	}
}

// shortName is the method's name in the wizard's progress line
// ("Method 1 of 2: App").
func shortName(k info.Kind) string {
	switch k {
	case info.KindAuthenticatorApp:
		return lang.L("App")
	default:
		return translate(wizard.Describe(k).Title)
	}
}

// methodName names a registered method: its kind, then its label
// (methodLabel) when the label says more ("Phone: +1 ••• ••• 1234",
// "Authenticator app: Pixel 8"), never the same words twice
// ("Authenticator app").
func methodName(m info.Method) string {
	title := translate(wizard.Describe(m.Kind).Title)
	label := methodLabel(m)
	if label == "" || strings.EqualFold(strings.TrimSpace(label), title) {
		return title
	}
	return title + ": " + label
}

// unavailableView explains that a method can't be set up here, so a
// required method is never skipped silently.
type unavailableView struct{ u *UI }

func (v unavailableView) body(s wizard.Setup) fyne.CanvasObject {
	un, _ := s.(*wizard.Unavailable)
	title := translate(wizard.Describe(s.Kind()).Title)
	var text string
	switch {
	case un != nil && un.Err != nil:
		text = lang.L("{{.Method}} can't be set up right now.", map[string]any{"Method": title}) + " " + wordsFor(un.Err)
	default:
		text = lang.L("Setting up {{.Method}} isn't available in this version of Security Info yet.", map[string]any{"Method": title})
	}
	next := lang.L("Choose \"I want to set up a different method\" below, or ask your helpdesk to set it up with you.")
	if st, ok := v.u.flow.Step(); ok && st.Optional {
		next = lang.L("You can skip this section and come back to it later.")
	} else if ok && st.Required {
		next += " " + lang.L("Your organisation requires it, so you can't finish until it is set up.")
	}
	l := widget.NewLabel(text + "\n\n" + next)
	l.Wrapping = fyne.TextWrapWord
	return container.NewVBox(widget.NewIcon(theme.WarningIcon()), l)
}

func (unavailableView) heading(wizard.Setup) string             { return lang.L("Not available here yet") }
func (unavailableView) canNext(wizard.Setup) bool               { return false }
func (unavailableView) next(_ wizard.Setup, finish func(error)) { finish(wizard.ErrStepNotDone) }
func (unavailableView) focus(wizard.Setup) fyne.Focusable       { return nil }
func (unavailableView) tick()                                   {}
func (unavailableView) wipe()                                   {}

package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// keyringPage says that the system keyring, where secrets are kept, is
// missing or locked, and what to do. The app never stores secrets
// anywhere else instead.
type keyringPage struct {
	u *UI

	heading  *widget.Label
	about    *widget.Label
	detail   *widget.Label
	retry    *keyButton
	activity *widget.Activity
	box      fyne.CanvasObject
}

func newKeyringPage(u *UI) *keyringPage {
	p := &keyringPage{u: u}
	p.detail = para("")
	p.retry = newButton(lang.L("Try again"), p.onRetry)
	p.retry.Importance = widget.HighImportance
	p.activity = widget.NewActivity()
	p.activity.Hide()
	p.heading = heading("")
	p.about = para("")
	p.box = framed(container.NewVBox(
		p.heading,
		p.detail,
		p.about,
		container.NewHBox(newButton(lang.L("Back"), p.onBack), layoutSpacer(), p.activity, p.retry),
	))
	return p
}

func (p *keyringPage) title() string { return lang.L("Keyring not available") }

func (p *keyringPage) content() fyne.CanvasObject {
	err := p.u.flow.KeyringError()
	p.heading.SetText(lang.L("Your system keyring isn't available"))
	p.about.SetText(lang.L("Security Info keeps secrets such as authenticator keys only in your system's keyring " +
		"(GNOME Keyring or KWallet on Linux, Keychain on macOS, Credential Manager on Windows) " +
		"and never anywhere else. Nothing was saved."))
	switch {
	case errors.Is(err, info.ErrDirectoryUnavailable):
		p.heading.SetText(lang.L("Your organisation's directory isn't answering"))
		p.about.SetText(lang.L("Security Info keeps what you register in your organisation's directory and never on this machine. Nothing half-done was kept."))
		p.detail.SetText(lang.L("The directory server did not answer in time. Wait a minute and choose Try again; if it keeps happening, ask your helpdesk."))
	case errors.Is(err, info.ErrKeyringLocked):
		p.detail.SetText(lang.L("Your keyring is locked. Unlock it (for example by signing in to your desktop again, or with your keyring app), then choose Try again."))
	default:
		p.detail.SetText(lang.L("The keyring service did not answer. Make sure you are signed in to a desktop session with a keyring running (GNOME Keyring, KWallet), or ask your helpdesk, then choose Try again."))
	}
	return p.box
}

func (p *keyringPage) focus() fyne.Focusable { return nil }
func (p *keyringPage) onEnter()              { p.onRetry() }

func (p *keyringPage) onBack() { _ = p.u.handle(p.u.flow.Back()) }

func (p *keyringPage) onRetry() {
	if p.retry.Disabled() {
		return
	}
	p.retry.Disable()
	p.activity.Show()
	p.activity.Start()
	background(p.u, p.u.flow.CheckKeyring, func(err error) {
		p.activity.Stop()
		p.activity.Hide()
		p.retry.Enable()
		_ = p.u.flow.KeyringChecked(err)
		p.u.show()
	})
}

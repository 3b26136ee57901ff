package ui

import (
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// ClipboardLifetime is how long a copied secret stays on the clipboard.
const ClipboardLifetime = 30 * time.Second

// copySecret puts value on the clipboard and clears it after
// ClipboardLifetime if it still holds value, so a secret does not linger
// for the next app (or person) to paste. Never offered in kiosk mode.
func (u *UI) copySecret(value string) {
	u.copyNoted(value, nil)
}

// copyNoted is copySecret that says so in note (when not nil): copied, and
// cleared from the clipboard in 30 s; then that it was cleared.
func (u *UI) copyNoted(value string, note *widget.Label) {
	cb := u.app.Clipboard()
	cb.SetContent(value)
	u.copied = value
	if note != nil {
		note.SetText(lang.L("Copied. It is cleared from the clipboard in {{.ClipboardLifetime}} s.", map[string]any{"ClipboardLifetime": int(ClipboardLifetime / time.Second)}))
		note.Show()
	}
	u.after(ClipboardLifetime, func() {
		if cb.Content() == value {
			cb.SetContent("")
			if note != nil {
				note.SetText(lang.L("Cleared from the clipboard."))
			}
		}
	})
}

// clearCopied takes the secret the app last put on the clipboard off it,
// if the clipboard still holds it (anything copied since is the person's
// own), and forgets it: at a wipe and on every way out, since quitting
// before ClipboardLifetime would leave it for the next app to paste.
func (u *UI) clearCopied() {
	if u.copied != "" && u.app.Clipboard().Content() == u.copied {
		u.app.Clipboard().SetContent("")
	}
	u.copied = ""
}

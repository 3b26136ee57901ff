package ui

import (
	"time"
)

// ClipboardLifetime is how long a copied secret stays on the clipboard.
const ClipboardLifetime = 30 * time.Second

// copySecret puts value on the clipboard and clears it after
// ClipboardLifetime if it still holds value, so a secret does not linger
// for the next app (or person) to paste. Never offered in kiosk mode.
func (u *UI) copySecret(value string) {
	cb := u.app.Clipboard()
	cb.SetContent(value)
	u.copied = value
	u.after(ClipboardLifetime, func() {
		if cb.Content() == value {
			cb.SetContent("")
		}
	})
}

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyDialog is a dialog that owns the keyboard while it is open (#15 item
// 1): Enter takes its default action, Escape dismisses it, and no key
// reaches the page behind it (UI.onTypedKey). Fyne's own dialogs leave
// the keyboard to the window and their buttons take only Space, so every
// dialog of the app is made here, as a Fyne custom dialog with keyButtons.
type keyDialog struct {
	*dialog.CustomDialog
	u *UI
	// confirm and dismiss are its buttons; confirm is nil in a dialog with
	// a single button.
	confirm, dismiss *keyButton
	// callback hears how it closed: true from confirm, false otherwise.
	callback func(bool)
	// onConfirm is what confirming does; by default it closes the dialog
	// with true. A dialog that checks what was typed first sets it, and
	// closes itself (close) only once the check passed.
	onConfirm func()
	// first takes the keyboard when the dialog opens (the field to type in).
	first fyne.Focusable
	// message shows what went wrong inside the dialog (fail); nil in a
	// dialog that can't fail.
	message *widget.Label
	popup   fyne.CanvasObject
	closed  bool
}

// newKeyDialog makes a dialog with content and the buttons dismiss and
// (unless empty) confirm, in Fyne's order: dismiss, then confirm.
func (u *UI) newKeyDialog(title, confirm, dismiss string, content fyne.CanvasObject, callback func(bool)) *keyDialog {
	d := &keyDialog{u: u, callback: callback}
	d.CustomDialog = dialog.NewCustomWithoutButtons(title, content, u.win)
	d.dismiss = newButton(dismiss, func() { d.close(false) })
	buttons := []fyne.CanvasObject{d.dismiss}
	if confirm != "" {
		d.confirm = newButton(confirm, d.Confirm)
		d.confirm.Importance = widget.HighImportance
		buttons = append(buttons, d.confirm)
	}
	d.SetButtons(buttons)
	return d
}

// newConfirm is dialog.NewConfirm: message, No and Yes (Fyne's words,
// translated by Fyne), with Enter for Yes.
func (u *UI) newConfirm(title, message string, callback func(bool)) *keyDialog {
	label := &widget.Label{Text: message, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	d := u.newKeyDialog(title, lang.L("Yes"), lang.L("No"), label, callback)
	// As Fyne sizes its text dialogs: the message on one line if it fits,
	// at most 600 wide and 90% of the window.
	// (A label's width is its text's and an inner padding each side:
	// measured without making one.)
	w := fyne.MeasureText(message, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding() + 32 + theme.Padding()*2
	w = min(w, 600, u.win.Canvas().Size().Width*0.9)
	d.Resize(fyne.NewSize(w, d.MinSize().Height))
	return d
}

// newForm is dialog.NewForm with the form's entries submitting on Enter
// and room for an error under the form (fail).
func (u *UI) newForm(title, confirm, dismiss string, items []*widget.FormItem, callback func(bool)) *keyDialog {
	message := errorLabel()
	message.Hide()
	d := u.newKeyDialog(title, confirm, dismiss, container.NewVBox(widget.NewForm(items...), message), callback)
	d.message = message
	for _, it := range items {
		if e, ok := it.Widget.(*keyEntry); ok {
			if d.first == nil {
				d.first = e
			}
			if e.OnSubmitted == nil {
				e.OnSubmitted = func(string) { d.Confirm() }
			}
		}
	}
	return d
}

// newCustom is dialog.NewCustom: content and one button, which Enter and
// Escape both press.
func (u *UI) newCustom(title, dismiss string, content fyne.CanvasObject) *keyDialog {
	return u.newKeyDialog(title, "", dismiss, content, nil)
}

// SetConfirmText names the confirm button.
func (d *keyDialog) SetConfirmText(text string) { d.confirm.SetText(text) }

// SetDismissText names the dismiss button.
func (d *keyDialog) SetDismissText(text string) { d.dismiss.SetText(text) }

// Show opens the dialog with the keyboard on its first field.
func (d *keyDialog) Show() {
	d.closed = false
	d.CustomDialog.Show()
	c := d.u.win.Canvas()
	d.popup = c.Overlays().Top()
	if d.u.dialogs == nil {
		d.u.dialogs = map[fyne.CanvasObject]*keyDialog{}
	}
	d.u.dialogs[d.popup] = d
	if d.first != nil {
		c.Focus(d.first)
	}
}

// Hide closes the dialog as dismissed.
func (d *keyDialog) Hide() { d.close(false) }

// Dismiss closes the dialog as dismissed.
func (d *keyDialog) Dismiss() { d.close(false) }

// Confirm takes the dialog's default action: its confirm button's, or in
// a dialog with one button, that button's.
func (d *keyDialog) Confirm() {
	switch {
	case d.confirm == nil:
		d.close(false)
	case d.confirm.Disabled():
	case d.onConfirm != nil:
		d.onConfirm()
	default:
		d.close(true)
	}
}

// close hides the dialog and tells callback how, once.
func (d *keyDialog) close(ok bool) {
	if d.closed {
		return
	}
	d.closed = true
	d.CustomDialog.Hide()
	delete(d.u.dialogs, d.popup)
	if d.callback != nil {
		d.callback(ok)
	}
}

// fail shows text in the dialog, which stays open for another try (#16
// item 11: an error shown on the page behind it is far from what it
// concerns, and closing throws away what was typed).
func (d *keyDialog) fail(text string) {
	if d.closed {
		return
	}
	d.message.SetText(text)
	d.message.Show()
	d.Refresh()
	if d.first != nil {
		d.u.win.Canvas().Focus(d.first)
	}
}

// busy greys the confirm button while the dialog's action runs, so a
// second Enter does not start it twice.
func (d *keyDialog) busy(on bool) {
	if d.confirm == nil {
		return
	}
	if on {
		d.confirm.Disable()
	} else {
		d.confirm.Enable()
	}
}

// showFileDialog shows Fyne's file dialog f, which Escape dismisses when it
// reaches the window: after a click on a file or folder, or anywhere but
// the dialog's fields and buttons. Fyne's save dialog starts with the
// keyboard in its name field, and its field and buttons drop Escape (Fyne
// 2.7.1 gives a focused widget every key and offers no hook), so there
// Escape does nothing until the focus leaves them.
func (u *UI) showFileDialog(f *dialog.FileDialog) {
	f.Show()
	top := u.win.Canvas().Overlays().Top()
	if u.fileDialogs == nil {
		u.fileDialogs = map[fyne.CanvasObject]*dialog.FileDialog{}
	}
	u.fileDialogs[top] = f
	f.SetOnClosed(func() { delete(u.fileDialogs, top) })
}

// dialogKey is a key that no control of the top dialog took: Enter takes
// the dialog's default action, Escape dismisses it. Other overlays
// (Fyne's file dialog, a drop-down's list) keep their own keys.
func (u *UI) dialogKey(top fyne.CanvasObject, ev *fyne.KeyEvent) {
	if f := u.fileDialogs[top]; f != nil && ev.Name == fyne.KeyEscape {
		f.Dismiss()
		return
	}
	d := u.dialogs[top]
	if d == nil {
		return
	}
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		d.Confirm()
	case fyne.KeyEscape:
		d.Dismiss()
	}
}

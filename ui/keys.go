package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The keyboard: Fyne's buttons and links take only Space, and a key that a
// focused widget does not use never reaches the window (UI.onTypedKey).
// These small types add what a keyboard user expects (#15 item 1): Enter
// activates a focused button or link, Escape reaches the window from
// whatever has the keyboard, so an open dialog closes from its field or
// its buttons as well, and the region picker opens from its field.

// keyButton is a button that Enter activates as well as Space.
type keyButton struct {
	widget.Button
	// focused is whether it has the keyboard (for the danger ring): Fyne
	// keeps its own flag private.
	focused bool
}

// newButton is widget.NewButton that Enter activates as well as Space.
func newButton(text string, tapped func()) *keyButton {
	b := &keyButton{Button: widget.Button{Text: text, OnTapped: tapped}}
	b.ExtendBaseWidget(b)
	return b
}

// newButtonWithIcon is widget.NewButtonWithIcon that Enter activates as
// well as Space.
func newButtonWithIcon(text string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{Button: widget.Button{Text: text, Icon: icon, OnTapped: tapped}}
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey takes Enter as Space (a tap when enabled) and passes Escape on
// to the window.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Button.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	case fyne.KeyEscape:
		passOn(b, ev)
	default:
		b.Button.TypedKey(ev)
	}
}

// CreateRenderer draws Fyne's button, with a focus ring on a danger
// button. Focus blends one colour over every button, and on the red
// danger button ("Reset all security info…", "Remove all") it changed it
// by only 2:1 (3:1 would need an error red so dark or pale that error
// text no longer looks red): a ring in the button's text colour, inside
// its edge, marks the focus there at the text's own contrast (WCAG 2.4.7).
func (b *keyButton) CreateRenderer() fyne.WidgetRenderer {
	ring := canvas.NewRectangle(color.Transparent)
	ring.Hide()
	return &ringRenderer{WidgetRenderer: b.Button.CreateRenderer(), b: b, ring: ring}
}

// FocusLost takes the ring away with Fyne's focus colour.
func (b *keyButton) FocusLost() {
	b.focused = false
	b.Button.FocusLost()
}

// ringRenderer is a button's renderer with a focus ring drawn on top.
type ringRenderer struct {
	fyne.WidgetRenderer
	b    *keyButton
	ring *canvas.Rectangle
	objs []fyne.CanvasObject
}

// ringInset is the ring's distance from the button's edge; ringWidth its
// stroke.
const ringInset, ringWidth = 3, 2

func (r *ringRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.ring.Move(fyne.NewPos(ringInset, ringInset))
	r.ring.Resize(size.SubtractWidthHeight(2*ringInset, 2*ringInset))
}

// Objects is the button's objects and the ring, built again only when
// the button's change: the painter asks every frame.
func (r *ringRenderer) Objects() []fyne.CanvasObject {
	inner := r.WidgetRenderer.Objects()
	same := len(r.objs) == len(inner)+1
	for i := 0; same && i < len(inner); i++ {
		same = r.objs[i] == inner[i]
	}
	if !same {
		r.objs = append(append(r.objs[:0], inner...), r.ring)
	}
	return r.objs
}

func (r *ringRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	if r.b.Importance != widget.DangerImportance || r.b.Disabled() || !r.b.focused {
		r.ring.Hide()
		return
	}
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.ring.StrokeColor = th.Color(theme.ColorNameForegroundOnError, v)
	r.ring.StrokeWidth = ringWidth
	r.ring.CornerRadius = max(th.Size(theme.SizeNameInputRadius)-ringInset, 0)
	r.ring.Show()
	r.ring.Refresh()
}

// keyLink is a hyperlink that Enter follows as well as Space.
type keyLink struct{ widget.Hyperlink }

// TypedKey takes Enter as Space and passes Escape on to the window.
func (l *keyLink) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		l.Hyperlink.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	case fyne.KeyEscape:
		passOn(l, ev)
	default:
		l.Hyperlink.TypedKey(ev)
	}
}

// keyEntry is an entry of a dialog: Escape, which an entry ignores, goes
// on to the window, which dismisses the dialog.
type keyEntry struct{ widget.Entry }

// newKeyEntry is widget.NewEntry for a dialog.
func newKeyEntry() *keyEntry {
	e := &keyEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// newKeyPasswordEntry is widget.NewPasswordEntry for a dialog.
func newKeyPasswordEntry() *keyEntry {
	e := &keyEntry{widget.Entry{Password: true}}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey passes Escape on to the window.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		passOn(e, ev)
		return
	}
	e.Entry.TypedKey(ev)
}

// keySelect is a drop-down of a dialog or a page: Enter and Escape, which
// a select ignores, go on to the window (the dialog's default action,
// dismiss; the page's action).
type keySelect struct{ widget.Select }

// newKeySelect is widget.NewSelect for a dialog or a page.
func newKeySelect(options []string, changed func(string)) *keySelect {
	s := &keySelect{widget.Select{Options: options, OnChanged: changed}}
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey passes Enter and Escape on to the window.
func (s *keySelect) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyEscape:
		passOn(s, ev)
	default:
		s.Select.TypedKey(ev)
	}
}

// passOn gives ev to the window's own key handler, as Fyne does for a key
// typed while nothing has the keyboard.
func passOn(o fyne.CanvasObject, ev *fyne.KeyEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return
	}
	if f := c.OnTypedKey(); f != nil {
		f(ev)
	}
}

// regionEntry is the phone page's region picker: a field that narrows the
// list as the person types, whose list opens with the Down key (or Alt+Down)
// as well as with the arrow beside it. The arrow takes no keyboard focus:
// a Tab stop that only does what Down does is one more key for nothing.
type regionEntry struct {
	widget.SelectEntry
	open func() // opens the list, as the arrow does
}

// newRegionEntry is widget.NewSelectEntry with the keyboard added.
func newRegionEntry() *regionEntry {
	e := &regionEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(nil) // Fyne makes its arrow button here
	if b, ok := e.ActionItem.(*widget.Button); ok {
		e.open = b.OnTapped
		arrow := &dropArrow{}
		arrow.Icon, arrow.Importance, arrow.OnTapped = b.Icon, b.Importance, b.OnTapped
		arrow.ExtendBaseWidget(arrow)
		e.ActionItem = arrow
	}
	return e
}

// TypedKey opens the list on Down; everything else is the entry's.
func (e *regionEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyDown && e.open != nil && !e.Disabled() {
		e.open()
		return
	}
	e.SelectEntry.TypedKey(ev)
}

// TypedShortcut opens the list on Alt+Down, as drop-downs elsewhere do;
// everything else is the entry's (copy, paste, select all).
func (e *regionEntry) TypedShortcut(sc fyne.Shortcut) {
	if k, ok := sc.(*desktop.CustomShortcut); ok && k.KeyName == fyne.KeyDown && k.Modifier == fyne.KeyModifierAlt && e.open != nil && !e.Disabled() {
		e.open()
		return
	}
	e.SelectEntry.TypedShortcut(sc)
}

// dropArrow is the region picker's arrow: a button the pointer taps but
// Tab passes by.
type dropArrow struct {
	widget.Button
	// FocusGained, as a field, hides the embedded button's method of that
	// name: without it the arrow is not a fyne.Focusable, so Fyne's focus
	// order skips it.
	FocusGained struct{}
}

// FocusGained shows the button as focused and scrolls it into view: Fyne's
// scroll containers don't follow the keyboard, and a button reached with
// Tab below the fold (Manage's Create under 40 app passwords) would take
// Enter unseen.
func (b *keyButton) FocusGained() {
	b.focused = true
	b.Button.FocusGained()
	scrollIntoView(b)
}

// FocusGained shows the link as focused and scrolls it into view.
func (l *keyLink) FocusGained() {
	l.Hyperlink.FocusGained()
	scrollIntoView(l)
}

// scrollIntoView scrolls the innermost scroll container around o, if any,
// just far enough that o is wholly in view.
func scrollIntoView(o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	c := d.CanvasForObject(o)
	if c == nil {
		return
	}
	root := c.Content()
	if top := c.Overlays().Top(); top != nil {
		root = top
	}
	at := d.AbsolutePositionForObject(o)
	var inner *container.Scroll
	var walk func(fyne.CanvasObject)
	walk = func(x fyne.CanvasObject) {
		switch x := x.(type) {
		case *fyne.Container:
			for _, child := range x.Objects {
				walk(child)
			}
		case *container.Scroll:
			if x.Content == nil || !x.Visible() {
				return
			}
			cAt, cSize := d.AbsolutePositionForObject(x.Content), x.Content.Size()
			if at.Y >= cAt.Y && at.Y < cAt.Y+cSize.Height && at.X >= cAt.X && at.X < cAt.X+cSize.Width {
				inner = x
				walk(x.Content)
			}
		}
	}
	walk(root)
	if inner == nil || inner.Direction == container.ScrollHorizontalOnly {
		return
	}
	y := at.Y - d.AbsolutePositionForObject(inner.Content).Y // o's top in the content
	h, view := o.Size().Height, inner.Size().Height
	switch {
	case y < inner.Offset.Y:
		inner.Offset.Y = y
	case y+h > inner.Offset.Y+view:
		inner.Offset.Y = min(y+h-view, y)
	default:
		return
	}
	inner.Refresh()
}

// keyCheck is a check box that Enter toggles as well as Space, as GTK's
// do (and as every other control here takes Enter as Space), and that
// passes Escape on to the window, so a dialog closes from it.
type keyCheck struct{ widget.Check }

// newCheck is widget.NewCheck with the keyboard added.
func newCheck(text string, changed func(bool)) *keyCheck {
	c := &keyCheck{widget.Check{Text: text, OnChanged: changed}}
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey takes Enter as Space and passes Escape on to the window.
func (c *keyCheck) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		c.Check.TypedRune(' ')
	case fyne.KeyEscape:
		passOn(c, ev)
	default:
		c.Check.TypedKey(ev)
	}
}

// keyRadio is a radio group whose options take Enter: Enter on an option
// not chosen chooses it, as Space does; Enter on the chosen one goes on
// with it, as Enter in the fields above it does (the window's Enter: the
// page's primary action, or the open dialog's). So a person who Tabs to
// "Call me" and presses Enter gets "Call me" chosen, not the page
// submitted with the option they were not on; a second Enter goes on.
// Fyne's radio options are internal and drop every key but Space, so
// the options are check boxes drawn with Fyne's radio icons.
type keyRadio struct {
	widget.BaseWidget
	// Selected is the chosen option, never empty once set (a radio group
	// with Required).
	Selected string
	items    []*radioOption
	changed  func(string)
}

// newRadio is widget.NewRadioGroup with Required set and the keyboard
// added.
func newRadio(options []string, changed func(string)) *keyRadio {
	r := &keyRadio{changed: changed}
	for _, o := range options {
		it := &radioOption{group: r}
		it.Text = o
		it.ExtendBaseWidget(it)
		r.items = append(r.items, it)
	}
	r.ExtendBaseWidget(r)
	return r
}

// SetSelected chooses option.
func (r *keyRadio) SetSelected(option string) {
	if r.Selected == option {
		return
	}
	r.Selected = option
	for _, it := range r.items {
		it.Checked = it.Text == option
		it.Refresh()
	}
	if r.changed != nil {
		r.changed(option)
	}
}

// CreateRenderer stacks the options, drawn with the radio icons.
func (r *keyRadio) CreateRenderer() fyne.WidgetRenderer {
	box := container.New(layout.NewCustomPaddedVBoxLayout(0)) // as Fyne's radio group: no gap
	for _, it := range r.items {
		box.Add(it)
	}
	return widget.NewSimpleRenderer(container.NewThemeOverride(box, radioIcons{}))
}

// radioOption is one option of a keyRadio.
type radioOption struct {
	widget.Check
	group *keyRadio
}

// Tapped chooses the option; a tap on the chosen one keeps it.
func (o *radioOption) Tapped(ev *fyne.PointEvent) {
	if o.Checked {
		return
	}
	o.Check.Tapped(ev) // on the circle or the text: checks and focuses it
	if o.Checked {
		o.group.SetSelected(o.Text)
	}
}

// TypedRune chooses the option on Space.
func (o *radioOption) TypedRune(r rune) {
	if r == ' ' && !o.Disabled() {
		o.group.SetSelected(o.Text)
	}
}

// TypedKey chooses the option on Enter, or, if it is chosen already, goes
// on (the window's Enter); Escape goes on to the window.
func (o *radioOption) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !o.Checked && !o.Disabled() {
			o.group.SetSelected(o.Text)
			return
		}
		passOn(o, ev)
	case fyne.KeyEscape:
		passOn(o, ev)
	}
}

// radioIcons is the app's theme with the check box's icons swapped for
// the radio button's: a radioOption looks like Fyne's radio option.
type radioIcons struct{}

func (radioIcons) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

// Color is the app theme's.
func (t radioIcons) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.current().Color(n, v)
}

// Font is the app theme's.
func (t radioIcons) Font(s fyne.TextStyle) fyne.Resource { return t.current().Font(s) }

// Size is the app theme's.
func (t radioIcons) Size(n fyne.ThemeSizeName) float32 { return t.current().Size(n) }

// Icon is the app theme's, with the radio button's icons for the check
// box's.
func (t radioIcons) Icon(n fyne.ThemeIconName) fyne.Resource {
	switch n {
	case theme.IconNameCheckButton:
		n = theme.IconNameRadioButton
	case theme.IconNameCheckButtonChecked:
		n = theme.IconNameRadioButtonChecked
	case theme.IconNameCheckButtonFill:
		n = theme.IconNameRadioButtonFill
	}
	return t.current().Icon(n)
}

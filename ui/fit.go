package ui

import (
	"image"
	"math"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// This file fits the window to small screens and large scales: the window
// never opens larger than the screen, the wizard's header gives way to
// the method's screen, and the QR code shrinks to the room it has.

// windowSize is the window's size at start, in Fyne units: wanted, made
// small enough that the window, its title bar and a desktop's panels fit
// on a screen of screenW×screenH pixels at scale.
func windowSize(wanted fyne.Size, screenW, screenH int, scale float32) fyne.Size {
	if screenW <= 0 || screenH <= 0 || scale <= 0 {
		return wanted
	}
	// Room for a title bar and a panel: 64 pixels, and a little at the
	// sides.
	maxW := float32(screenW) / scale
	maxH := float32(screenH-64) / scale
	if screenH < 600 {
		maxH = float32(screenH-40) / scale
	}
	return fyne.NewSize(min(wanted.Width, float32(math.Floor(float64(maxW)))), min(wanted.Height, float32(math.Floor(float64(maxH)))))
}

// userScale is the scale the person asked for, as Fyne reads it:
// FYNE_SCALE, else the scale in Fyne's settings, else 1. The window's
// size in units is multiplied by it on screen, and by what the monitor's
// DPI adds (fitToScreen checks once the window is shown).
func userScale(a fyne.App) float32 {
	if s, err := strconv.ParseFloat(os.Getenv("FYNE_SCALE"), 32); err == nil && s > 0 {
		return float32(s)
	}
	if s := a.Settings().Scale(); s > 0 {
		return s
	}
	return 1
}

// fitToScreen shrinks a shown window that is larger than the screen, now
// that its real scale is known (FYNE_SCALE times what the monitor's DPI
// adds).
func fitToScreen(w fyne.Window, screenW, screenH int) {
	s := w.Canvas().Scale()
	size := w.Canvas().Size()
	fit := windowSize(size, screenW, screenH, s)
	if fit != size {
		w.Resize(fit)
	}
}

// frameLayout lays out the wizard's frame: a header on top, the way
// forward (Back, Next, Cancel) at the bottom, both always in view, and
// the method's screen in between. When the window is too short for the
// whole header to leave center at least centerWant, the header's
// optional rows are hidden, first to last, until it does (or none is
// left), so that a small window shows the QR code rather than the
// organisation's name twice.
type frameLayout struct {
	// top is the header; optional are those of its rows that may go, in
	// the order they go.
	top        *fyne.Container
	optional   []fyne.CanvasObject
	centerWant float32
}

// Objects: top, center, bottom.
func (f *frameLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	top, center, bottom := objs[0], objs[1], objs[2]
	pad := f.padding()
	bh := bottom.MinSize().Height
	hide := 0 // how many optional rows go
	for hide < len(f.optional) && size.Height-f.topHeight(hide)-bh-2*pad < f.centerWant {
		hide++
	}
	for i, o := range f.optional {
		if i < hide && o.Visible() {
			o.Hide()
		} else if i >= hide && !o.Visible() {
			o.Show()
		}
	}
	th := f.topHeight(hide)
	top.Move(fyne.NewPos(0, 0))
	top.Resize(fyne.NewSize(size.Width, th))
	bottom.Move(fyne.NewPos(0, size.Height-bh))
	bottom.Resize(fyne.NewSize(size.Width, bh))
	center.Move(fyne.NewPos(0, th+pad))
	center.Resize(fyne.NewSize(size.Width, max(0, size.Height-th-bh-2*pad)))
}

// MinSize is the frame with every optional row hidden.
func (f *frameLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	center, bottom := objs[1], objs[2]
	pad := f.padding()
	w := float32(0)
	for _, o := range f.top.Objects {
		if f.optionalAt(o) < 0 && o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	cm, bm := center.MinSize(), bottom.MinSize()
	return fyne.NewSize(max(w, cm.Width, bm.Width), f.topHeight(len(f.optional))+cm.Height+bm.Height+2*pad)
}

// topHeight is the header's height as a box lays it out with the first
// hide optional rows hidden.
func (f *frameLayout) topHeight(hide int) float32 {
	h, n := float32(0), 0
	for _, o := range f.top.Objects {
		i := f.optionalAt(o)
		if i >= 0 && i < hide || i < 0 && !o.Visible() {
			continue
		}
		h += o.MinSize().Height
		n++
	}
	if n > 1 {
		h += f.padding() * float32(n-1)
	}
	return h
}

// optionalAt is o's place among the optional rows, -1 if it is not one.
func (f *frameLayout) optionalAt(o fyne.CanvasObject) int {
	for i, x := range f.optional {
		if x == o {
			return i
		}
	}
	return -1
}

func (f *frameLayout) padding() float32 { return theme.Padding() }

// growLayout stacks its objects top to bottom, each as tall as it needs,
// and gives the room left to one of them, grow. The host gives a method
// screen laid out with it the card's whole height (the scan screen: the
// QR code grows), where other screens get their own height only.
type growLayout struct {
	grow fyne.CanvasObject
}

func (g *growLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	heights := make([]float32, len(objs))
	used, n := float32(0), 0
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		n++
		if o == g.grow {
			continue
		}
		// At the full width first: wrapped text is only as tall as its
		// lines at the width it will have.
		o.Resize(fyne.NewSize(size.Width, o.Size().Height))
		heights[i] = o.MinSize().Height
		used += heights[i]
	}
	if n > 1 {
		used += pad * float32(n-1)
	}
	y := float32(0)
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		h := heights[i]
		if o == g.grow {
			h = max(o.MinSize().Height, size.Height-used)
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + pad
	}
}

func (g *growLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w, h = max(w, m.Width), h+m.Height
		n++
	}
	if n > 1 {
		h += theme.Padding() * float32(n-1)
	}
	return fyne.NewSize(w, h)
}

// collapsing shows l, and nothing (no height) while its text is empty:
// an error label under the QR code takes no room from it until there is
// an error to show.
func collapsing(l *widget.Label) fyne.CanvasObject {
	return container.New(collapseLayout{l}, l)
}

type collapseLayout struct{ l *widget.Label }

func (c collapseLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	c.l.Move(fyne.NewPos(0, 0))
	c.l.Resize(size)
}

func (c collapseLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	if c.l.Text == "" {
		return fyne.NewSize(0, 0)
	}
	return c.l.MinSize()
}

// isGrowing reports whether c is laid out with growLayout.
func isGrowing(c *fyne.Container) bool {
	_, ok := c.Layout.(*growLayout)
	return ok
}

// qrMinModulePixels is the fewest screen pixels a QR module may be drawn
// with: a phone's camera reads 2-pixel modules from a screen at a hand's
// distance, and zbarimg reads them from a screenshot.
const qrMinModulePixels = 2

// qrFit shows a QR code as large as its room allows, up to qrTarget
// units (or maxUnits), in a whole number of screen pixels per module (an odd number of
// pixels per module blurs the code for a camera), centred.
type qrFit struct {
	widget.BaseWidget
	modules int // side in modules, quiet zone included
	img     *canvas.Image
	// on is the canvas it is shown on, for its scale: before its first
	// frame the widget is not known to any canvas yet.
	on fyne.Canvas
	// maxUnits is the most it is drawn at; 0 means qrTarget.
	maxUnits float32
}

// newQRFit shows one, a QR code drawn one pixel per module, on canvas c.
func newQRFit(one image.Image, c fyne.Canvas) *qrFit {
	img := canvas.NewImageFromImage(one)
	img.ScaleMode = canvas.ImageScalePixels
	img.FillMode = canvas.ImageFillStretch
	q := &qrFit{modules: one.Bounds().Dx(), img: img, on: c}
	q.ExtendBaseWidget(q)
	return q
}

// scale is the canvas's pixels per unit.
func (q *qrFit) scale() float32 {
	if q.on != nil && q.on.Scale() > 0 {
		return q.on.Scale()
	}
	return 1
}

// modulePixels is how many screen pixels each module gets in size.
func (q *qrFit) modulePixels(size fyne.Size, scale float32) int {
	most := float32(qrTarget)
	if q.maxUnits > 0 {
		most = q.maxUnits
	}
	room := min(size.Width, size.Height, most) * scale
	return max(qrMinModulePixels, int(room)/q.modules)
}

// MinSize is the code at the fewest pixels per module.
func (q *qrFit) MinSize() fyne.Size {
	side := float32(q.modules*qrMinModulePixels) / q.scale()
	return fyne.NewSize(side, side)
}

func (q *qrFit) CreateRenderer() fyne.WidgetRenderer { return &qrFitRenderer{q} }

type qrFitRenderer struct{ q *qrFit }

func (r *qrFitRenderer) Layout(size fyne.Size) {
	s := r.q.scale()
	px := r.q.modulePixels(size, s)
	side := float32(r.q.modules*px) / s
	// Whole pixels from the widget's corner, so that modules fall on
	// pixel boundaries.
	x := float32(math.Floor(float64((size.Width-side)/2*s))) / s
	r.q.img.Move(fyne.NewPos(max(0, x), 0))
	r.q.img.Resize(fyne.NewSize(side, side))
}

func (r *qrFitRenderer) MinSize() fyne.Size           { return r.q.MinSize() }
func (r *qrFitRenderer) Refresh()                     { r.Layout(r.q.Size()); r.q.img.Refresh() }
func (r *qrFitRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.q.img} }
func (r *qrFitRenderer) Destroy()                     {}

// monoBreak lays out a label of monospaced text wrapped anywhere
// (fyne.TextWrapBreak) with what else its container holds, as inner
// would, after breaking the text into lines itself. Fyne finds where a
// wrapped line ends by measuring the text up to a guess, some eight
// guesses a line, and shapes each guess anew: for a new key's URL about
// fifteen shapings on the UI thread, more than the rest of the screen
// costs. In a monospaced font every character is as wide as a "0", so the
// lines follow from one measurement (kept by Fyne), and the label, given
// lines that fit, measures each line once. Lines end where Fyne's would.
// Text with anything but printable ASCII, which the font may lack, is left
// to Fyne.
type monoBreak struct {
	inner fyne.Layout
	label *widget.Label
	// beside is on the label's right (inner is a border layout with it on
	// the right), or nil: the label has the whole width.
	beside fyne.CanvasObject
	text   string  // unbroken
	ascii  bool    // text is printable ASCII
	width  float32 // the label's width text is broken for
}

// setText shows s, broken for the label's width (at its first layout if
// it has none yet).
func (m *monoBreak) setText(s string) {
	m.text, m.ascii, m.width = s, printableASCII(s), -1
	m.breakFor(m.label.Size().Width)
}

// Layout breaks the text for the width the label gets, then lays out.
func (m *monoBreak) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := size.Width
	if m.beside != nil && m.beside.Visible() {
		w -= m.beside.MinSize().Width + theme.Padding() // as the border layout does
	}
	m.breakFor(w)
	m.inner.Layout(objs, size)
}

// MinSize is inner's.
func (m *monoBreak) MinSize(objs []fyne.CanvasObject) fyne.Size { return m.inner.MinSize(objs) }

// breakFor breaks the text for a label width wide. Without a width (not
// laid out yet, or a layout pass with no room) the label keeps what it
// shows: broken now, it would be measured unbroken, for nothing.
func (m *monoBreak) breakFor(width float32) {
	if width <= 0 || width == m.width {
		return
	}
	m.width = width
	text := m.text
	if m.ascii {
		text = breakEvery(text, monoPerLine(m.label, width))
	}
	if text != m.label.Text {
		m.label.SetText(text)
	}
}

// monoPerLine is how many monospaced characters fit on a line of a label
// width wide, as Fyne's wrapping counts: at least one.
func monoPerLine(l *widget.Label, width float32) int {
	th := l.Theme()
	room := width - 2*th.Size(theme.SizeNameInnerPadding)
	adv := fyne.MeasureText("0", th.Size(theme.SizeNameText), fyne.TextStyle{Monospace: true}).Width
	if adv <= 0 || room < adv {
		return 1
	}
	n := int(room / adv)
	for float32(n+1)*adv <= room {
		n++
	}
	for n > 1 && float32(n)*adv > room {
		n--
	}
	return n
}

// breakEvery puts a line break after every n bytes of s.
func breakEvery(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/n)
	for len(s) > n {
		b.WriteString(s[:n])
		b.WriteByte('\n')
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

// printableASCII reports whether s is all printable ASCII.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

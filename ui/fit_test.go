package ui

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
)

// The window opens at its usual size where it fits, and no larger than
// the screen (less a title bar and a panel) where it doesn't, at any
// scale.
func TestWindowSize_NeverLargerThanTheScreen(t *testing.T) {
	want := fyne.NewSize(800, 760)
	for _, tc := range []struct {
		w, h  int
		scale float32
		fit   fyne.Size
	}{
		{1920, 1080, 1, want},
		{1920, 1080, 2, fyne.NewSize(800, 508)},
		{1280, 900, 1.5, fyne.NewSize(800, 557)},
		{640, 480, 1, fyne.NewSize(640, 440)},
		{640, 480, 2, fyne.NewSize(320, 220)},
		{0, 0, 1, want}, // screen unknown
	} {
		got := windowSize(want, tc.w, tc.h, tc.scale)
		if got != tc.fit {
			t.Errorf("%d×%d at %.1f: %v, want %v", tc.w, tc.h, tc.scale, got, tc.fit)
		}
		if tc.w > 0 && (got.Width*tc.scale > float32(tc.w) || got.Height*tc.scale > float32(tc.h)) {
			t.Errorf("%d×%d at %.1f: %v is larger than the screen", tc.w, tc.h, tc.scale, got)
		}
	}
}

// The QR code is drawn in a whole number of screen pixels per module, at
// least qrMinModulePixels, as many as its room allows up to qrTarget,
// at every scale.
func TestQRFit_WholePixelsPerModule(t *testing.T) {
	one := image.NewPaletted(image.Rect(0, 0, 57, 57), color.Palette{color.White, color.Black})
	for _, scale := range []float32{1, 1.25, 1.5, 1.75, 2} {
		q := newQRFit(one, &scaledCanvas{Canvas: test.NewCanvas(), scale: scale})
		for _, room := range []float32{60, 120, 200, 300, 500} {
			r := test.WidgetRenderer(q)
			q.Resize(fyne.NewSize(room, room))
			r.Layout(fyne.NewSize(room, room))
			side := q.img.Size().Width
			px := side * scale / 57
			if math.Abs(float64(px-float32(math.Round(float64(px))))) > 1e-3 || px < qrMinModulePixels {
				t.Errorf("scale %.2f, room %.0f: %.3f pixels per module", scale, room, px)
			}
			if fits := float32(57*qrMinModulePixels)/scale <= room; fits && side > room+1e-3 {
				t.Errorf("scale %.2f, room %.0f: drawn %.1f, larger than its room", scale, room, side)
			}
			if next := (px + 1) * 57 / scale; next <= min(room, qrTarget) {
				t.Errorf("scale %.2f, room %.0f: %.0f pixels per module, but %.0f would fit", scale, room, px, px+1)
			}
		}
	}
}

// scaledCanvas is a test canvas at another scale.
type scaledCanvas struct {
	fyne.Canvas
	scale float32
}

func (c *scaledCanvas) Scale() float32 { return c.scale }

// On a 640×440 window (a 640×480 screen less its title bar) the QR code
// shows whole and at its least size or more, without scrolling, and Back
// and Next are in the window; the organisation's rows have given way.
func TestHost_SmallWindowShowsTheWholeQRAndTheButtons(t *testing.T) {
	h, _ := toScan(t, testPolicy)
	h.w.Resize(fyne.NewSize(640, 440))
	h.u.show()
	win := h.w.Canvas().Size()
	d := fyne.CurrentApp().Driver()
	inside := func(what string, o fyne.CanvasObject) {
		t.Helper()
		p, s := d.AbsolutePositionForObject(o), o.Size()
		if !o.Visible() || s.Width == 0 || p.X < 0 || p.Y < 0 || p.X+s.Width > win.Width || p.Y+s.Height > win.Height {
			t.Errorf("%s at %v size %v: not wholly in the %v window", what, p, s, win)
		}
	}
	var qr *qrFit
	var scroll *container.Scroll
	for _, o := range objects(h.w.Canvas()) {
		switch x := o.(type) {
		case *qrFit:
			qr = x
		case *container.Scroll:
			scroll = x
		}
	}
	if qr == nil || scroll == nil {
		t.Fatal("no QR code or no scroll area on the scan screen")
	}
	inside("the QR code", qr.img)
	inside("Next", h.u.host.next)
	inside("Back", h.u.host.back)
	if px := qr.img.Size().Width / 57; px < qrMinModulePixels {
		t.Errorf("QR drawn at %.1f pixels per module", px)
	}
	if c := scroll.Content.Size().Height; c > scroll.Size().Height {
		t.Errorf("the card scrolls (%.0f in %.0f): the QR code should have shrunk instead", c, scroll.Size().Height)
	}
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "requires you to set up") {
			t.Error("the organisation's sentence is still shown in a small window")
		}
	}
	// At a comfortable size the header is whole again.
	h.w.Resize(fyne.NewSize(800, 900))
	h.u.show()
	found := false
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "requires you to set up") {
			found = true
		}
	}
	if !found {
		t.Error("the organisation's sentence is hidden in a tall window")
	}
}

// The scale the window is sized for is FYNE_SCALE's, else 1 (the test
// app's settings have none).
func TestUserScale(t *testing.T) {
	a := test.NewTempApp(t)
	t.Setenv("FYNE_SCALE", "1.5")
	if s := userScale(a); s != 1.5 {
		t.Errorf("FYNE_SCALE=1.5: %v", s)
	}
	t.Setenv("FYNE_SCALE", "auto")
	if s := userScale(a); s <= 0 {
		t.Errorf("FYNE_SCALE=auto: %v", s)
	}
}

// A framed page (sign-in) narrows to a window narrower than its column,
// as 640×480 at scale 1.5 is (426 units): the window need not be wider
// than the screen, and the page's button stays in it.
func TestFramed_NarrowWindow(t *testing.T) {
	h := newHarness(t, testPolicy, withAuthApp)
	h.w.Resize(fyne.NewSize(426, 293))
	h.u.show()
	if w := h.w.Content().MinSize().Width; w > 426 {
		t.Errorf("the sign-in page needs %.0f units of width", w)
	}
	p, s := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.u.signIn.submit), h.u.signIn.submit.Size()
	if p.X < 0 || p.X+s.Width > 426 {
		t.Errorf("the sign-in button at %v size %v is not within the 426-unit window", p, s)
	}
}

// A manual-entry value broken into lines by monoBreak shows the same lines
// as Fyne's own wrapping of the whole text would, at every width and in
// every theme, also after the width changes; text that isn't printable
// ASCII is left to Fyne.
func TestMonoBreak_LinesAsFyneWrapsThem(t *testing.T) {
	a := test.NewTempApp(t)
	texts := []string{
		"otpauth://totp/Contoso:someone@contoso.example?secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567&issuer=Contoso&algorithm=SHA1&digits=6&period=30",
		"ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567",
		"Contoso:jürgen@contoso.example, a name with ü",
	}
	for _, th := range []fyne.Theme{test.Theme(), newAppTheme(wizard.Policy{Theme: themeLight}), newAppTheme(wizard.Policy{Theme: themeHighContrast})} {
		a.Settings().SetTheme(th)
		for _, text := range texts {
			value := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
			value.Wrapping = fyne.TextWrapBreak
			m := &monoBreak{inner: layout.NewVBoxLayout(), label: value}
			ours := container.New(m, value)
			m.setText(text)
			for _, w := range []float32{700, 23, 31, 90, 200, 333, 469.84375, 548, 120.5, 1000} {
				fyne_ := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
				fyne_.Wrapping = fyne.TextWrapBreak
				fyne_.Resize(fyne.NewSize(w, 500))
				ours.Resize(fyne.NewSize(w, 500))
				got, want := textRows(value), textRows(fyne_)
				if strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("%q at width %v: rows %q, Fyne's %q", text, w, got, want)
				}
				// The label was handed the lines already broken (what
				// saves the measuring), or, for text that isn't
				// printable ASCII, the text as it is.
				breaks, ascii := strings.Count(value.Text, "\n"), !strings.ContainsFunc(text, func(r rune) bool { return r < ' ' || r > '~' })
				if ascii && breaks != len(want)-1 || !ascii && breaks != 0 {
					t.Errorf("%q at width %v: the label holds %d line breaks for %d rows", text, w, breaks, len(want))
				}
			}
		}
	}
}

// textRows is the text of each row l shows.
func textRows(l *widget.Label) []string {
	var rows []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *canvas.Text:
			if x.Visible() {
				rows = append(rows, x.Text)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(l)
	return rows
}

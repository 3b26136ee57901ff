//go:build e2e

package e2e

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The primary button's colours in the app's light and dark themes
// (ui/theme.go), as drawn and when it has the keyboard (the focus colour
// blended over it): how the test finds Next on the screen, whatever it
// says and whichever variant the desktop prefers.
var primaryColours = [][3]uint8{
	{0x08, 0x23, 0x5a}, blendOver([3]uint8{0x08, 0x23, 0x5a}, [3]uint8{0x33, 0x7e, 0xc8}, 0xe5),
	{0xd3, 0xe3, 0xfd}, blendOver([3]uint8{0xd3, 0xe3, 0xfd}, [3]uint8{0x3e, 0x7b, 0xae}, 0xea),
}

func blendOver(under, over [3]uint8, alpha uint8) [3]uint8 {
	var out [3]uint8
	a := float64(alpha) / 255
	for i := range out {
		out[i] = uint8(float64(over[i])*a + float64(under[i])*(1-a) + 0.5)
	}
	return out
}

// TestRealWindow_FitsSmallAndScaledScreens opens the app on a small
// screen, a scaled one and a full HD one, and goes to the authenticator
// app's QR code as a person would. In each the window must fit on the
// screen, the QR code on screen must decode (zbarimg), and Next must be
// on screen: found by its colour and clicked, it leaves the QR code.
func TestRealWindow_FitsSmallAndScaledScreens(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"zbarimg", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make test`, which installs it", tool)
		}
	}
	for _, tc := range []struct{ screen, scale string }{
		{"640x480", "1.0"},
		{"1280x900", "1.5"},
		{"1920x1080", "1.0"},
		{"1920x1080", "2.0"},
	} {
		t.Run(tc.screen+"-scale-"+tc.scale, func(t *testing.T) {
			t.Parallel() // each screen is an X server of its own
			s := newSessionOn(t, tc.screen)
			// Dark, so that the QR code's white is the only pure white on
			// screen (measured below).
			s.env = append(s.env, "FYNE_SCALE="+tc.scale, "FYNE_THEME=dark")
			screenW, screenH := parseSize(t, tc.screen)
			s.start()
			s.signInWith(demoPassword)
			s.waitTitle("More information required")
			s.key("Return")
			s.waitTitle("Keep your account secure — Authenticator app")
			s.key("Return") // Start by getting the app: Next
			s.waitPaint()
			s.key("Return") // Set up your account: Next
			s.waitPaint()
			shot := s.qrShot("scan")

			x, y, w, h := s.geometry()
			t.Logf("screen %s, FYNE_SCALE %s: window %d×%d at %d,%d", tc.screen, tc.scale, w, h, x, y)
			if x < 0 || y < 0 || x+w > screenW || y+h > screenH {
				t.Errorf("the window (%d×%d at %d,%d) is larger than the %s screen", w, h, x, y, tc.screen)
			}
			uri, err := zbar(shot)
			if err != nil || !strings.HasPrefix(uri, "otpauth://totp/") {
				t.Fatalf("no QR code read from the screen: %q %v", uri, err)
			}
			px, modules := modulePixels(t, shot)
			t.Logf("QR code: %d modules (quiet zone included) of %d×%d pixels", modules, px, px)
			if px < 2 {
				t.Errorf("QR modules of %d pixels", px)
			}
			next, ok := findColour(t, shot, primaryColours...)
			if !ok {
				t.Fatal("no Next button (the primary colour) on the screen")
			}
			t.Logf("Next at %v", next)
			if next.Dx() < 40 || next.Dy() < 20 || next.Max.X > screenW || next.Max.Y > screenH {
				t.Fatalf("the primary-coloured area %v is not a whole button on the screen", next)
			}
			c := next.Min.Add(next.Max).Div(2)
			s.xdotool("mousemove", strconv.Itoa(c.X), strconv.Itoa(c.Y), "click", "1")
			s.waitPaint()
			// Up to 10 s more for the next page on a loaded machine.
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
				if _, err := zbar(s.shot("after-next")); err != nil {
					break
				}
			}
			after := s.shot("after-next")
			if uri, err := zbar(after); err == nil {
				t.Errorf("after a click on Next the QR code (%q) is still shown: what was clicked is not Next", uri)
			}
		})
	}
}

// modulePixels measures the QR code in the screenshot at path: its
// white square (the only pure white on a dark screen) must be a whole
// number of modules of a whole number of pixels, the finder pattern in
// its corner 7 modules wide after a 4-module quiet zone.
func modulePixels(t *testing.T, path string) (px, modules int) {
	t.Helper()
	box, ok := findColour(t, path, [3]uint8{0xff, 0xff, 0xff})
	if !ok || box.Dx() != box.Dy() {
		t.Fatalf("the QR code's white square is %v", box)
	}
	img := decode(t, path)
	// Along the finder pattern's top row: white (quiet zone), then black.
	y := box.Min.Y
	for y < box.Max.Y && !rowHasDark(img, box, y) {
		y++
	}
	x := box.Min.X
	for x < box.Max.X && !dark(img, x, y) {
		x++
	}
	quiet := x - box.Min.X
	run := 0
	for ; x < box.Max.X && dark(img, x, y); x++ {
		run++
	}
	if quiet == 0 || quiet%4 != 0 || run != 7*quiet/4 || box.Dx()%(quiet/4) != 0 {
		t.Fatalf("QR code %v: quiet zone %d pixels, finder %d: not whole pixels per module", box, quiet, run)
	}
	px = quiet / 4
	return px, box.Dx() / px
}

func rowHasDark(img image.Image, box image.Rectangle, y int) bool {
	for x := box.Min.X; x < box.Max.X; x++ {
		if dark(img, x, y) {
			return true
		}
	}
	return false
}

func dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r < 0x4000 && g < 0x4000 && b < 0x4000
}

func decode(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// geometry is the window's position and size on the screen, in pixels.
func (s *session) geometry() (x, y, w, h int) {
	s.t.Helper()
	out := s.xdotool("getwindowgeometry", "--shell", s.win)
	v := map[string]int{}
	for _, line := range strings.Fields(out) {
		k, val, _ := strings.Cut(line, "=")
		v[k], _ = strconv.Atoi(val)
	}
	return v["X"], v["Y"], v["WIDTH"], v["HEIGHT"]
}

func parseSize(t *testing.T, s string) (w, h int) {
	if _, err := fmt.Sscanf(s, "%dx%d", &w, &h); err != nil {
		t.Fatalf("screen size %q: %v", s, err)
	}
	return w, h
}

// zbar reads the one QR code in the picture at path.
func zbar(path string) (string, error) {
	out, err := exec.Command("zbarimg", "--raw", "-q", path).Output()
	if err != nil {
		return "", fmt.Errorf("zbarimg: %w", err)
	}
	uri := strings.TrimSpace(string(out))
	if uri == "" || strings.Contains(uri, "\n") {
		return "", errors.New("not exactly one QR code")
	}
	return uri, nil
}

// findColour is the bounding box of the pixels of the screenshot at path
// that are exactly one of colours.
func findColour(t *testing.T, path string, colours ...[3]uint8) (image.Rectangle, bool) {
	t.Helper()
	img := decode(t, path)
	var box image.Rectangle
	found := false
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			px := [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}
			for _, c := range colours {
				if px == c {
					p := image.Rect(x, y, x+1, y+1)
					if !found {
						box, found = p, true
					} else {
						box = box.Union(p)
					}
				}
			}
		}
	}
	return box, found
}

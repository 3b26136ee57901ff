package authapp

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// dark reports whether the pixel at (x, y) is black; it fails the test on
// any colour other than pure black or white.
func dark(t *testing.T, img image.Image, x, y int) bool {
	t.Helper()
	r, g, b, a := img.At(x, y).RGBA()
	switch {
	case r == 0 && g == 0 && b == 0 && a == 0xffff:
		return true
	case r == 0xffff && g == 0xffff && b == 0xffff && a == 0xffff:
		return false
	}
	t.Fatalf("pixel (%d,%d) is %v, neither black nor white", x, y, img.At(x, y))
	return false
}

// moduleGrid checks that img is made of px×px one-colour squares and
// returns the grid of modules (true = dark).
func moduleGrid(t *testing.T, img image.Image, px int) [][]bool {
	t.Helper()
	b := img.Bounds()
	if b.Min != (image.Point{}) || b.Dx() != b.Dy() {
		t.Fatalf("image bounds %v: want a square at the origin", b)
	}
	if b.Dx()%px != 0 {
		t.Fatalf("side %d is not a whole number of %d-pixel modules", b.Dx(), px)
	}
	n := b.Dx() / px
	grid := make([][]bool, n)
	for my := range n {
		grid[my] = make([]bool, n)
		for mx := range n {
			v := dark(t, img, mx*px, my*px)
			for y := my * px; y < (my+1)*px; y++ {
				for x := mx * px; x < (mx+1)*px; x++ {
					if dark(t, img, x, y) != v {
						t.Fatalf("module (%d,%d) is not one colour at pixel (%d,%d)", mx, my, x, y)
					}
				}
			}
			grid[my][mx] = v
		}
	}
	return grid
}

func TestQRImage_ModulesAndQuietZone(t *testing.T) {
	uri, err := URI("Contoso Ltd", "alice@contoso.example", rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	one, err := QRImage(uri, 1)
	if err != nil {
		t.Fatal(err)
	}
	base := moduleGrid(t, one, 1)
	n := len(base)
	symbol := n - 2*QuietZone
	if (symbol-17)%4 != 0 || symbol < 21 {
		t.Fatalf("symbol is %d modules wide, not a QR version size", symbol)
	}
	for _, px := range []int{1, 2, 3, 5, 7} {
		img, err := QRImage(uri, px)
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != n*px {
			t.Fatalf("px %d: side %d, want %d", px, img.Bounds().Dx(), n*px)
		}
		grid := moduleGrid(t, img, px)
		for y := range n {
			for x := range n {
				if grid[y][x] != base[y][x] {
					t.Fatalf("px %d: module (%d,%d) differs from the 1-pixel image", px, x, y)
				}
				inQuiet := x < QuietZone || y < QuietZone || x >= n-QuietZone || y >= n-QuietZone
				if inQuiet && grid[y][x] {
					t.Fatalf("px %d: quiet zone module (%d,%d) is dark", px, x, y)
				}
			}
		}
		// The symbol starts right after the quiet zone: the top-left finder
		// pattern's top edge is 7 dark modules, then a light separator.
		for x := QuietZone; x < QuietZone+7; x++ {
			if !grid[QuietZone][x] {
				t.Fatalf("px %d: finder pattern missing at module (%d,%d)", px, x, QuietZone)
			}
		}
		if grid[QuietZone][QuietZone+7] {
			t.Fatalf("px %d: no separator after the finder pattern", px)
		}
	}
}

func TestQRImage_BadModuleSize(t *testing.T) {
	for _, px := range []int{0, -3, MaxModulePixels + 1} {
		if _, err := QRImage("x", px); !errors.Is(err, ErrModuleSize) {
			t.Errorf("QRImage(px=%d) = %v; want ErrModuleSize", px, err)
		}
	}
}

func TestQRPNG_DecodesToURI(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg (Debian zbar-tools) is not installed")
	}
	dir := t.TempDir()
	for i, tc := range []struct{ issuer, account string }{
		{"Contoso", "alice@contoso.example"},
		{"Contoso Ltd & Sons #1?", "bob smith+tag@example.com"},
		{"Société Générale 100%", "jörg/日本@bank.example"},
	} {
		secret, _ := NewSecret(seeded(int64(i)))
		uri, err := URI(tc.issuer, tc.account, secret)
		if err != nil {
			t.Fatal(err)
		}
		data, err := QRPNG(uri, 4)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("PNG does not decode: %v", err)
		}
		if m, ok := img.ColorModel().(color.Palette); ok && len(m) != 2 {
			t.Fatalf("palette has %d colours", len(m))
		}
		file := filepath.Join(dir, "qr.png")
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbar, "--raw", "-q", file).Output()
		if err != nil {
			t.Fatalf("zbarimg: %v", err)
		}
		if got := strings.TrimRight(string(out), "\n"); got != uri {
			t.Fatalf("zbarimg read\n %q\nwant\n %q", got, uri)
		}
	}
}

package authapp

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"

	qrcode "github.com/skip2/go-qrcode"
)

// QuietZone is the width, in modules, of the white border around a QR code.
const QuietZone = 4

// MaxModulePixels bounds the size of one QR module in pixels.
const MaxModulePixels = 64

// ErrModuleSize means a QR module size outside 1–MaxModulePixels pixels.
var ErrModuleSize = errors.New("the QR module size must be between 1 and 64 pixels")

// QRImage draws uri as a QR code at medium error correction: black modules
// on white (whatever the theme), each module exactly modulePixels by
// modulePixels pixels, with a QuietZone-module white border. The image is
// (modules+2*QuietZone)*modulePixels pixels square, so the UI can pick
// modulePixels from QRImage(uri, 1).Bounds().
func QRImage(uri string, modulePixels int) (image.Image, error) {
	if modulePixels < 1 || modulePixels > MaxModulePixels {
		return nil, fmt.Errorf("%d pixels: %w", modulePixels, ErrModuleSize)
	}
	q, err := qrcode.New(uri, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("make the QR code: %w", err)
	}
	// Draw the modules ourselves: go-qrcode's Image(size) maps pixels to
	// modules by float rounding, which can give modules of uneven size.
	q.DisableBorder = true
	bm := q.Bitmap()
	side := (len(bm) + 2*QuietZone) * modulePixels
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y, row := range bm {
		for x, dark := range row {
			if !dark {
				continue
			}
			x0, y0 := (x+QuietZone)*modulePixels, (y+QuietZone)*modulePixels
			for py := y0; py < y0+modulePixels; py++ {
				off := img.PixOffset(x0, py)
				for i := range modulePixels {
					img.Pix[off+i] = 1
				}
			}
		}
	}
	return img, nil
}

// QRPNG is QRImage encoded as PNG.
func QRPNG(uri string, modulePixels int) ([]byte, error) {
	img, err := QRImage(uri, modulePixels)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode the QR code as PNG: %w", err)
	}
	return buf.Bytes(), nil
}

package authapp_test

// Benchmarks of what the QR code page does on the UI thread when it opens:
// a new secret, its otpauth URI, and the QR image at the size the UI draws
// it (ui's qrImage: whole pixels per module, about 300 pixels across). Run
// them with bench/run.sh, or:
//
//	go test -run '^$' -bench . -benchmem ./wizard/authapp/

import (
	crand "crypto/rand"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/authapp"
)

// benchQRTarget is ui's qrTarget: the QR code's size on screen, in pixels.
const benchQRTarget = 300

// benchQRImage draws uri as the UI does: once at one pixel per module to
// learn its size, then at the whole number of pixels per module that fits
// benchQRTarget.
func benchQRImage(b *testing.B, uri string) {
	one, err := authapp.QRImage(uri, 1)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := authapp.QRImage(uri, max(1, benchQRTarget/one.Bounds().Dx())); err != nil {
		b.Fatal(err)
	}
}

func benchURI(b *testing.B) string {
	secret, err := authapp.NewSecret(crand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	uri, err := authapp.URI("Contoso", "alice@contoso.example", secret)
	if err != nil {
		b.Fatal(err)
	}
	return uri
}

func BenchmarkNewSecret(b *testing.B) {
	for b.Loop() {
		if _, err := authapp.NewSecret(crand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkURI(b *testing.B) {
	secret, err := authapp.NewSecret(crand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := authapp.URI("Contoso", "alice@contoso.example", secret); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQRImage is the scan screen's QR code at its on-screen size.
func BenchmarkQRImage(b *testing.B) {
	uri := benchURI(b)
	for b.Loop() {
		benchQRImage(b, uri)
	}
}

// BenchmarkQRPage is everything the QR page computes: a new secret, its
// URI and the QR image at its on-screen size.
func BenchmarkQRPage(b *testing.B) {
	for b.Loop() {
		benchQRImage(b, benchURI(b))
	}
}

// BenchmarkQRDownload is the get-app screen's QR code of the download
// link, at 3 pixels per module as the UI draws it.
func BenchmarkQRDownload(b *testing.B) {
	for b.Loop() {
		if _, err := authapp.QRImage("https://aka.ms/getauthenticator", 3); err != nil {
			b.Fatal(err)
		}
	}
}

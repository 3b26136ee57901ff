package ui

import (
	"image/png"
	"os"
	"os/exec"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/securityinfo/securityinfo/wizard"
)

// TestAuthApp_QROnScreenDecodes renders the scan page in Fyne's light and
// dark themes and the app's light, dark and high-contrast ones, as drawn,
// and has zbarimg (what a phone does) read it back: it must be exactly
// the URI, dark on white in each.
func TestAuthApp_QROnScreenDecodes(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatal("zbarimg is missing: run `make test`, which installs zbar-tools")
	}
	for _, variant := range []struct {
		name  string
		theme fyne.Theme
	}{
		{"light", theme.LightTheme()}, {"dark", theme.DarkTheme()}, //nolint:staticcheck // both variants on purpose
		{"app light", newAppTheme(wizard.Policy{Theme: themeLight})},
		{"app dark", newAppTheme(wizard.Policy{Theme: themeDark})},
		{"app high-contrast", newAppTheme(wizard.Policy{Theme: themeHighContrast})},
	} {
		t.Run(variant.name, func(t *testing.T) {
			h, a := toScan(t, testPolicy)
			h.u.app.Settings().SetTheme(variant.theme)
			h.u.show()
			img := h.w.Canvas().Capture()
			f, err := os.CreateTemp("", "securityinfo-scan-*.png")
			if err != nil {
				t.Fatal(err)
			}
			path := f.Name()
			t.Cleanup(func() { os.Remove(path) })
			if err := png.Encode(f, img); err != nil {
				t.Fatal(err)
			}
			f.Close()
			out, err := exec.Command("zbarimg", "--raw", "-q", path).Output()
			if err != nil {
				t.Fatalf("zbarimg read no QR code from the %s page: %v", variant.name, err)
			}
			if got := strings.TrimSpace(string(out)); got != a.URI() {
				t.Errorf("QR on screen = %q, want %q", got, a.URI())
			}
		})
	}
}

// The download page's QR code, drawn to fit too, reads back as the app's
// download address.
func TestAuthApp_DownloadQROnScreenDecodes(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatal("zbarimg is missing: run `make test`, which installs zbar-tools")
	}
	h := newHarness(t, testPolicy, withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Authenticator app")
	f, err := os.CreateTemp("", "securityinfo-download-*.png")
	if err != nil {
		t.Fatal(err)
	}
	path := f.Name()
	t.Cleanup(func() { os.Remove(path) })
	if err := png.Encode(f, h.w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command("zbarimg", "--raw", "-q", path).Output()
	if err != nil {
		t.Fatalf("zbarimg read no QR code from the download page: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != DownloadURL {
		t.Errorf("QR on screen = %q, want %q", got, DownloadURL)
	}
}

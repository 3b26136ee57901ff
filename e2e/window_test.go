//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The window's WM_CLASS is the desktop entry's StartupWMClass, "Security
// Info", so that docks and task bars match the window to its entry.
func TestRealWindow_WMClassMatchesTheDesktopEntry(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	s.start("--demo")
	s.waitTitle("Sign in")
	cmd := exec.Command("xprop", "-id", s.win, "WM_CLASS")
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xprop: %v: %s", err, out)
	}
	if !strings.Contains(string(out), `"Security Info", "Security Info"`) {
		t.Errorf("WM_CLASS = %s, want \"Security Info\" as the desktop entry's StartupWMClass", strings.TrimSpace(string(out)))
	}
}

// A display that refuses the connection (the wrong XAUTHORITY) gets the
// "no display" line and exit code, not a graphics driver panic.
func TestRealWindow_RefusedDisplaySaysSo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	right, wrong := filepath.Join(dir, "right"), filepath.Join(dir, "wrong")
	// The server takes every cookie in its -auth file whatever display it
	// names, so the right one can be written before the display is known;
	// the wrong one must name the display, or the app would not send it.
	addCookie := func(file, display string) {
		cookie, err := exec.Command("mcookie").Output()
		if err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("xauth", "-f", file, "add", display, ".", strings.TrimSpace(string(cookie))).CombinedOutput(); err != nil {
			t.Fatalf("xauth: %v: %s", err, out)
		}
	}
	addCookie(right, ":0")
	display, _ := startXvfb(t, "640x480", "-auth", right)
	addCookie(wrong, display)
	app := exec.Command(bin, "--demo", "--data-dir", filepath.Join(dir, "data"))
	app.Env = append(os.Environ(), "DISPLAY="+display, "XAUTHORITY="+wrong, "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
	out, err := app.CombinedOutput()
	if err == nil {
		t.Fatalf("the app ran on a display that refuses it:\n%s", out)
	}
	if strings.Contains(string(out), "panic") || !strings.Contains(string(out), "no display") || !strings.Contains(string(out), "XAUTHORITY") {
		t.Errorf("output:\n%s", out)
	}
}

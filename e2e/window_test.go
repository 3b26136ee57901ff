//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	for _, f := range []string{right, wrong} {
		cookie, err := exec.Command("mcookie").Output()
		if err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("xauth", "-f", f, "add", ":97", ".", strings.TrimSpace(string(cookie))).CombinedOutput(); err != nil {
			t.Fatalf("xauth: %v: %s", err, out)
		}
	}
	x := exec.Command("Xvfb", ":97", "-auth", right, "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	for i := 0; i < 100; i++ {
		if _, err := os.Stat("/tmp/.X11-unix/X97"); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	app := exec.Command(bin, "--demo", "--data-dir", filepath.Join(dir, "data"))
	app.Env = append(os.Environ(), "DISPLAY=:97", "XAUTHORITY="+wrong, "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
	out, err := app.CombinedOutput()
	if err == nil {
		t.Fatalf("the app ran on a display that refuses it:\n%s", out)
	}
	if strings.Contains(string(out), "panic") || !strings.Contains(string(out), "no display") || !strings.Contains(string(out), "XAUTHORITY") {
		t.Errorf("output:\n%s", out)
	}
}

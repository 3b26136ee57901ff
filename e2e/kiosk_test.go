//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRealWindow_KioskFullScreenAndIdleWipe starts a kiosk station: the
// window covers the screen, and a person who walks away mid-wizard is
// signed out with nothing left on screen once the idle time runs out.
func TestRealWindow_KioskFullScreenAndIdleWipe(t *testing.T) {
	t.Parallel() // it waits out the idle time
	s := newSession(t)
	policy := filepath.Join(s.root, "kiosk.toml")
	os.WriteFile(policy, []byte(`organisation = "Contoso"
demo = true
mode = "kiosk"
required = ["authenticator-app", "phone"]
idle_timeout = "20s"
`), 0o644)
	s.start("--policy", policy)
	s.waitTitle("Sign in")
	s.waitPaint()
	geo := s.xdotool("getwindowgeometry", s.win)
	if !regexp.MustCompile(`Geometry: 1280x900`).MatchString(geo) {
		t.Errorf("the kiosk window is not full screen: %s", geo)
	}
	s.shot("kiosk-sign-in")

	if !strings.Contains(s.errOut.String(), "kiosk station; per-person secrets are kept in this machine's keyring") {
		t.Errorf("the log does not say where secrets are kept: %q", s.errOut.String())
	}

	s.typeText("demo@contoso.example")
	s.key("Return")
	s.typeText("contoso-demo-2026")
	s.key("Return")
	s.waitTitle("More information required")
	s.key("Return")
	s.waitTitle("Keep your account secure — Authenticator app")
	left := time.Now()
	s.eventuallyWithin(40*time.Second, "back to sign-in after the idle time", func() bool {
		return s.title() == "Security Info — Sign in"
	})
	if idle := time.Since(left); idle < 15*time.Second {
		t.Errorf("wiped after only %v", idle)
	}
	s.waitPaint()
	s.shot("wiped")

	// A close request (the window manager's close button) is refused
	// without the station passphrase: the window stays, asking for it.
	closeReq := exec.Command("/usr/bin/python3", "testdata/close-request.py", s.win)
	closeReq.Env = s.env
	if out, err := closeReq.CombinedOutput(); err != nil {
		t.Fatalf("sending the close request: %v: %s", err, out)
	}
	s.waitPaint()
	s.shot("close-refused")
	if s.app.Process.Signal(syscall.Signal(0)) != nil || s.title() != "Security Info — Sign in" {
		t.Fatal("the kiosk closed without the passphrase")
	}
	s.stop()
	log, _, _ := s.run("", "audit", "list")
	if !strings.Contains(log, "kiosk-wipe") {
		t.Errorf("no kiosk-wipe in the audit log:\n%s", log)
	}
}

package ui

import (
	"bytes"
	"fmt"
	"net/url"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
)

// browserWait is how long openInBrowser waits for xdg-open to say it
// failed; a browser it started may keep it running longer.
const browserWait = 5 * time.Second

// openInBrowser opens link in the person's browser. On Linux it runs
// xdg-open and waits a little for its answer, since xdg-open without a
// browser fails only once started (Fyne's OpenURL only starts it); slow:
// call it off the UI thread. Elsewhere it is a.OpenURL.
func openInBrowser(a fyne.App, link string) error {
	u, err := url.Parse(link)
	if err != nil {
		return err
	}
	if runtime.GOOS != "linux" {
		return a.OpenURL(u)
	}
	cmd := exec.Command("xdg-open", u.String())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("xdg-open: %w: %s", err, strings.TrimSpace(out.String()))
		}
		return nil
	case <-time.After(browserWait):
		return nil // still running: a browser is opening
	}
}

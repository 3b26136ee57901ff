//go:build e2e

package e2e

import (
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Closing the window quits cleanly, every time: Fyne 2.7.1 empties its
// preferences.json at quit before it marks the write as its own, and its
// file watcher then read the empty file ("Preferences load error: EOF" on
// about 1 quit in 5, #16 item 13). The app keeps no preferences on disk.
func TestRealWindow_QuitPrintsNoPreferencesError(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	for i := range 20 {
		s.out, s.errOut = lockedBuffer{}, lockedBuffer{}
		s.start("--demo")
		s.waitTitle("Sign in")
		closeWindow(t, s.display, s.win)
		done := make(chan error, 1)
		go func() { done <- s.app.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			// Go's runtime prints every goroutine's stack on SIGQUIT:
			// where the app hangs, for the next reader of this failure.
			_ = s.app.Process.Signal(syscall.SIGQUIT)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
			}
			t.Fatalf("quit %d: the app did not exit after its window was closed\nstderr (with the stacks at SIGQUIT): %s", i, s.errOut.String())
		}
		if e := s.errOut.String(); strings.Contains(e, "Preferences") || strings.Contains(e, "EOF") {
			t.Fatalf("quit %d printed:\n%s", i, e)
		}
	}
}

// closeWindow asks the window to close as a window manager's close button
// does: a WM_DELETE_WINDOW client message (xdotool 3.2016 has no
// windowquit, and Xvfb runs no window manager). The X11 protocol by hand:
// a connection setup, two InternAtom requests and a SendEvent.
func closeWindow(t *testing.T, display, window string) {
	t.Helper()
	win, err := strconv.ParseUint(window, 10, 32)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("unix", "/tmp/.X11-unix/X"+strings.TrimPrefix(display, ":"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	le := binary.LittleEndian
	// Setup: little-endian, protocol 11.0, no authorization (Xvfb runs
	// without -auth).
	setup := make([]byte, 12)
	setup[0] = 'l'
	le.PutUint16(setup[2:], 11)
	if _, err := c.Write(setup); err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(c, head); err != nil {
		t.Fatal(err)
	}
	if head[0] != 1 {
		t.Fatalf("X server refused the connection (status %d)", head[0])
	}
	if _, err := io.ReadFull(c, make([]byte, 4*int(le.Uint16(head[6:])))); err != nil {
		t.Fatal(err)
	}
	atom := func(name string) uint32 {
		n := (len(name) + 3) &^ 3
		req := make([]byte, 8+n)
		req[0] = 16 // InternAtom
		le.PutUint16(req[2:], uint16(2+n/4))
		le.PutUint16(req[4:], uint16(len(name)))
		copy(req[8:], name)
		if _, err := c.Write(req); err != nil {
			t.Fatal(err)
		}
		reply := make([]byte, 32)
		if _, err := io.ReadFull(c, reply); err != nil {
			t.Fatal(err)
		}
		if reply[0] != 1 {
			t.Fatalf("InternAtom %s: error %d", name, reply[1])
		}
		return le.Uint32(reply[8:])
	}
	protocols, deleteWindow := atom("WM_PROTOCOLS"), atom("WM_DELETE_WINDOW")
	req := make([]byte, 44)
	req[0] = 25 // SendEvent, to the window's own client (event mask 0)
	le.PutUint16(req[2:], 11)
	le.PutUint32(req[4:], uint32(win))
	ev := req[12:]
	ev[0] = 33 // ClientMessage
	ev[1] = 32 // format
	le.PutUint32(ev[4:], uint32(win))
	le.PutUint32(ev[8:], protocols)
	le.PutUint32(ev[12:], deleteWindow)
	if _, err := c.Write(req); err != nil {
		t.Fatal(err)
	}
	// A round trip, so the event is sent before the connection closes.
	atom("WM_PROTOCOLS")
}

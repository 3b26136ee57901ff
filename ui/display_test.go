package ui

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeX answers one connection setup as an X server would: accepted, or
// refused with reason. It returns what the client sent.
func fakeX(t *testing.T, accept bool, reason string) (net.Conn, <-chan []byte) {
	client, server := net.Pipe()
	got := make(chan []byte, 1)
	go func() {
		defer server.Close()
		head := make([]byte, 12)
		if _, err := io.ReadFull(server, head); err != nil {
			got <- nil
			return
		}
		n, d := binary.LittleEndian.Uint16(head[6:]), binary.LittleEndian.Uint16(head[8:])
		pad := func(n int) int { return n + (4-n%4)%4 }
		rest := make([]byte, pad(int(n))+pad(int(d)))
		io.ReadFull(server, rest)
		got <- append(head, rest...)
		if accept {
			server.Write([]byte{1, 0, 11, 0, 0, 0, 0, 0})
			return
		}
		reply := []byte{0, byte(len(reason)), 11, 0, 0, 0, 0, 0}
		server.Write(append(reply, reason...))
	}()
	return client, got
}

func TestX11Handshake_RefusedIsNoDisplay(t *testing.T) {
	c, _ := fakeX(t, false, "Authorization required, but no authorization protocol specified")
	err := x11Handshake(c, ":7", "", nil)
	if !errors.Is(err, ErrNoDisplay) || !strings.Contains(err.Error(), "Authorization required") || !strings.Contains(err.Error(), "XAUTHORITY") {
		t.Errorf("refused: %v", err)
	}
}

func TestX11Handshake_AcceptedSendsTheCookie(t *testing.T) {
	c, got := fakeX(t, true, "")
	if err := x11Handshake(c, ":7", "MIT-MAGIC-COOKIE-1", []byte("0123456789abcdef")); err != nil {
		t.Fatal(err)
	}
	req := <-got
	if req[0] != 'l' || !strings.Contains(string(req), "MIT-MAGIC-COOKIE-1") || !strings.Contains(string(req), "0123456789abcdef") {
		t.Errorf("setup sent: %q", req)
	}
}

func TestXauth_FindsTheDisplaysCookie(t *testing.T) {
	var b []byte
	entry := func(family uint16, addr, num, name, data string) {
		b = binary.BigEndian.AppendUint16(b, family)
		for _, f := range []string{addr, num, name, data} {
			b = binary.BigEndian.AppendUint16(b, uint16(len(f)))
			b = append(b, f...)
		}
	}
	entry(256, "otherhost", "7", "MIT-MAGIC-COOKIE-1", "wrong-host------")
	entry(256, "desk", "3", "MIT-MAGIC-COOKIE-1", "wrong-display---")
	entry(256, "desk", "7", "MIT-MAGIC-COOKIE-1", "right-cookie----")
	file := filepath.Join(t.TempDir(), "Xauthority")
	os.WriteFile(file, b, 0o600)
	x, ok := parseDisplay(":7.0")
	if !ok {
		t.Fatal("':7.0' is a display")
	}
	name, data := xauth(file, x, "desk")
	if name != "MIT-MAGIC-COOKIE-1" || string(data) != "right-cookie----" {
		t.Errorf("cookie = %s %q", name, data)
	}
	if name, _ := xauth(filepath.Join(t.TempDir(), "none"), x, "desk"); name != "" {
		t.Errorf("no file: %q", name)
	}
}

// fakeSetup is an X server's connection setup data with the screens
// given (width, height), each with one depth of two visuals.
func fakeSetup(screens ...[2]int) []byte {
	le := binary.LittleEndian
	b := make([]byte, 32)
	vendor := "Fake X"
	le.PutUint16(b[16:], uint16(len(vendor)))
	b[20], b[21] = byte(len(screens)), 2 // screens, pixmap formats
	b = append(b, vendor...)
	b = append(b, make([]byte, (4-len(vendor)%4)%4)...)
	b = append(b, make([]byte, 2*8)...) // the formats
	for _, s := range screens {
		scr := make([]byte, 40)
		le.PutUint16(scr[20:], uint16(s[0]))
		le.PutUint16(scr[22:], uint16(s[1]))
		scr[39] = 1 // one depth
		b = append(b, scr...)
		depth := make([]byte, 8)
		depth[0] = 24
		le.PutUint16(depth[2:], 2) // two visuals
		b = append(b, depth...)
		b = append(b, make([]byte, 2*24)...)
	}
	return b
}

func TestSetupScreenSize(t *testing.T) {
	setup := fakeSetup([2]int{640, 480}, [2]int{1920, 1080})
	for _, tc := range []struct {
		screen, w, h int
		ok           bool
	}{{0, 640, 480, true}, {1, 1920, 1080, true}, {2, 0, 0, false}} {
		w, h, ok := setupScreenSize(setup, tc.screen)
		if w != tc.w || h != tc.h || ok != tc.ok {
			t.Errorf("screen %d: %d×%d %v, want %d×%d %v", tc.screen, w, h, ok, tc.w, tc.h, tc.ok)
		}
	}
	// Cut short anywhere before the screen's own record ends (its depths
	// follow it): no size, no panic.
	for n := range len(setup) - 8 - 2*24 {
		if _, _, ok := setupScreenSize(setup[:n], 1); ok {
			t.Fatalf("a setup cut to %d bytes gave a size", n)
		}
	}
	if x, _ := parseDisplay(":3.1"); x.screen != 1 {
		t.Errorf(":3.1 is screen %d", x.screen)
	}
}

// The display check's connection stays open until the window has its own:
// on an X server with no other client, closing it made the server reset
// just as the graphics driver connected, and the app panicked.
func TestCheckDisplay_HoldsItsConnectionUntilTheWindowIsOpen(t *testing.T) {
	if err := os.MkdirAll("/tmp/.X11-unix", 0o1777); err != nil {
		t.Skip(err)
	}
	var path, display string
	var l net.Listener
	for n := 4300; n < 4400 && l == nil; n++ {
		path, display = "/tmp/.X11-unix/X"+strconv.Itoa(n), ":"+strconv.Itoa(n)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		l, _ = net.Listen("unix", path)
	}
	if l == nil {
		t.Skip("no free display number for a fake X server")
	}
	defer l.Close()
	closed := make(chan struct{})
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		head := make([]byte, 12)
		io.ReadFull(c, head)
		n, d := binary.LittleEndian.Uint16(head[6:]), binary.LittleEndian.Uint16(head[8:])
		pad := func(n int) int { return n + (4-n%4)%4 }
		io.ReadFull(c, make([]byte, pad(int(n))+pad(int(d))))
		c.Write([]byte{1, 0, 11, 0, 0, 0, 0, 0}) // accepted, no setup data
		io.Copy(io.Discard, c)                   // until the client closes
		close(closed)
	}()
	t.Setenv("DISPLAY", display)
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XAUTHORITY", filepath.Join(t.TempDir(), "none"))
	if err := CheckDisplay(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-closed:
		t.Fatal("the check closed its connection before the window was open")
	case <-time.After(200 * time.Millisecond):
	}
	releaseDisplay()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("releaseDisplay left the connection open")
	}
}

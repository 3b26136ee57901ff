package ui

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// xDisplay is an X display name taken apart: "host:N.S" (host empty for
// this machine's socket).
type xDisplay struct {
	name   string
	host   string
	number string
	screen int // the S of ":N.S", 0 if none
}

// parseDisplay takes DISPLAY apart; ok is false for a name that isn't an
// X display ("wayland-0", ":" alone).
func parseDisplay(d string) (x xDisplay, ok bool) {
	host, rest, found := strings.Cut(d, ":")
	if !found {
		return x, false
	}
	num, scr, _ := strings.Cut(strings.TrimPrefix(rest, ":"), ".") // "::N" is DECnet: treat as N
	if _, err := strconv.Atoi(num); err != nil {
		return x, false
	}
	if strings.HasPrefix(host, "unix") {
		host = ""
	}
	screen, _ := strconv.Atoi(scr)
	return xDisplay{name: d, host: host, number: num, screen: screen}, true
}

// dial connects to the display's X server.
func (x xDisplay) dial() (net.Conn, error) {
	if x.host == "" {
		return net.DialTimeout("unix", "/tmp/.X11-unix/X"+x.number, 3*time.Second)
	}
	n, _ := strconv.Atoi(x.number)
	return net.DialTimeout("tcp", net.JoinHostPort(x.host, strconv.Itoa(6000+n)), 3*time.Second)
}

// checkX11 opens the display as Xlib does, handshake and authorisation
// included, and closes it again: the X server answering is not enough, it
// must also let this program in (a wrong XAUTHORITY makes the graphics
// driver panic instead).
func checkX11(x xDisplay) error {
	c, err := x.dial()
	if err != nil {
		return fmt.Errorf("%w: nothing answers on DISPLAY=%s; start the X server or fix DISPLAY", ErrNoDisplay, x.name)
	}
	hostname, _ := os.Hostname()
	name, data := xauth(xauthorityFile(), x, hostname)
	if err := x11Handshake(c, x.name, name, data); err != nil {
		c.Close()
		return err
	}
	holdDisplay(c)
	return nil
}

// held is the connection checkX11 made, kept open until the window has
// its own (releaseDisplay). An X server resets when its last client
// leaves and refuses connections while it does: on a display with no
// other client (a kiosk's bare X server, Xvfb), closing the check's
// connection at once made the graphics driver's, a moment later, fail
// now and then, and the app panicked instead of opening its window.
var held struct {
	sync.Mutex
	c net.Conn
}

// holdDisplay keeps c open until releaseDisplay.
func holdDisplay(c net.Conn) {
	held.Lock()
	defer held.Unlock()
	if held.c != nil {
		held.c.Close()
	}
	held.c = c
}

// releaseDisplay closes the connection CheckDisplay kept, if any: the
// window is open, so the server has another client.
func releaseDisplay() {
	held.Lock()
	defer held.Unlock()
	if held.c != nil {
		held.c.Close()
		held.c = nil
	}
}

// x11Handshake sends the X11 connection setup with the authorisation
// given and reads whether the server accepts it.
func x11Handshake(c net.Conn, display, authName string, authData []byte) error {
	_, err := x11Setup(c, display, authName, authData)
	return err
}

// x11Setup is x11Handshake returning, once accepted, the server's setup
// data (screens and their sizes: see screenSize).
func x11Setup(c net.Conn, display, authName string, authData []byte) ([]byte, error) {
	_ = c.SetDeadline(time.Now().Add(3 * time.Second))
	pad := func(n int) int { return (4 - n%4) % 4 }
	req := []byte{'l', 0}
	req = binary.LittleEndian.AppendUint16(req, 11) // protocol 11.0
	req = binary.LittleEndian.AppendUint16(req, 0)
	req = binary.LittleEndian.AppendUint16(req, uint16(len(authName)))
	req = binary.LittleEndian.AppendUint16(req, uint16(len(authData)))
	req = append(req, 0, 0)
	req = append(append(req, authName...), make([]byte, pad(len(authName)))...)
	req = append(append(req, authData...), make([]byte, pad(len(authData)))...)
	if _, err := c.Write(req); err != nil {
		return nil, fmt.Errorf("%w: the X server on DISPLAY=%s closed the connection: %v", ErrNoDisplay, display, err)
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(c, head); err != nil {
		return nil, fmt.Errorf("%w: the X server on DISPLAY=%s did not answer: %v", ErrNoDisplay, display, err)
	}
	if head[0] == 1 {
		// The setup's length is in 4-byte units; a server that sends
		// less than it says leaves the setup short (no screen size).
		setup := make([]byte, 4*int(binary.LittleEndian.Uint16(head[6:])))
		n, _ := io.ReadFull(c, setup)
		return setup[:n], nil
	}
	reason := make([]byte, head[1])
	_, _ = io.ReadFull(c, reason)
	why := strings.TrimSpace(string(reason))
	if why == "" {
		why = "it asked for more authentication than an X cookie"
	}
	return nil, fmt.Errorf("%w: the X server on DISPLAY=%s refused the connection (%s); check XAUTHORITY (%s) belongs to this desktop session, or run Security Info as the person signed in to it", ErrNoDisplay, display, why, xauthorityFile())
}

// screenSize is the size in pixels of the X screen DISPLAY names, as its
// X server says when a client connects; ok is false without an X display
// or when it can't be read. With several monitors it is the screen that
// spans them all.
//
// It asks the X server itself, before the window is made, rather than
// GLFW's monitors once the window is up: Fyne does not expose GLFW's
// monitors, and a window sized after it has appeared would first open
// too large. Under Wayland the app (built for X11) runs on XWayland,
// whose screen this is too.
func screenSize() (w, h int, ok bool) {
	x, ok := parseDisplay(os.Getenv("DISPLAY"))
	if !ok {
		return 0, 0, false
	}
	c, err := x.dial()
	if err != nil {
		return 0, 0, false
	}
	defer c.Close()
	hostname, _ := os.Hostname()
	name, data := xauth(xauthorityFile(), x, hostname)
	setup, err := x11Setup(c, x.name, name, data)
	if err != nil {
		return 0, 0, false
	}
	return setupScreenSize(setup, x.screen)
}

// setupScreenSize reads screen's width and height in pixels from an X
// server's connection setup data (little-endian, as x11Setup asks for).
func setupScreenSize(setup []byte, screen int) (w, h int, ok bool) {
	u16 := func(off int) int { return int(binary.LittleEndian.Uint16(setup[off:])) }
	pad4 := func(n int) int { return n + (4-n%4)%4 }
	if len(setup) < 32 {
		return 0, 0, false
	}
	vendor, screens, formats := u16(16), int(setup[20]), int(setup[21])
	if screen < 0 || screen >= screens {
		return 0, 0, false
	}
	off := 32 + pad4(vendor) + 8*formats
	for i := 0; ; i++ {
		if off+40 > len(setup) {
			return 0, 0, false
		}
		if i == screen {
			return u16(off + 20), u16(off + 22), true
		}
		depths := int(setup[off+39])
		off += 40
		for range depths {
			if off+8 > len(setup) {
				return 0, 0, false
			}
			off += 8 + 24*u16(off+2)
		}
	}
}

// xauthorityFile is where Xlib looks for X cookies.
func xauthorityFile() string {
	if f := os.Getenv("XAUTHORITY"); f != "" {
		return f
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".Xauthority")
}

// xauth finds the cookie for display x in the Xauthority file, as Xlib
// does: an entry for this host (or any host) and the display's number,
// else one for any display. No file or no entry: no authorisation.
func xauth(file string, x xDisplay, hostname string) (name string, data []byte) {
	f, err := os.Open(file)
	if err != nil {
		return "", nil
	}
	defer f.Close()
	r := bufio.NewReader(f)
	field := func() ([]byte, error) {
		var n uint16
		if err := binary.Read(r, binary.BigEndian, &n); err != nil {
			return nil, err
		}
		b := make([]byte, n)
		_, err := io.ReadFull(r, b)
		return b, err
	}
	const familyWild = 65535
	var fallback struct {
		name string
		data []byte
	}
	for {
		var family uint16
		if err := binary.Read(r, binary.BigEndian, &family); err != nil {
			break
		}
		addr, err1 := field()
		num, err2 := field()
		n, err3 := field()
		d, err4 := field()
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			break
		}
		host := x.host
		if host == "" {
			host = hostname
		}
		// This host's entries (FamilyLocal, or an address naming it) and
		// those for any host.
		if family != familyWild && string(addr) != host {
			continue
		}
		if string(num) == x.number {
			return string(n), d
		}
		if len(num) == 0 && fallback.name == "" {
			fallback.name, fallback.data = string(n), d
		}
	}
	return fallback.name, fallback.data
}

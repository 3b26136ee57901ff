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
	"time"
)

// xDisplay is an X display name taken apart: "host:N.S" (host empty for
// this machine's socket).
type xDisplay struct {
	name   string
	host   string
	number string
}

// parseDisplay takes DISPLAY apart; ok is false for a name that isn't an
// X display ("wayland-0", ":" alone).
func parseDisplay(d string) (x xDisplay, ok bool) {
	host, rest, found := strings.Cut(d, ":")
	if !found {
		return x, false
	}
	num, _, _ := strings.Cut(strings.TrimPrefix(rest, ":"), ".") // "::N" is DECnet: treat as N
	if _, err := strconv.Atoi(num); err != nil {
		return x, false
	}
	if strings.HasPrefix(host, "unix") {
		host = ""
	}
	return xDisplay{name: d, host: host, number: num}, true
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
	defer c.Close()
	hostname, _ := os.Hostname()
	name, data := xauth(xauthorityFile(), x, hostname)
	return x11Handshake(c, x.name, name, data)
}

// x11Handshake sends the X11 connection setup with the authorisation
// given and reads whether the server accepts it.
func x11Handshake(c net.Conn, display, authName string, authData []byte) error {
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
		return fmt.Errorf("%w: the X server on DISPLAY=%s closed the connection: %v", ErrNoDisplay, display, err)
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(c, head); err != nil {
		return fmt.Errorf("%w: the X server on DISPLAY=%s did not answer: %v", ErrNoDisplay, display, err)
	}
	if head[0] == 1 {
		return nil
	}
	reason := make([]byte, head[1])
	_, _ = io.ReadFull(c, reason)
	why := strings.TrimSpace(string(reason))
	if why == "" {
		why = "it asked for more authentication than an X cookie"
	}
	return fmt.Errorf("%w: the X server on DISPLAY=%s refused the connection (%s); check XAUTHORITY (%s) belongs to this desktop session, or run Security Info as the person signed in to it", ErrNoDisplay, display, why, xauthorityFile())
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

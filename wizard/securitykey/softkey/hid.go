package softkey

import (
	"encoding/binary"
	"errors"
	"sync"
	"time"
)

// CTAPHID framing: 64-byte reports; an initialisation packet (channel,
// command with the top bit set, 2-byte length, 57 bytes of data) and
// continuation packets (channel, sequence number, 59 bytes).
const (
	ReportLen = 64

	hidPing      = 0x01
	hidMsg       = 0x03
	hidInit      = 0x06
	hidWink      = 0x08
	hidCBOR      = 0x10
	hidCancel    = 0x11
	hidKeepalive = 0x3b
	hidError     = 0x3f

	capWink = 0x01
	capCBOR = 0x04
	capNMSG = 0x08

	errInvalidCmd = 0x01
	errInvalidSeq = 0x04
	errChannel    = 0x0b

	keepaliveUPNeeded = 0x02
)

var broadcast = [4]byte{0xff, 0xff, 0xff, 0xff}

// ErrTimeout is returned by ReadReport when no report came in time.
var ErrTimeout = errors.New("softkey: no report in time")

// ErrClosed is returned after Close.
var ErrClosed = errors.New("softkey: device closed")

// HID is the key as a USB HID device: the host writes output reports and
// reads input reports. Each Open of a real device is one HID.
type HID struct {
	key *Key

	mu      sync.Mutex
	out     chan []byte
	closed  chan struct{}
	nextCID uint32
	// The message being received.
	rxCID  [4]byte
	rxCmd  byte
	rxLen  int
	rxData []byte
	rxSeq  int
	// The CBOR request being processed, if any.
	busy   bool
	cancel chan struct{}
}

// HID returns a fresh HID connection to the key.
func (k *Key) HID() *HID {
	return &HID{key: k, out: make(chan []byte, 1024), closed: make(chan struct{}), nextCID: 0x01020304}
}

// WriteReport takes one output report: a report ID byte (0) followed by
// a 64-byte packet, as libfido2 writes them.
func (h *HID) WriteReport(report []byte) error {
	select {
	case <-h.closed:
		return ErrClosed
	default:
	}
	if len(report) != ReportLen+1 {
		return errors.New("softkey: an output report is 65 bytes")
	}
	p := report[1:]
	var cid [4]byte
	copy(cid[:], p[:4])
	h.mu.Lock()
	defer h.mu.Unlock()
	if p[4]&0x80 != 0 {
		cmd := p[4] &^ 0x80
		n := int(binary.BigEndian.Uint16(p[5:7]))
		if cmd == hidCancel {
			if h.busy && cid == h.rxCID && h.cancel != nil {
				close(h.cancel)
				h.cancel = nil
			}
			return nil
		}
		if h.busy && cid == h.rxCID {
			// A real key answers CTAP1_ERR_CHANNEL_BUSY; libfido2 never
			// sends two requests at once on one channel.
			return nil
		}
		h.rxCID, h.rxCmd, h.rxLen, h.rxSeq = cid, cmd, n, 0
		h.rxData = append([]byte(nil), p[7:7+min(n, ReportLen-7)]...)
	} else {
		if cid != h.rxCID || int(p[4]) != h.rxSeq {
			h.sendError(cid, errInvalidSeq)
			return nil
		}
		h.rxSeq++
		h.rxData = append(h.rxData, p[5:5+min(h.rxLen-len(h.rxData), ReportLen-5)]...)
	}
	if len(h.rxData) < h.rxLen {
		return nil
	}
	h.dispatch(h.rxCID, h.rxCmd, h.rxData)
	return nil
}

// dispatch handles a whole message; h.mu is held.
func (h *HID) dispatch(cid [4]byte, cmd byte, data []byte) {
	switch cmd {
	case hidInit:
		if len(data) != 8 {
			h.sendError(cid, errInvalidCmd)
			return
		}
		var resp [17]byte
		copy(resp[:8], data)
		h.nextCID++
		binary.BigEndian.PutUint32(resp[8:12], h.nextCID)
		resp[12] = 2 // CTAPHID protocol version
		resp[13], resp[14], resp[15] = 1, 0, 0
		resp[16] = capWink | capCBOR | capNMSG
		h.send(cid, hidInit, resp[:])
	case hidPing:
		h.send(cid, hidPing, data)
	case hidWink:
		h.send(cid, hidWink, nil)
	case hidCBOR:
		if cid == broadcast {
			h.sendError(cid, errChannel)
			return
		}
		h.busy = true
		h.cancel = make(chan struct{})
		cancel := h.cancel
		req := append([]byte(nil), data...)
		go func() {
			resp := h.key.Handle(req, cancel, func() {
				h.mu.Lock()
				h.send(cid, hidKeepalive, []byte{keepaliveUPNeeded})
				h.mu.Unlock()
			})
			h.mu.Lock()
			h.busy, h.cancel = false, nil
			h.send(cid, hidCBOR, resp)
			h.mu.Unlock()
		}()
	default:
		h.sendError(cid, errInvalidCmd)
	}
}

func (h *HID) sendError(cid [4]byte, code byte) { h.send(cid, hidError, []byte{code}) }

// send frames a response into input reports.
func (h *HID) send(cid [4]byte, cmd byte, data []byte) {
	p := make([]byte, ReportLen)
	copy(p, cid[:])
	p[4] = cmd | 0x80
	binary.BigEndian.PutUint16(p[5:7], uint16(len(data)))
	n := copy(p[7:], data)
	h.queue(p)
	for seq := 0; n < len(data); seq++ {
		p = make([]byte, ReportLen)
		copy(p, cid[:])
		p[4] = byte(seq)
		n += copy(p[5:], data[n:])
		h.queue(p)
	}
}

func (h *HID) queue(p []byte) {
	select {
	case h.out <- p:
	default: // nobody reads: drop, as a full USB endpoint would
	}
}

// ReadReport returns the next 64-byte input report, waiting at most
// timeout (forever if negative).
func (h *HID) ReadReport(timeout time.Duration) ([]byte, error) {
	var after <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		after = t.C
	}
	select {
	case p := <-h.out:
		return p, nil
	case <-h.closed:
		return nil, ErrClosed
	case <-after:
		return nil, ErrTimeout
	}
}

// Close ends the connection; a request in progress is cancelled.
func (h *HID) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.closed:
	default:
		close(h.closed)
	}
	if h.cancel != nil {
		close(h.cancel)
		h.cancel = nil
	}
	return nil
}

package delivery

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// Outbox is the demo's stand-in for a text or call provider: it appends
// each message as one JSON line to a local file, which the demo shows on
// screen in place of a phone. Nothing is sent anywhere. The file holds the
// codes in the clear, so it is created with mode 0600 (its directories
// 0700) and is meant for the demo only.
type Outbox struct {
	// Path is the outbox file.
	Path string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

var _ method.Sender = (*Outbox)(nil)

// OutboxEntry is one message in the outbox.
type OutboxEntry struct {
	Time    time.Time      `json:"time"`
	To      string         `json:"to"`
	Channel method.Channel `json:"channel"`
	Subject string         `json:"subject,omitempty"`
	Text    string         `json:"text"`
}

// outboxMu serialises appends within the process.
var outboxMu sync.Mutex

// Send appends m to the outbox and syncs the file to disk.
func (o *Outbox) Send(ctx context.Context, m method.Message) error {
	const provider = "outbox"
	if err := ctx.Err(); err != nil {
		return transportError(provider, err, Timeout)
	}
	if o.Path == "" {
		return configError(provider, "no outbox file is configured")
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	line, err := json.Marshal(OutboxEntry{Time: now().UTC(), To: m.To, Channel: m.Channel, Subject: m.Subject, Text: m.Text})
	if err != nil {
		return configError(provider, "the message could not be encoded")
	}
	if err := appendLine(o.Path, append(line, '\n')); err != nil {
		return &Error{Provider: provider, Reason: ReasonLocal, Detail: clean(err.Error()), Err: err}
	}
	return nil
}

// appendLine appends line to path with mode 0600, creating its directories
// with mode 0700, and syncs it.
func appendLine(path string, line []byte) error {
	outboxMu.Lock()
	defer outboxMu.Unlock()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	// An existing file with looser permissions is tightened.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadOutbox returns the messages in the outbox at path, newest first
// (messages with the same time in reverse order of writing). A missing file
// is an empty outbox. A line that cannot be read (for example one cut short
// by a crash) is an error naming its line number.
func ReadOutbox(path string) ([]OutboxEntry, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the outbox: %w", err)
	}
	var out []OutboxEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var e OutboxEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("read the outbox: line %d is damaged: %w", n, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read the outbox: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

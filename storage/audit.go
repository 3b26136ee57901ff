package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// The audit log is an append-only list in the data file's "audit" bucket:
// each entry is kept under the big-endian bucket sequence number the append
// drew, so keys are unique, iterate in append order, and an entry once
// written is never overwritten or changed.

var bucketAudit = []byte("audit")

// maxAuditField is the most bytes of one text field an entry keeps.
const maxAuditField = 1024

// auditRecord is an AuditEntry as stored. The JSON names are the file
// format; do not rename them.
type auditRecord struct {
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor,omitempty"`
	Account string    `json:"account,omitempty"`
	Action  string    `json:"action"`
	Station string    `json:"station,omitempty"`
	Detail  string    `json:"detail,omitempty"`
}

// cleanAuditField makes a field safe to print on one line: control
// characters (a newline could forge a second entry) become U+FFFD, and a
// field is cut at maxAuditField bytes.
func cleanAuditField(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) > maxAuditField {
		cut := maxAuditField
		for cut > 0 && (s[cut]&0xc0) == 0x80 { // do not split a character
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// AppendAudit adds e at the end of the audit log. A zero Time is set to
// now; the time is kept in UTC. Control characters in the text fields are
// replaced so that each entry prints as one line. Action must be set.
func (l *Local) AppendAudit(e info.AuditEntry) error {
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	if strings.TrimSpace(e.Action) == "" {
		return errors.New("append audit entry: the action is empty")
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	rec := auditRecord{
		Time:    e.Time.UTC(),
		Actor:   cleanAuditField(e.Actor),
		Account: cleanAuditField(e.Account),
		Action:  cleanAuditField(e.Action),
		Station: cleanAuditField(e.Station),
		Detail:  cleanAuditField(e.Detail),
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	err = l.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketAudit)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		key := binary.BigEndian.AppendUint64(nil, seq)
		if b.Get(key) != nil {
			return fmt.Errorf("audit entry %d already exists; the data file is damaged", seq)
		}
		return b.Put(key, data)
	})
	if err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// Audit lists audit entries in the order they were appended (oldest
// first), only those of account (compared case-insensitively, without
// surrounding spaces) unless account is empty, and only those whose time
// is at or after since unless since is zero.
func (l *Local) Audit(account string, since time.Time) ([]info.AuditEntry, error) {
	release, err := l.hold()
	if err != nil {
		return nil, err
	}
	defer release()
	want := accountKey(account)
	var out []info.AuditEntry
	err = l.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil // nothing appended yet
		}
		return b.ForEach(func(k, v []byte) error {
			var rec auditRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode audit entry %x: %w", k, err)
			}
			if want != "" && accountKey(rec.Account) != want {
				return nil
			}
			if !since.IsZero() && rec.Time.Before(since) {
				return nil
			}
			out = append(out, info.AuditEntry(rec))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

// StationName is the name audit entries give this machine: its host
// name, or "unknown" if the system does not say.
func StationName() string {
	h, err := os.Hostname()
	if err != nil || strings.TrimSpace(h) == "" {
		return "unknown"
	}
	return cleanAuditField(h)
}

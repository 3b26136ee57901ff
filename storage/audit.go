package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The audit log is an append-only list in the data file's "audit" bucket:
// each entry is kept under the big-endian bucket sequence number the append
// drew, so keys are unique, iterate in append order, and an entry once
// written is never overwritten or changed.

var bucketAudit = []byte("audit")

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
		Actor:   info.CleanAuditField(e.Actor),
		Account: info.CleanAuditField(e.Account),
		Action:  info.CleanAuditField(e.Action),
		Station: info.CleanAuditField(e.Station),
		Detail:  info.CleanAuditField(e.Detail),
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
		if err := b.Put(key, data); err != nil {
			return err
		}
		return indexAudit(tx, key, rec)
	})
	if err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// EachAudit calls visit for each audit entry, oldest first (in time
// order when a filter is given, append order otherwise): only those of
// account (compared case-insensitively, without surrounding spaces) unless
// account is empty, and only those whose time is at or after since unless
// since is zero. A filter reads only the matching entries, through the
// by-account and by-time indexes. The pages of the file a walk has read
// are given back as it goes (pageDropper), so that its memory stays flat
// however long the log.
func (l *Local) EachAudit(account string, since time.Time, visit func(info.AuditEntry) error) error {
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	want := accountKey(account)
	var visitErr error
	var read pageDropper
	emit := func(v []byte) error {
		read.saw(v)
		var rec auditRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("decode audit entry: %w", err)
		}
		if !since.IsZero() && rec.Time.Before(since) {
			return nil
		}
		if want != "" && accountKey(rec.Account) != want {
			return nil
		}
		if visitErr = visit(info.AuditEntry(rec)); visitErr != nil {
			return visitErr
		}
		return nil
	}
	err = l.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil // nothing appended yet
		}
		indexed := tx.Bucket(bucketMeta).Get(keyAuditIndexed) != nil &&
			tx.Bucket(bucketAuditByAccount) != nil && tx.Bucket(bucketAuditByTime) != nil
		switch {
		case !indexed:
			// Written by something that skipped the indexes: read it all
			// (the next open rebuilds them).
			c := b.Cursor()
			for _, v := c.First(); v != nil; _, v = c.Next() {
				if err := emit(v); err != nil {
					return err
				}
			}
		case want != "":
			prefix := append([]byte(want), 0)
			c := tx.Bucket(bucketAuditByAccount).Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				read.saw(k)
				if err := emit(b.Get(k[len(prefix):])); err != nil {
					return err
				}
			}
		case !since.IsZero():
			c := tx.Bucket(bucketAuditByTime).Cursor()
			from := binary.BigEndian.AppendUint64(nil, uint64(since.UnixNano()))
			for k, _ := c.Seek(from); k != nil; k, _ = c.Next() {
				read.saw(k)
				if err := emit(b.Get(k[8:])); err != nil {
					return err
				}
			}
		default:
			c := b.Cursor()
			for _, v := c.First(); v != nil; _, v = c.Next() {
				if err := emit(v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if visitErr != nil {
		return visitErr
	}
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	return nil
}

// The audit indexes: by account, keys are the lower-cased account name,
// a zero byte and the entry's key; by time, the entry's time in Unix
// nanoseconds (big-endian) and the entry's key. Values are empty.
var (
	bucketAuditByAccount = []byte("audit-by-account")
	bucketAuditByTime    = []byte("audit-by-time")
	keyAuditIndexed      = []byte("audit-indexed")
)

// indexAudit adds the index keys of the entry under key.
func indexAudit(tx *bolt.Tx, key []byte, rec auditRecord) error {
	byAcct, err := tx.CreateBucketIfNotExists(bucketAuditByAccount)
	if err != nil {
		return err
	}
	byTime, err := tx.CreateBucketIfNotExists(bucketAuditByTime)
	if err != nil {
		return err
	}
	if a := accountKey(rec.Account); a != "" {
		if err := byAcct.Put(append(append([]byte(a), 0), key...), nil); err != nil {
			return err
		}
	}
	return byTime.Put(append(binary.BigEndian.AppendUint64(nil, uint64(rec.Time.UnixNano())), key...), nil)
}

// indexOldAudit builds the indexes once for a log written before they
// existed (or by something that skipped them). The keys are sorted first:
// bbolt fills pages in order far faster than at random.
func indexOldAudit(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta.Get(keyAuditIndexed) != nil {
		return nil
	}
	for _, name := range [][]byte{bucketAuditByAccount, bucketAuditByTime} {
		if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
			return err
		}
	}
	var byAcct, byTime [][]byte
	if b := tx.Bucket(bucketAudit); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			var rec auditRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode audit entry %x: %w", k, err)
			}
			if a := accountKey(rec.Account); a != "" {
				byAcct = append(byAcct, append(append([]byte(a), 0), k...))
			}
			byTime = append(byTime, append(binary.BigEndian.AppendUint64(nil, uint64(rec.Time.UnixNano())), k...))
			return nil
		})
		if err != nil {
			return fmt.Errorf("index the audit log: %w", err)
		}
	}
	for name, keys := range map[string][][]byte{string(bucketAuditByAccount): byAcct, string(bucketAuditByTime): byTime} {
		ib, err := tx.CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		ib.FillPercent = 1 // appended in order
		slices.SortFunc(keys, bytes.Compare)
		for _, k := range keys {
			if err := ib.Put(k, nil); err != nil {
				return fmt.Errorf("index the audit log: %w", err)
			}
		}
	}
	return meta.Put(keyAuditIndexed, []byte("1"))
}

// StationName is the name audit entries give this machine: its host
// name, or "unknown" if the system does not say.
func StationName() string {
	h, err := os.Hostname()
	if err != nil || strings.TrimSpace(h) == "" {
		return "unknown"
	}
	return info.CleanAuditField(h)
}

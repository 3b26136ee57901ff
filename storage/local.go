package storage

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// DataFileName is the name of the data file OpenLocal keeps in its
// directory.
const DataFileName = "securityinfo.db"

// schemaVersion is the layout of the data file this code writes.
const schemaVersion = "1"

var (
	bucketMeta     = []byte("meta")
	bucketAccounts = []byte("accounts")
	bucketMethods  = []byte("methods")
	bucketJournal  = []byte("journal")

	keyStoreID = []byte("store-id")
	keySchema  = []byte("schema")
)

// Local is a Store kept on this machine: a bbolt file for everything
// that is not secret and a SecretStore (the OS keyring) for secrets.
// A write that touches both is journalled in the file first, so that a
// crash at any point is repaired the next time the store is opened.
//
// A Local is safe for concurrent use, and several processes (the app and
// the admin commands a helpdesk runs beside it) may use one directory at
// once: the data file is opened for each operation and closed after it,
// and its file lock makes every operation, journal steps and keyring call
// included, run alone. An operation that waits more than BusyTimeout for
// another to finish fails with ErrStoreBusy.
type Local struct {
	path    string
	secrets SecretStore

	// fmu guards db, which is open only while an operation holds it.
	fmu sync.Mutex
	db  *bolt.DB
	// busyTimeout replaces BusyTimeout in tests.
	busyTimeout time.Duration

	service string // keyring service name, "securityinfo:<store id>"

	// readOnly: every operation opens the data file read-only (see
	// LocalOptions.ReadOnly).
	readOnly bool

	tightened []string // what tighten changed

	// mu serialises writes that touch both the file and the keyring.
	mu sync.Mutex

	// failCommit, if set, is called inside the transaction that saves
	// or deletes a method record after the keyring step; an error from it
	// aborts that transaction. Tests use it to fail the record write.
	failCommit func(op string) error
}

var _ info.Store = (*Local)(nil)

// OpenLocal opens (creating if need be) the store in dir, keeping secrets
// in secrets. The directory is created with mode 0700 and the data file
// with 0600. If another process has the store open, OpenLocal gives up
// after a second with an error matching ErrStoreBusy.
//
// Writes interrupted by a crash are finished or rolled back before
// OpenLocal returns. If the keyring cannot be reached for that, the
// repair waits for a later open (or CheckSecrets) and the store opens
// anyway.
func OpenLocal(dir string, secrets SecretStore) (*Local, error) {
	return OpenLocalWith(dir, secrets, LocalOptions{})
}

// LocalOptions changes how OpenLocalWith opens a store.
type LocalOptions struct {
	// LeaveJournal skips settling the writes a crash interrupted, which
	// needs the keyring: for a command that reads no secret (app-password
	// verify), so that it never waits on a keyring that doesn't answer
	// for a repair that isn't its business. A later open, or
	// CheckSecrets, settles them; a method's own entry is settled
	// whenever that method is next written, and until then it reads as
	// absent (an add) or gone (a removal).
	LeaveJournal bool
	// ReadOnly is for a command that only reads (audit list, user list):
	// the data file is opened read-only for every operation, under a
	// shared lock (readers don't wait for one another) and without
	// loading the file's free-page list, which only a writer needs;
	// crash repairs are left as with LeaveJournal; and any write, to the
	// file or the keyring, fails with ErrReadOnly (or bbolt's
	// ErrDatabaseReadOnly) before it changes anything. A directory
	// without a data file, or with one in an older layout, is set up
	// first as by a read-write open (that writes no account, method or
	// audit entry).
	ReadOnly bool
}

// ErrReadOnly is the error of a write to a store opened with
// LocalOptions.ReadOnly.
var ErrReadOnly = errors.New("the store was opened read-only")

// OpenLocalWith is OpenLocal with options.
func OpenLocalWith(dir string, secrets SecretStore, opts LocalOptions) (*Local, error) {
	if secrets == nil {
		return nil, errors.New("open store: no secret store given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	l := &Local{path: filepath.Join(dir, DataFileName), secrets: secrets}
	if err := l.tighten(dir); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if opts.ReadOnly {
		ready, err := l.openReadOnly()
		if err != nil {
			return nil, fmt.Errorf("open store %s: %w", l.path, err)
		}
		if ready {
			return l, nil
		}
		// No data file yet, or one in an older layout: set it up as any
		// open does, then read it read-only.
	}
	release, err := l.hold()
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	defer release()
	if err := l.init(); err != nil {
		return nil, fmt.Errorf("open store %s: %w", l.path, err)
	}
	if opts.ReadOnly {
		l.readOnly, l.secrets = true, readOnlySecrets{l.secrets}
		return l, nil
	}
	if opts.LeaveJournal {
		return l, nil
	}
	if err := l.recoverJournal(); err != nil {
		return nil, fmt.Errorf("open store %s: %w", l.path, err)
	}
	return l, nil
}

// openReadOnly checks, through a read-only open, that the data file exists
// in this version's layout, and if so makes l read-only. ready is false
// when it must be set up first.
func (l *Local) openReadOnly() (ready bool, err error) {
	if _, err := os.Stat(l.path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	l.readOnly = true
	release, err := l.hold()
	if err != nil {
		l.readOnly = false
		return false, err
	}
	defer release()
	err = l.db.View(func(tx *bolt.Tx) error {
		ready, err = l.ready(tx)
		return err
	})
	if err != nil || !ready {
		l.readOnly = false
		return false, err
	}
	l.secrets = readOnlySecrets{l.secrets}
	return true, nil
}

// readOnlySecrets is the keyring of a read-only store: reads pass, writes
// fail with ErrReadOnly.
type readOnlySecrets struct{ SecretStore }

func (readOnlySecrets) Set(string, string, []byte) error { return ErrReadOnly }
func (readOnlySecrets) Delete(string, string) error      { return ErrReadOnly }

// Bound passes the keyring's time limit through (see Local.Bound).
func (r readOnlySecrets) Bound(d time.Duration) (end func()) {
	if b, ok := r.SecretStore.(interface {
		Bound(time.Duration) func()
	}); ok {
		return b.Bound(d)
	}
	return func() {}
}

// tighten makes the data dir 0700 and the data file 0600 if someone made
// them readable by others, and notes it (see Tightened).
func (l *Local) tighten(dir string) error {
	for path, mode := range map[string]os.FileMode{dir: 0o700, l.path: 0o600} {
		fi, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&^mode == 0 {
			continue
		}
		if err := os.Chmod(path, mode); err != nil {
			return fmt.Errorf("%s is readable by others and can't be made private: %w", path, err)
		}
		l.tightened = append(l.tightened, fmt.Sprintf("%s was readable by others (%04o): made it %04o", path, fi.Mode().Perm(), mode))
	}
	return nil
}

// Tightened says which of the store's files OpenLocal found readable by
// others and made private, for the app to say once.
func (l *Local) Tightened() []string { return l.tightened }

// BusyTimeout is how long an operation waits for another process's
// operation on the same data file.
const BusyTimeout = 5 * time.Second

// hold opens the data file for one operation, waiting while another
// process holds it; release closes it again. Operations never nest.
func (l *Local) hold() (release func(), err error) {
	l.fmu.Lock()
	wait := BusyTimeout
	if l.busyTimeout > 0 {
		wait = l.busyTimeout
	}
	// Read-only: a shared lock, and bbolt doesn't read the free-page
	// list (a writer's business).
	db, err := bolt.Open(l.path, 0o600, &bolt.Options{Timeout: wait, ReadOnly: l.readOnly})
	if errors.Is(err, bolterrors.ErrTimeout) {
		l.fmu.Unlock()
		return nil, fmt.Errorf("%s: %w: another program kept it busy for %s; try again", l.path, info.ErrStoreBusy, wait)
	}
	if err != nil {
		l.fmu.Unlock()
		return nil, fmt.Errorf("%s: %w", l.path, err)
	}
	l.db = db
	return func() {
		l.db = nil
		db.Close()
		l.fmu.Unlock()
	}, nil
}

// init creates the buckets and, once, the store id. A file that has them
// all is only read: a write transaction syncs the file to disk, which can
// take tens of milliseconds, at every start of the app and every admin
// command.
func (l *Local) init() error {
	ready := false
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		ready, err = l.ready(tx)
		return err
	})
	if err != nil || ready {
		return err
	}
	return l.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketAccounts, bucketMethods, bucketJournal} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchema); v == nil {
			if err := meta.Put(keySchema, []byte(schemaVersion)); err != nil {
				return err
			}
		} else if string(v) != schemaVersion {
			return fmt.Errorf("the data file has layout %q, which this version cannot read (it reads %q)", v, schemaVersion)
		}
		id := meta.Get(keyStoreID)
		if id == nil {
			b := make([]byte, 16)
			if _, err := rand.Read(b); err != nil {
				return fmt.Errorf("make store id: %w", err)
			}
			id = []byte(hex.EncodeToString(b))
			if err := meta.Put(keyStoreID, id); err != nil {
				return err
			}
		}
		l.service = "securityinfo:" + string(id)
		return indexOldAudit(tx)
	})
}

// ready reports whether the file has every bucket, the store id and the
// audit indexes, and if so sets l.service.
func (l *Local) ready(tx *bolt.Tx) (bool, error) {
	for _, name := range [][]byte{bucketMeta, bucketAccounts, bucketMethods, bucketJournal} {
		if tx.Bucket(name) == nil {
			return false, nil
		}
	}
	meta := tx.Bucket(bucketMeta)
	v, id := meta.Get(keySchema), meta.Get(keyStoreID)
	if v == nil || id == nil || meta.Get(keyAuditIndexed) == nil {
		return false, nil
	}
	if string(v) != schemaVersion {
		return false, fmt.Errorf("the data file has layout %q, which this version cannot read (it reads %q)", v, schemaVersion)
	}
	l.service = "securityinfo:" + string(id)
	return true, nil
}

// KeyringService returns the keyring service name under which this store
// keeps its secrets: "securityinfo:" followed by a random id made when the
// store was created, so two data directories never share keyring items.
// Each item's user name is "<lower-cased account name>/<method id>".
func (l *Local) KeyringService() string { return l.service }

// Close releases the store. The data file is only open during an
// operation, so there is nothing left to close; it exists for Store.
func (l *Local) Close() error { return nil }

// accountKey is the bucket key of an account name: info.AccountKey, as
// accounts compare names.
func accountKey(name string) string {
	return info.AccountKey(name)
}

// secretUser is the keyring user name of a method's secret.
func secretUser(acctKey, id string) string {
	return acctKey + "/" + id
}

// checkMethodID rejects ids that could make two keyring user names equal
// or that cannot be shown.
func checkMethodID(id string) error {
	if id == "" {
		return errors.New("method id is empty")
	}
	if strings.ContainsRune(id, '/') {
		return fmt.Errorf("method id %q contains a slash", id)
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("method id %q contains a control character", id)
		}
	}
	return nil
}

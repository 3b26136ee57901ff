package storage

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// Temporary Access Store are kept in the data file's "passes" bucket,
// one per account under the lower-cased account name, apart from the
// account record so that issuing or using a pass never rewrites it. Only
// a salted hash of a pass is kept; the pass itself is shown once, when it
// is issued, and stored nowhere.

var bucketPasses = []byte("passes")

// passRecord is a Pass as stored. The JSON names are the file format; do
// not rename them.
type passRecord struct {
	Hash    string    `json:"hash"`
	Issued  time.Time `json:"issued"`
	Expires time.Time `json:"expires"`
	OneTime bool      `json:"one_time,omitempty"`
	Used    bool      `json:"used,omitempty"`
	UsedAt  time.Time `json:"used_at,omitzero"`
}

func newPassRecord(p info.Pass) passRecord {
	return passRecord{Hash: p.Hash, Issued: p.Issued, Expires: p.Expires, OneTime: p.OneTime, Used: p.Used, UsedAt: p.UsedAt}
}

func (r passRecord) pass() info.Pass {
	return info.Pass{Hash: r.Hash, Issued: r.Issued, Expires: r.Expires, OneTime: r.OneTime, Used: r.Used, UsedAt: r.UsedAt}
}

// SetPass gives the account p in place of the pass whose hash is replaces
// ("" for none), checked and written in one transaction. It returns an
// error matching ErrPassChanged if the account's pass is another, and
// ErrNoAccount if there is no such account.
func (l *Local) SetPass(account, replaces string, p info.Pass) error {
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	if p.Hash == "" {
		return errors.New("save Temporary Access Pass: the hash is empty")
	}
	key := accountKey(account)
	err = l.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketAccounts).Get([]byte(key)) == nil {
			return info.ErrNoAccount
		}
		b, err := tx.CreateBucketIfNotExists(bucketPasses)
		if err != nil {
			return err
		}
		var cur passRecord
		if _, err := getJSON(b, key, &cur); err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(cur.Hash), []byte(replaces)) != 1 {
			return fmt.Errorf("account %q: %w", account, info.ErrPassChanged)
		}
		return putJSON(b, key, newPassRecord(p))
	})
	if err != nil {
		return fmt.Errorf("save Temporary Access Pass: %w", err)
	}
	return nil
}

// GetPass returns the account's pass, or an error matching ErrNoPass if it
// has none (or there is no such account).
func (l *Local) GetPass(account string) (info.Pass, error) {
	release, err := l.hold()
	if err != nil {
		return info.Pass{}, err
	}
	defer release()
	var rec passRecord
	err = l.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPasses)
		ok := false
		if b != nil {
			var err error
			if ok, err = getJSON(b, accountKey(account), &rec); err != nil {
				return err
			}
		}
		if !ok {
			return info.ErrNoPass
		}
		return nil
	})
	if err != nil {
		return info.Pass{}, fmt.Errorf("read Temporary Access Pass: %w", err)
	}
	return rec.pass(), nil
}

// UpdatePass calls change on the account's pass inside one transaction and
// saves the result, so that, for example, marking a one-time pass used
// cannot race with another sign-in using it. If change returns an error,
// nothing is saved and that error is returned as it is. It returns an
// error matching ErrNoPass if the account has no pass.
func (l *Local) UpdatePass(account string, change func(*info.Pass) error) error {
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	key := accountKey(account)
	var changeErr error
	err = l.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPasses)
		var rec passRecord
		ok := false
		if b != nil {
			var err error
			if ok, err = getJSON(b, key, &rec); err != nil {
				return err
			}
		}
		if !ok {
			return info.ErrNoPass
		}
		p := rec.pass()
		if err := change(&p); err != nil {
			changeErr = err
			return err
		}
		if p.Hash == "" {
			return errors.New("the hash is empty")
		}
		return putJSON(b, key, newPassRecord(p))
	})
	if changeErr != nil {
		return changeErr
	}
	if err != nil {
		return fmt.Errorf("update Temporary Access Pass: %w", err)
	}
	return nil
}

// DeletePass removes the account's pass. It returns an error matching
// ErrNoPass if the account has none.
func (l *Local) DeletePass(account string) error {
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	key := []byte(accountKey(account))
	err = l.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPasses)
		if b == nil || b.Get(key) == nil {
			return info.ErrNoPass
		}
		return b.Delete(key)
	})
	if err != nil {
		return fmt.Errorf("remove Temporary Access Pass: %w", err)
	}
	return nil
}

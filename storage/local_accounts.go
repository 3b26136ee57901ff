package storage

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
	bolt "go.etcd.io/bbolt"
)

// CreateAccount adds a new account, keeping its Name as given; a zero
// Created is set to now. It returns ErrAccountExists if the name, compared
// case-insensitively and without surrounding spaces, is taken.
func (l *Local) CreateAccount(a info.Account) error {

	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	key := accountKey(a.Name)
	if key == "" {
		return errors.New("create account: the name is empty")
	}
	if a.Created.IsZero() {
		a.Created = time.Now()
	}
	err = l.db.Update(func(tx *bolt.Tx) error {
		accounts := tx.Bucket(bucketAccounts)
		if accounts.Get([]byte(key)) != nil {
			return fmt.Errorf("account %q: %w", a.Name, info.ErrAccountExists)
		}
		if err := putJSON(accounts, key, newAccountRecord(a)); err != nil {
			return err
		}
		_, err := tx.Bucket(bucketMethods).CreateBucketIfNotExists([]byte(key))
		return err
	})
	if err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	return nil
}

// Account returns the named account or an error matching ErrNoAccount.
func (l *Local) Account(name string) (info.Account, error) {

	release, err := l.hold()
	if err != nil {
		return info.Account{}, err
	}
	defer release()
	var rec accountRecord
	err = l.db.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucketAccounts), accountKey(name), &rec)
		if err == nil && !ok {
			err = info.ErrNoAccount
		}
		return err
	})
	if err != nil {
		return info.Account{}, fmt.Errorf("read account: %w", err)
	}
	return rec.account(), nil
}

// EachAccount calls visit for each account whose name contains query
// (case-insensitively; all if query is empty), in order of the lower-cased
// name, at most limit of them unless limit <= 0. The walk holds one record
// at a time; a visit error stops it and is returned as it is.
func (l *Local) EachAccount(query string, limit int, visit func(info.Account) error) error {
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	want := accountKey(query)
	var visitErr error
	n := 0
	err = l.db.View(func(tx *bolt.Tx) error {
		// Keys are lower-cased names, and bbolt iterates in key order.
		c := tx.Bucket(bucketAccounts).Cursor()
		var read pageDropper // memory stays flat however many accounts
		for k, v := c.First(); k != nil; k, v = c.Next() {
			read.saw(v)
			if want != "" && !strings.Contains(string(k), want) {
				continue
			}
			var rec accountRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode account %q: %w", k, err)
			}
			if visitErr = visit(rec.account()); visitErr != nil {
				return visitErr
			}
			if n++; limit > 0 && n >= limit {
				return nil
			}
		}
		return nil
	})
	if visitErr != nil {
		return visitErr
	}
	if err != nil {
		return fmt.Errorf("list accounts: %w", err)
	}
	return nil
}

// Unlock clears an account's failed sign-ins, so it can sign in again at
// once: every count (the password's, the second factor's, app passwords').
func (l *Local) Unlock(name string) error {
	return l.UpdateAccount(name, func(a *info.Account) error {
		a.Failures = 0
		a.LastFailure = time.Time{}
		a.SecondFactorTries, a.AppPasswordTries = info.Tries{}, info.Tries{}
		return nil
	})
}

// ClearPasswordFailures clears an account's count of wrong passwords, and
// no other (info.Store); the local store has no lock of its own beyond
// its counts.
func (l *Local) ClearPasswordFailures(name string) error {
	return l.UpdateAccount(name, func(a *info.Account) error {
		a.Failures, a.LastFailure = 0, time.Time{}
		return nil
	})
}

// SetPassword keeps a new argon2id hash of password and clears the
// account's failed sign-ins.
func (l *Local) SetPassword(name, password string) error {
	hash, err := secret.Hash(password, rand.Reader)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return l.UpdateAccount(name, func(a *info.Account) error {
		a.PasswordHash = hash
		a.Failures, a.LastFailure = 0, time.Time{}
		return nil
	})
}

// Bind is not supported: Local keeps password hashes, which the sign-in
// rules check themselves.
func (l *Local) Bind(name, credential string) (info.Account, error) {
	return info.Account{}, info.ErrNotSupported
}

// UnknownCodeAtBind is not supported: Local checks no code at a bind.
func (l *Local) UnknownCodeAtBind(string) (bool, error) {
	return false, info.ErrNotSupported
}

// BindProved is not supported either (Bind).
func (l *Local) BindProved(name, password string) (info.Account, error) {
	return info.Account{}, info.ErrNotSupported
}

// UpdateAccount calls change on the named account inside one transaction
// and saves the result. If change returns an error, nothing is saved and
// that error is returned as it is. The name may change only in letter case
// and surrounding spaces.
func (l *Local) UpdateAccount(name string, change func(*info.Account) error) error {
	release, err := l.hold()
	if err != nil {
		return err
	}
	defer release()
	key := accountKey(name)
	var changeErr error
	err = l.db.Update(func(tx *bolt.Tx) error {
		accounts := tx.Bucket(bucketAccounts)
		var rec accountRecord
		ok, err := getJSON(accounts, key, &rec)
		if err != nil {
			return err
		}
		if !ok {
			return info.ErrNoAccount
		}
		a := rec.account()
		if err := change(&a); err != nil {
			changeErr = err
			return err
		}
		if accountKey(a.Name) != key {
			return fmt.Errorf("account %q cannot be renamed to %q", name, a.Name)
		}
		return putJSON(accounts, key, newAccountRecord(a))
	})
	if changeErr != nil {
		return changeErr
	}
	if err != nil {
		return fmt.Errorf("update account: %w", err)
	}
	return nil
}

package storage

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CreateAccount adds a new account, keeping its Name as given; a zero
// Created is set to now. It returns ErrAccountExists if the name, compared
// case-insensitively and without surrounding spaces, is taken.
func (l *Local) CreateAccount(a Account) error {

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
			return fmt.Errorf("account %q: %w", a.Name, ErrAccountExists)
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
func (l *Local) Account(name string) (Account, error) {

	release, err := l.hold()
	if err != nil {
		return Account{}, err
	}
	defer release()
	var rec accountRecord
	err = l.db.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucketAccounts), accountKey(name), &rec)
		if err == nil && !ok {
			err = fmt.Errorf("account %q: %w", name, ErrNoAccount)
		}
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("read account: %w", err)
	}
	return rec.account(), nil
}

// Accounts lists every account, sorted by name compared case-insensitively.
func (l *Local) Accounts() ([]Account, error) {

	release, err := l.hold()
	if err != nil {
		return nil, err
	}
	defer release()
	var out []Account
	err = l.db.View(func(tx *bolt.Tx) error {
		// Keys are lower-cased names, and bbolt iterates in key order.
		return tx.Bucket(bucketAccounts).ForEach(func(k, _ []byte) error {
			var rec accountRecord
			if _, err := getJSON(tx.Bucket(bucketAccounts), string(k), &rec); err != nil {
				return err
			}
			out = append(out, rec.account())
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}

// UpdateAccount calls change on the named account inside one transaction
// and saves the result. If change returns an error, nothing is saved and
// that error is returned as it is. The name may change only in letter case
// and surrounding spaces.
func (l *Local) UpdateAccount(name string, change func(*Account) error) error {
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
			return fmt.Errorf("account %q: %w", name, ErrNoAccount)
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

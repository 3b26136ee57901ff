package apppassword

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// MaxPasswords is how many app passwords an account may have.
const MaxPasswords = 40

// Errors from List, Create and Delete, checked with errors.Is. Their texts
// are written for the person.
var (
	// ErrLimit means the account has MaxPasswords app passwords already.
	ErrLimit = words.New("you have 40 app passwords, the most allowed: delete one you no longer use, then create the new one",
		"You have 40 app passwords, the most allowed. Delete one you no longer use, then create the new one.")
	// ErrNotFound means the account has no app password of that name.
	ErrNotFound = words.New("no app password with that name",
		"No app password with that name.")
)

// List returns the account's app passwords (and no other method), oldest
// first. Each Label is a name; none holds a password, only its hash.
func List(dir info.Store, account string) ([]info.Method, error) {
	all, err := dir.Methods(account)
	if err != nil {
		return nil, fmt.Errorf("read your app passwords: %w", err)
	}
	return appPasswords(all), nil
}

// appPasswords returns the app passwords among ms, keeping their order.
func appPasswords(ms []info.Method) []info.Method {
	var out []info.Method
	for _, m := range ms {
		if m.Kind == info.KindAppPassword {
			out = append(out, m)
		}
	}
	return out
}

// Create makes a new app password called name for account: it checks the
// name (CheckName) and the limit (ErrLimit), draws the password from r,
// and saves the method with only the password's salted hash (attribute
// AttrHash, nothing in the keyring). It returns the password, which exists
// nowhere else: show it once, then forget it. m is the saved record.
//
// If two creations race (the app and an admin command), the store is
// checked again after saving: the later of two same-named passwords, or
// one beyond the MaxPasswords oldest, is removed again and ErrNameTaken or
// ErrLimit returned.
//
// Create is slow on purpose (argon2id): call it off the UI thread.
func Create(dir info.Store, account, name string, now time.Time, r io.Reader) (password string, m info.Method, err error) {
	pw, m, err := create(dir, account, name, now, r)
	if err != nil {
		return "", info.Method{}, err
	}
	defer secret.Zero(pw)
	return string(pw), m, nil
}

// create is Create returning the password as bytes the caller can zero.
func create(dir info.Store, account, name string, now time.Time, r io.Reader) ([]byte, info.Method, error) {
	for attempt := 0; ; attempt++ {
		pw, m, err := createOnce(dir, account, name, now, r)
		if errors.Is(err, errLookupTaken) && attempt < 3 {
			continue // another creation took its digest meanwhile: draw again
		}
		return pw, m, err
	}
}

// errLookupTaken means an app password of the account created at the same
// time got the same lookup digest first.
var errLookupTaken = errors.New("another app password has the same lookup digest")

// maxDraws bounds the passwords drawn for a lookup digest no other app
// password of the account has; with 16 bits and at most 39 others, a draw
// is taken 99.9% of the time.
const maxDraws = 32

// createOnce is one try of create.
func createOnce(dir info.Store, account, name string, now time.Time, r io.Reader) ([]byte, info.Method, error) {
	existing, err := List(dir, account)
	if err != nil {
		return nil, info.Method{}, err
	}
	if len(existing) >= MaxPasswords {
		return nil, info.Method{}, ErrLimit
	}
	name, err = CheckName(name, existing)
	if err != nil {
		return nil, info.Method{}, err
	}
	taken := map[string]bool{}
	for _, o := range existing {
		taken[o.Lookup] = o.Lookup != ""
	}
	var pw []byte
	for draw := 0; pw == nil || (taken[Lookup(string(pw))] && draw < maxDraws); draw++ {
		secret.Zero(pw)
		if pw, err = generate(r); err != nil {
			return nil, info.Method{}, err
		}
	}
	id, err := secret.NewID(r)
	if err != nil {
		secret.Zero(pw)
		return nil, info.Method{}, err
	}
	hash, err := secret.Hash(string(pw), r)
	if err != nil {
		secret.Zero(pw)
		return nil, info.Method{}, fmt.Errorf("protect the app password: %w", err)
	}
	m := info.Method{
		ID:      id,
		Kind:    info.KindAppPassword,
		Label:   name,
		Created: now,
		Hash:    hash,
		Lookup:  Lookup(string(pw)),
	}
	if err := dir.AddMethod(account, m, nil); err != nil {
		secret.Zero(pw)
		return nil, info.Method{}, fmt.Errorf("save the app password: %w", err)
	}
	if err := recheck(dir, account, m); err != nil {
		secret.Zero(pw)
		return nil, info.Method{}, err
	}
	return pw, m, nil
}

// recheck undoes the creation of m if, in the store's order, an older app
// password has the same name or lookup digest (errLookupTaken), or
// MaxPasswords older ones exist.
func recheck(dir info.Store, account string, m info.Method) error {
	all, err := List(dir, account)
	if err != nil {
		return nil // m is saved; the next List will tell.
	}
	var refuse error
	for i, o := range all {
		if o.ID == m.ID {
			if i >= MaxPasswords {
				refuse = ErrLimit
			}
			break
		}
		if strings.EqualFold(o.Label, m.Label) {
			refuse = ErrNameTaken
			break
		}
		if o.Lookup != "" && o.Lookup == m.Lookup {
			refuse = errLookupTaken
			break
		}
	}
	if refuse == nil {
		return nil
	}
	if err := dir.RemoveMethod(account, m.ID); err != nil {
		return fmt.Errorf("%w (and the extra one made meanwhile could not be removed: %w)", refuse, err)
	}
	return refuse
}

// Delete removes the account's app password called name (ignoring case and
// leading and trailing white space), or returns ErrNotFound. An app using
// it can no longer sign in.
func Delete(dir info.Store, account, name string) error {
	ms, err := List(dir, account)
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	for _, m := range ms {
		if strings.EqualFold(m.Label, name) {
			if err := dir.RemoveMethod(account, m.ID); err != nil {
				if errors.Is(err, info.ErrNoMethod) {
					return ErrNotFound
				}
				return fmt.Errorf("delete the app password: %w", err)
			}
			return nil
		}
	}
	return ErrNotFound
}

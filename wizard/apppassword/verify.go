package apppassword

import (
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// ErrNoMatch means the password typed is none of the account's app
// passwords (or the account does not exist: the two look alike).
var ErrNoMatch = errors.New("that app password isn't right")

// checkSecret is secret.Check; tests count its calls. An unknown account
// or one without app passwords is checked against secret.DummyHash, so it
// costs one hash, as a wrong password does.
var checkSecret = secret.Check

// Verify checks a password an app presents for account, as the person
// typed it (spaces and upper case are accepted, see Normalise). It returns
// nil if it is one of the account's app passwords and ErrNoMatch if not.
//
// It applies the same back-off and lock-out as sign-in, on the same
// persisted count: with wizard.MaxFailures consecutive failures it returns
// wizard.ErrLocked, and during wizard.Backoff after the latest failure a
// *wizard.WaitError, both before checking anything. A failure increments
// the account's Failures and sets LastFailure; a success resets Failures
// to 0. An unknown account gives ErrNoMatch after a dummy hash; its
// failures are not counted anywhere.
//
// Every app password of the account is checked, without stopping at a
// match, so that the time taken does not tell which one matched. If none
// matches and a record's hash is damaged, the error wraps both ErrNoMatch
// and secret.ErrBadHash and names that app password.
//
// Verify is slow on purpose: one argon2id hash (about 50 ms) per app
// password of the account, so up to about 2 s. Call it off the UI thread.
func Verify(dir info.Store, account, password string, now time.Time) error {
	typed := Normalise(password)
	acct, err := dir.Account(account)
	if errors.Is(err, info.ErrNoAccount) {
		_, _ = checkSecret(secret.DummyHash, typed)
		return ErrNoMatch
	}
	if err != nil {
		return fmt.Errorf("read the account: %w", err)
	}
	if acct.Failures >= wizard.MaxFailures {
		return wizard.ErrLocked
	}
	if wait := acct.LastFailure.Add(wizard.Backoff(acct.Failures)).Sub(now); wait > 0 {
		return &wizard.WaitError{Wait: wait}
	}
	ms, err := List(dir, account)
	if err != nil {
		return err
	}
	matched, damaged := false, ""
	for _, m := range ms {
		ok, err := checkSecret(m.Hash, typed)
		if err != nil && damaged == "" {
			damaged = m.Label
		}
		matched = matched || ok
	}
	if len(ms) == 0 {
		_, _ = checkSecret(secret.DummyHash, typed)
	}
	err = dir.UpdateAccount(account, func(a *info.Account) error {
		if matched {
			a.Failures = 0
		} else {
			a.Failures++
			a.LastFailure = now
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record the app password check: %w", err)
	}
	switch {
	case matched:
		return nil
	case damaged != "":
		return fmt.Errorf("%w; the saved record of app password %q is damaged (%w): delete it and create a new one", ErrNoMatch, damaged, secret.ErrBadHash)
	}
	return ErrNoMatch
}

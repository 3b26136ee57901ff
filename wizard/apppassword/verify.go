package apppassword

import (
	"errors"
	"fmt"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// ErrNoMatch means the password typed is none of the account's app
// passwords (or the account does not exist: the two look alike).
var ErrNoMatch = words.New("that app password isn't right",
	"That app password isn't right.")

// checkSecret is secret.Check; tests count its calls. An unknown account
// or one without app passwords is checked against secret.DummyHash, so it
// costs one hash, as a wrong password does.
var checkSecret = secret.Check

// Verify checks a password an app presents for account, as the person
// typed it (spaces and upper case are accepted, see Normalise). It returns
// nil if it is one of the account's app passwords and ErrNoMatch if not.
//
// It applies the same back-off and lock-out as sign-in, on the same
// persisted count (regulation.Default): with regulation.MaxFailures
// consecutive failures it returns regulation.ErrLocked, and during the
// back-off after the latest failure a *regulation.WaitError, both before
// checking anything. A failure increments
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
	if err := regulation.Default.Check(regulation.AccountState(acct), now); err != nil {
		return err
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
	if err := regulation.RecordAttempt(dir, account, matched, now); err != nil {
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

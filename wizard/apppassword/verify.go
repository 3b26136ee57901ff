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

// checkSecret is secret.Check; tests count its calls.
var checkSecret = secret.Check

// dummyCheck spends the work of one check against secret.DummyHash, on
// the paths that have no record to check.
func dummyCheck(typed string) { _, _ = checkSecret(secret.DummyHash, typed) }

// Verify checks a password an app presents for account, as the person
// typed it (spaces and upper case are accepted, see Normalise). It returns
// nil if it is one of the account's app passwords and ErrNoMatch if not.
//
// It applies the same back-off and lock-out as sign-in, on the account's
// own count of app password failures (regulation.Default, factor
// regulation.AppPassword): with regulation.MaxFailures consecutive
// failures it returns regulation.ErrLocked (as it does while any other
// count of the account is locked), and during the back-off after the
// latest failure a *regulation.WaitError. The try is counted as a failure
// (AppPasswordTries) before the hash, in the same transaction as that gate
// (regulation.Rules.ReserveFactor), so a burst of guesses sent at once
// can't all pass the gate before any is counted; a success then clears
// that count, and only that one (the password's and the second factor's
// stay as they are). A name that names no
// account gives ErrNoMatch, and is gated and counted alike, in the same
// kind of transaction (regulation.Rules.ReserveUnknown: the store's Counts
// for that name, kept by a keyed slot, never the name), so it waits and
// locks as an account does.
//
// The work is the same whether the account exists or not: one store
// write transaction (that count: a synced commit in the local store) and
// one argon2id hash (about 50 ms); when the try must wait or is locked,
// no write (the refusal is rolled back) and still one hash. The typed
// password's lookup digest (Lookup) selects the one record it can match
// (Create gives no two app passwords of an account the same digest), and
// that record's hash is checked; when no record has that digest, or the
// account is unknown, locked or waiting, or has no app passwords, or the
// store could not be read, secret.DummyHash is checked instead. So the
// work done tells neither whether the account exists nor how many app
// passwords it has; a success costs one write more (clearing the count),
// and says so anyway. In a directory the Counts are a slot entry under
// ou=tries, counted with the same read and modify as a person's failures;
// only a directory set up before ou=tries existed has no place for them,
// and there they are kept in this process's memory, so an account's count
// is a write to the directory that a name that names nobody does not make
// (the app says so at start).
//
// App passwords saved before lookup digests existed have none: each of
// them is checked too, at every Verify of the account, one hash more
// apiece. The first time one matches, its digest is computed from the
// password just typed and saved, and from then on it costs nothing
// extra; one never used again stays on the slow path until deleted.
//
// If none matches and a record's hash is damaged, the error wraps both
// ErrNoMatch and secret.ErrBadHash and names that app password.
//
// Call it off the UI thread.
func Verify(dir info.Store, account, password string, now time.Time) error {
	typed := Normalise(password)
	acct, err := dir.Account(account)
	if errors.Is(err, info.ErrNoAccount) {
		// The work of an account's path, below: the count, then the
		// read of its app passwords (which finds none) and a hash.
		err := regulation.Default.ReserveUnknown(dir, account, regulation.AppPassword, now)
		var w *regulation.WaitError
		switch {
		case errors.Is(err, regulation.ErrLocked) || errors.As(err, &w):
			dummyCheck(typed)
			return err
		case err != nil:
			dummyCheck(typed)
			return fmt.Errorf("record the app password check: %w", err)
		}
		_, _ = dir.Methods(account)
		dummyCheck(typed)
		return ErrNoMatch
	}
	if err != nil {
		dummyCheck(typed)
		return fmt.Errorf("read the account: %w", err)
	}
	if err := regulation.Default.ReserveFactor(dir, acct.Name, regulation.AppPassword, now); err != nil {
		dummyCheck(typed)
		var w *regulation.WaitError
		if errors.Is(err, regulation.ErrLocked) || errors.As(err, &w) {
			return err
		}
		return fmt.Errorf("record the app password check: %w", err)
	}
	ms, err := List(dir, account)
	if err != nil {
		dummyCheck(typed)
		return err
	}
	want := Lookup(typed)
	var selected, legacy []info.Method
	for _, m := range ms {
		switch m.Lookup {
		case "":
			legacy = append(legacy, m)
		case want:
			selected = append(selected, m)
		}
	}
	if len(selected) == 0 {
		dummyCheck(typed)
	}
	matched, damaged := false, ""
	var migrate []string
	check := func(m info.Method) bool {
		ok, err := checkSecret(m.Hash, typed)
		if err != nil && damaged == "" {
			damaged = m.Label
		}
		matched = matched || ok
		return ok
	}
	for _, m := range selected {
		check(m)
	}
	for _, m := range legacy {
		if check(m) {
			migrate = append(migrate, m.ID)
		}
	}
	if matched {
		// The failure Reserve counted is cleared, with the app
		// passwords' count and no other: a right app password proves
		// nothing of the person's password or second factor, so
		// ppolicy's count of wrong passwords stays. A wrong app
		// password stays counted as it is.
		if err := regulation.RecordFactor(dir, account, regulation.AppPassword, true, now); err != nil {
			return fmt.Errorf("record the app password check: %w", err)
		}
	}
	for _, id := range migrate {
		// Best effort: if it fails, the next successful Verify tries again.
		_ = dir.UpdateMethod(account, id, func(m *info.Method) error {
			if m.Lookup == "" {
				m.Lookup = want
			}
			return nil
		})
	}
	switch {
	case matched:
		return nil
	case damaged != "":
		return fmt.Errorf("%w; the saved record of app password %q is damaged (%w): delete it and create a new one", ErrNoMatch, damaged, secret.ErrBadHash)
	}
	return ErrNoMatch
}

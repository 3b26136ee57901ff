package tap

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// How long a pass may last.
const (
	MinLifetime     = 10 * time.Minute
	MaxLifetime     = 30 * 24 * time.Hour
	DefaultLifetime = time.Hour
)

// Errors from Issue, Check and Revoke, checked with errors.Is. The texts
// of ErrExpired (through *ExpiredError) and ErrUsed are for the person
// signing in.
var (
	// ErrLifetime means a lifetime outside MinLifetime–MaxLifetime.
	ErrLifetime = words.New("a Temporary Access Pass lasts from 10 minutes to 30 days",
		"A Temporary Access Pass lasts from 10 minutes to 30 days.")
	// ErrNoPass means the account has no pass; it is info.ErrNoPass.
	ErrNoPass = info.ErrNoPass
	// ErrNoMatch means what was typed is not the account's pass. Sign-in
	// treats it as a wrong password.
	ErrNoMatch = errors.New("that Temporary Access Pass isn't right")
	// ErrExpired is matched by every *ExpiredError.
	ErrExpired = words.New("this Temporary Access Pass expired: ask your helpdesk for a new one",
		"This Temporary Access Pass expired. Ask your helpdesk for a new one.")
	// ErrUsed means the right one-time pass, used before.
	ErrUsed = words.New("this one-time pass was already used: ask your helpdesk for a new one",
		"This one-time pass was already used. Ask your helpdesk for a new one.")
	// ErrIssuedMeanwhile means another pass was issued (or the pass
	// revoked) for the account while this one was being made: this one
	// was not saved, and must not be given out. It matches
	// info.ErrPassChanged.
	ErrIssuedMeanwhile = words.Like(info.ErrPassChanged,
		"another Temporary Access Pass was issued or revoked for this account at the same time: this one was not saved",
		"Someone else issued or revoked a Temporary Access Pass for this account at the same time, so this one was not saved. Check the account before issuing another.")
)

// ExpiredError is the right pass, typed after it expired.
type ExpiredError struct {
	// At is when it expired.
	At time.Time
}

// Error names when the pass expired and what to do.
func (e *ExpiredError) Error() string {
	at := e.At.UTC()
	return fmt.Sprintf("this Temporary Access Pass expired at %s UTC on %s: ask your helpdesk for a new one",
		at.Format("15:04"), at.Format("2006-01-02"))
}

// Words name when the pass expired and what to do.
func (e *ExpiredError) Words() string {
	at := e.At.UTC()
	return fmt.Sprintf("This Temporary Access Pass expired at %s UTC on %s. Ask your helpdesk for a new one.",
		at.Format("15:04"), at.Format("2006-01-02"))
}

// Is makes errors.Is(err, ErrExpired) true.
func (e *ExpiredError) Is(target error) bool { return target == ErrExpired }

// Issue makes a new pass for account, valid from now for lifetime (0 means
// DefaultLifetime), usable once if oneTime, and saves its hash in dir,
// replacing any pass the account had. It returns the pass, unformatted:
// show it once (Format) and keep it nowhere. r is the randomness for the
// pass and the hash's salt (crypto/rand.Reader outside tests). It fails
// with ErrLifetime for a lifetime out of bounds and info.ErrNoAccount
// for an unknown account. It is slow on purpose (argon2id).
//
// The pass it replaces is read before r is first read, and the new one is
// saved only if that one is still the account's (info.Store.SetPass is a
// compare-and-swap): of two issuers at once, the one that finds its
// predecessor gone gets ErrIssuedMeanwhile instead of a pass that no
// longer works, so a returned pass is the one stored.
func Issue(dir info.Store, account string, lifetime time.Duration, oneTime bool, now time.Time, r io.Reader) (string, error) {
	if lifetime == 0 {
		lifetime = DefaultLifetime
	}
	if err := CheckLifetime(lifetime); err != nil {
		return "", err
	}
	replaces := ""
	switch cur, err := dir.GetPass(account); {
	case err == nil:
		replaces = cur.Hash
	case !errors.Is(err, info.ErrNoPass):
		return "", err
	}
	pass, err := generate(r)
	if err != nil {
		return "", err
	}
	hash, err := secret.Hash(pass, r)
	if err != nil {
		return "", fmt.Errorf("hashing the Temporary Access Pass: %w", err)
	}
	p := info.Pass{Hash: hash, Issued: now.UTC(), Expires: now.Add(lifetime).UTC(), OneTime: oneTime}
	err = dir.SetPass(account, replaces, p)
	if errors.Is(err, info.ErrPassChanged) {
		return "", ErrIssuedMeanwhile
	}
	if err != nil {
		return "", err
	}
	return pass, nil
}

// CheckLifetime returns an error matching ErrLifetime unless d is from
// MinLifetime to MaxLifetime, both included.
func CheckLifetime(d time.Duration) error {
	switch {
	case d < MinLifetime:
		return fmt.Errorf("%s is too short: %w", Duration(d), ErrLifetime)
	case d > MaxLifetime:
		return fmt.Errorf("%s is too long: %w", Duration(d), ErrLifetime)
	}
	return nil
}

// Duration says d for people: "1 hour", "90 minutes", "7 days".
func Duration(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case d > 0 && d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "day")
	case d > 0 && d%time.Hour == 0:
		return unit(int64(d/time.Hour), "hour")
	case d > 0 && d%time.Minute == 0:
		return unit(int64(d/time.Minute), "minute")
	}
	return d.String()
}

// Check checks typed, as a person typed it (any case, with or without
// spaces or dashes), against account's pass at now. It returns nil if it
// is the pass and the pass is still good; a one-time pass is marked used
// in the same transaction that checks it, so two sign-ins cannot both use
// it. Otherwise it returns ErrNoPass (the account has none), ErrNoMatch
// (typed is not the pass), *ExpiredError (errors.Is ErrExpired) or ErrUsed.
// Those last two only come when typed is the pass: a wrong guess at an
// expired or used pass is ErrNoMatch, like any wrong guess.
//
// Check is slow on purpose (one argon2id hash): call it off the UI thread.
func Check(dir info.Store, account, typed string, now time.Time) error {
	return check(dir, account, typed, now, true)
}

// check is Check; use says to mark a one-time pass used (without it, a
// pass it finds right stays as it is: Peek).
func check(dir info.Store, account, typed string, now time.Time, use bool) error {
	p, err := dir.GetPass(account)
	if errors.Is(err, info.ErrNoPass) {
		return ErrNoPass
	}
	if err != nil {
		return err
	}
	ok, err := secret.Check(p.Hash, Normalise(typed))
	if err != nil {
		return fmt.Errorf("checking the Temporary Access Pass: %w", err)
	}
	if !ok {
		return ErrNoMatch
	}
	good := func(q *info.Pass) error {
		if q.Used {
			return ErrUsed
		}
		if !now.Before(q.Expires) {
			return &ExpiredError{At: q.Expires}
		}
		return nil
	}
	if !use {
		return good(&p)
	}
	err = dir.UpdatePass(account, func(q *info.Pass) error {
		if q.Hash != p.Hash {
			return ErrNoMatch // replaced since it was read: typed is the old pass
		}
		if err := good(q); err != nil {
			return err
		}
		if q.OneTime {
			q.Used = true
			q.UsedAt = now.UTC()
		}
		return nil
	})
	if errors.Is(err, info.ErrNoPass) {
		return ErrNoMatch // revoked since it was read
	}
	return err
}

// Withdraw takes back pass, just issued to account, whose issue could not
// be recorded: it ends the pass now, but only while it is still the
// account's (the stored hash is the one read, inside the update), so a pass
// another operator issued meanwhile stays. Nothing to withdraw (no pass, or
// another's) is no error.
func Withdraw(dir info.Store, account, pass string, now time.Time) error {
	p, err := dir.GetPass(account)
	if errors.Is(err, info.ErrNoPass) {
		return nil
	}
	if err != nil {
		return err
	}
	ok, err := secret.Check(p.Hash, Normalise(pass))
	if err != nil {
		return fmt.Errorf("checking the pass to withdraw: %w", err)
	}
	if !ok {
		return nil // replaced already: the new one isn't ours to end
	}
	err = dir.UpdatePass(account, func(q *info.Pass) error {
		if subtle.ConstantTimeCompare([]byte(q.Hash), []byte(p.Hash)) != 1 {
			return errReplaced
		}
		q.Expires = now.UTC()
		return nil
	})
	if errors.Is(err, errReplaced) || errors.Is(err, info.ErrNoPass) {
		return nil
	}
	return err
}

// errReplaced stops an update of a pass that another took the place of.
var errReplaced = errors.New("the pass was replaced")

// Revoke removes account's pass; ErrNoPass if it has none.
func Revoke(dir info.Store, account string) error {
	err := dir.DeletePass(account)
	if errors.Is(err, info.ErrNoPass) {
		return ErrNoPass
	}
	return err
}

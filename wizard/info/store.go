package info

import (
	"errors"
	"fmt"
	"time"
)

// Store keeps accounts and their security info. Every backend implements
// all of it; an operation a backend can't do answers ErrNotSupported, so
// callers never probe a backend's type. Writes that touch more than one
// place (a record and its secret, a token and the link to it) must be
// all-or-nothing, also across a crash.
type Store interface {
	// CreateAccount adds a new account; ErrAccountExists if the name is
	// taken (names compare case-insensitively); ErrNotSupported where
	// accounts come from the directory.
	CreateAccount(a Account) error
	// Account returns the named account or ErrNoAccount; a store that
	// reads the Counts it keeps for a name that names no account in the
	// same requests (the directory's try slot) says so with a
	// *NoAccountError, for the sign-in's back-off.
	Account(name string) (Account, error)
	// EachAccount calls visit for each account whose name contains
	// query (case-insensitively; every account if query is empty), in
	// name order, at most limit of them (no limit if limit <= 0), without
	// holding them all in memory. A visit error stops the walk and is
	// returned.
	EachAccount(query string, limit int, visit func(Account) error) error
	// UpdateAccount changes an account's failure count, last failure and
	// password hash inside one transaction.
	UpdateAccount(name string, change func(*Account) error) error
	// UpdateTries changes the failure counts kept for a name that names
	// no account (the three an account keeps: Counts), inside one
	// transaction that costs what UpdateAccount's does (a synced write
	// where the store writes to disk), so that a try at such a name is
	// gated, counted and paid for as a try at an account is, and its time
	// tells neither apart. The counts are kept
	// under the name's TrySlot with the store's own key, never the name
	// (people type passwords into the account field), at most
	// MaxTrySlots of them. If change returns an error, nothing is saved
	// and that error is returned as it is. ErrNotSupported where the
	// store has no place to keep them (the caller keeps a SlotTable).
	UpdateTries(name string, change func(*Counts) error) error
	// Unlock clears an account's failed sign-ins and lock.
	Unlock(name string) error
	// ClearPasswordFailures clears an account's count of wrong passwords
	// and its lock (the directory's password policy's, where it has
	// one), and no other count: after a self-service password reset,
	// which proved the person's methods and replaced the password but
	// proves nothing of the wrong app passwords guessed elsewhere.
	ClearPasswordFailures(name string) error
	// SetPassword gives an account a new password (after a password
	// reset): the local store keeps its argon2id hash; the directory
	// changes it with a Password Modify, whose password policy may refuse
	// it with ErrPasswordRejected.
	SetPassword(name, password string) error
	// Bind checks a password (followed by the authenticator code when
	// the account's CodeAtBind is set) with the directory itself, which
	// applies its own lock-out; ErrWrongPassword, ErrLocked,
	// ErrPasswordExpired or ErrMustChangePassword when it refuses.
	// ErrNotSupported means the backend keeps password hashes instead
	// (Account.PasswordHash), checked by the caller.
	Bind(name, credential string) (Account, error)
	// UnknownCodeAtBind says how a name that names no account answers a
	// sign-in where the directory may enforce people's authenticator apps
	// at bind (Account.CodeAtBind): as a person with an app (true: asked
	// for the code first) or as one without (refused at the bind). A name
	// answers the same every time and at every station (by its TrySlot,
	// with the store's shared key), and names answer each way in the share
	// of the directory's people who have an app, so that neither answer
	// tells that a name names somebody. It is asked of every name, a
	// person's too, and costs each alike. ErrNotSupported where the
	// backend keeps password hashes (no code is checked at a bind).
	UnknownCodeAtBind(name string) (bool, error)
	// BindProved is Bind for a person whose second factor the app has
	// proved itself (a recovery code): the directory checks the
	// password, and where it enforces the person's authenticator app at
	// every bind, the station adds the app's code itself. Only a caller
	// that proved a second factor may call it. ErrNotSupported where the
	// backend keeps password hashes.
	BindProved(name, password string) (Account, error)

	// Methods lists an account's registered methods, oldest first.
	Methods(account string) ([]Method, error)
	// AddMethod registers a method. If secret is not nil it is stored as
	// the method's secret; the method is saved only if that succeeds.
	AddMethod(account string, m Method, secret []byte) error
	// UpdateMethod changes a method's non-secret record in one transaction.
	UpdateMethod(account, id string, change func(*Method) error) error
	// RemoveMethod removes one method and its secret.
	RemoveMethod(account, id string) error
	// RemoveAllMethods removes every method of an account and their secrets,
	// returning how many were removed.
	RemoveAllMethods(account string) (int, error)
	// ReplaceMethods replaces every method of kind the account has with
	// ms (each of kind, none with a secret), as one change: a reader, and
	// the account after a crash at any point, sees either all the old
	// methods of kind or all of ms, never a mix or a part of either, and
	// of two replacements at once one set is left whole (a new set of
	// recovery codes must never be stored in part, since nobody has seen
	// the codes yet). ErrNoAccount; ErrMethodExists if an id in ms is
	// taken by a method of another kind; on any error nothing changed.
	ReplaceMethods(account string, kind Kind, ms []Method) error
	// Secret reads a method's secret.
	Secret(account, id string) ([]byte, error)
	// CheckSecrets reports whether secrets can be read and written now.
	CheckSecrets() error
	// Bound starts an action that may read or write several secrets
	// (checking a code against five authenticator apps): until end is
	// called, every keyring call shares one time limit, d from now (0:
	// the keyring's own limit per call), so the action waits at most d in
	// all, not d per call. A backend without a keyring does nothing.
	Bound(d time.Duration) (end func())

	// SetPass gives an account its Temporary Access Pass p in place of
	// the pass whose hash is replaces ("" for none), as one
	// compare-and-swap: ErrPassChanged if the account's pass is no longer
	// that one (another was issued, or it was revoked, meanwhile), so two
	// helpdesk operators issuing at once are never both told their pass
	// works; ErrNoAccount if there is no such account.
	SetPass(account, replaces string, p Pass) error
	// GetPass returns an account's pass or ErrNoPass.
	GetPass(account string) (Pass, error)
	// UpdatePass changes an account's pass inside one transaction;
	// ErrNoPass if it has none.
	UpdatePass(account string, change func(*Pass) error) error
	// DeletePass removes an account's pass; ErrNoPass if it has none.
	DeletePass(account string) error

	// AppendAudit adds an entry at the end of the audit log.
	AppendAudit(e AuditEntry) error
	// EachAudit calls visit for each entry, oldest first: only those of
	// account (compared case-insensitively) unless it is empty, and only
	// those at or after since unless it is zero. It holds one entry at a
	// time and answers a filter from an index, not by reading the whole
	// log; a visit error stops the walk and is returned.
	EachAudit(account string, since time.Time, visit func(AuditEntry) error) error

	// SetStationSecret keeps one of this station's own credentials (a
	// delivery provider's token, the kiosk passphrase's hash) in the
	// station's keyring.
	SetStationSecret(name string, secret []byte) error
	// StationSecret reads it; ErrSecretNotFound if none was set.
	StationSecret(name string) ([]byte, error)
	// DeleteStationSecret removes it; removing one never set is not an
	// error.
	DeleteStationSecret(name string) error

	// Close releases the store.
	Close() error
}

// Errors returned by Store implementations, checked with errors.Is.
var (
	ErrAccountExists = errors.New("account already exists")
	ErrNoAccount     = errors.New("no such account")
	ErrNoMethod      = errors.New("no such method")
	ErrMethodExists  = errors.New("a method with this id already exists")
	ErrNoPass        = errors.New("no Temporary Access Pass")
	// ErrPassChanged means SetPass found another pass than the one it was
	// to replace: nothing was saved.
	ErrPassChanged = errors.New("the Temporary Access Pass was changed meanwhile")
	// ErrNotSupported means this backend doesn't do that operation.
	ErrNotSupported = errors.New("not supported by this storage backend")
	// ErrSecretNotFound means no secret is stored under that name.
	ErrSecretNotFound = errors.New("secret not found in the keyring")
	// ErrKeyringUnavailable means the OS keyring could not be reached: no
	// session bus, no Secret Service, or it did not answer within the
	// time limit. Nothing was stored anywhere else.
	ErrKeyringUnavailable = errors.New("the system keyring is not available")
	// ErrKeyringLocked means the keyring is there but locked.
	ErrKeyringLocked = errors.New("the system keyring is locked")
	// ErrStoreBusy means another process holds the data file.
	ErrStoreBusy = errors.New("the data directory is in use by another Security Info")
	// ErrWrongPassword means the directory refused the password (or the
	// password and code).
	ErrWrongPassword = errors.New("the directory refused the password")
	// ErrLocked means the account is locked after too many failures.
	ErrLocked = errors.New("the account is locked")
	// ErrLockedBeforeBind is ErrLocked (errors.Is) answered by Bind
	// before any bind, for a name that names no account whose try slot
	// the counts together lock: the caller then asks for no pass, as it
	// refuses a person so locked before any check.
	ErrLockedBeforeBind = fmt.Errorf("%w (refused before any bind)", ErrLocked)
	// ErrPasswordExpired means the password has expired.
	ErrPasswordExpired = errors.New("the password has expired")
	// ErrMustChangePassword means the password was reset by an
	// administrator and must be changed before use.
	ErrMustChangePassword = errors.New("the password must be changed")
	// ErrPasswordRejected means the directory's password policy refused a
	// new password; a *PasswordRejectedError says why.
	ErrPasswordRejected = errors.New("the directory refused the new password")
	// ErrDirectoryUnavailable means the directory could not be reached or
	// did not answer in time.
	ErrDirectoryUnavailable = errors.New("the directory is not reachable")
)

// PasswordRejectedError says why a directory refused a new password, in
// the words of its password policy.
type PasswordRejectedError struct {
	// Reason is "too-short", "in-history", "too-young", "quality" or
	// "other".
	Reason string
	// Detail is the directory's own message, for the log.
	Detail string
}

// Error names the reason and the directory's message.
func (e *PasswordRejectedError) Error() string {
	return "the directory refused the new password (" + e.Reason + "): " + e.Detail
}

// Is makes errors.Is(err, ErrPasswordRejected) true.
func (e *PasswordRejectedError) Is(target error) bool { return target == ErrPasswordRejected }

// NoAccountError is ErrNoAccount (errors.Is) from Account, for a name
// that names no account, with the Counts the store keeps for the name
// (UpdateTries): the directory reads the name's try slot in the search a
// person's Account makes of the helpdesk group, so that a sign-in can make
// such a name's password try wait, as it makes a person's wait on the
// Counts their Account carries, with no request more than a person's.
type NoAccountError struct {
	// Counts are the name's, as read with the account's search.
	Counts Counts
}

// Error is ErrNoAccount's.
func (e *NoAccountError) Error() string { return ErrNoAccount.Error() }

// Unwrap makes errors.Is(err, ErrNoAccount) true.
func (e *NoAccountError) Unwrap() error { return ErrNoAccount }

// CheckReplacement is what every backend's ReplaceMethods asks of ms
// before it changes anything: each of kind, none with a secret, ids
// non-empty and distinct.
func CheckReplacement(kind Kind, ms []Method) error {
	if kind == "" {
		return errors.New("replace methods: no kind given")
	}
	seen := make(map[string]bool, len(ms))
	for _, m := range ms {
		switch {
		case m.Kind != kind:
			return fmt.Errorf("replace methods: method %q is a %s, not a %s", m.ID, m.Kind, kind)
		case m.HasSecret:
			return fmt.Errorf("replace methods: method %q has a secret; only methods without one can be replaced as a set", m.ID)
		case m.ID == "":
			return errors.New("replace methods: a method id is empty")
		case seen[m.ID]:
			return fmt.Errorf("replace methods: method %q is given twice: %w", m.ID, ErrMethodExists)
		}
		seen[m.ID] = true
	}
	return nil
}

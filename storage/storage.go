// Package storage keeps accounts and their registered security info.
//
// What is not secret (accounts, password hashes, which methods are
// registered, masked phone numbers, app password hashes, the last accepted
// TOTP step) lives in a crash-safe transactional file store; secrets that the
// app must be able to read back (TOTP seeds) live only in the OS keyring.
// Directory is the boundary every backend implements, so that a directory
// server backend can later replace the local one.
package storage

import (
	"errors"
	"time"
)

// MethodKind names a kind of security info.
type MethodKind string

// The kinds of security info the app knows about.
const (
	KindAuthenticatorApp  MethodKind = "authenticator-app"
	KindPhone             MethodKind = "phone"
	KindEmail             MethodKind = "email"
	KindSecurityQuestions MethodKind = "security-questions"
	KindSecurityKey       MethodKind = "security-key"
	KindAppPassword       MethodKind = "app-password"
)

// Account is a person who can sign in. Nothing in it is secret in the
// clear: the password is kept only as a salted argon2id hash.
type Account struct {
	// Name is the account name as first given, e.g. alice@contoso.example.
	Name string
	// PasswordHash is an argon2id hash in PHC string form.
	PasswordHash string
	// Created is when the account was added.
	Created time.Time
	// Failures counts consecutive failed sign-ins; a success resets it.
	Failures int
	// LastFailure is when the latest failed sign-in happened.
	LastFailure time.Time
	// Helpdesk marks an operator account.
	Helpdesk bool
}

// Method is one registered piece of security info. Its secret, if it has
// one, is in the keyring and never in this struct.
type Method struct {
	// ID is unique within the account and names the keyring item.
	ID string
	// Kind says what sort of method this is.
	Kind MethodKind
	// Label is what a person sees: a device name, a masked phone number,
	// an app password's name.
	Label string
	// Created is when the method's test succeeded and it was saved.
	Created time.Time
	// HasSecret says a keyring item belongs to this method.
	HasSecret bool
	// Attrs holds non-secret details (for example "e164", "last_step",
	// "hash" for salted hashes).
	Attrs map[string]string
}

// Directory stores accounts and their methods. Implementations must make a
// write that touches both the file store and the keyring all-or-nothing.
type Directory interface {
	// CreateAccount adds a new account; ErrAccountExists if the name is taken
	// (names compare case-insensitively).
	CreateAccount(a Account) error
	// Account returns the named account or ErrNoAccount.
	Account(name string) (Account, error)
	// Accounts lists every account, sorted by name.
	Accounts() ([]Account, error)
	// UpdateAccount changes an account inside one transaction.
	UpdateAccount(name string, change func(*Account) error) error
	// Methods lists an account's registered methods, oldest first.
	Methods(account string) ([]Method, error)
	// AddMethod registers a method. If secret is not nil it is written to
	// the keyring; the method is saved only if that succeeds, and the
	// keyring item is removed again if saving the record fails.
	AddMethod(account string, m Method, secret []byte) error
	// UpdateMethod changes a method's non-secret record in one transaction.
	UpdateMethod(account, id string, change func(*Method) error) error
	// RemoveMethod removes one method and its keyring secret.
	RemoveMethod(account, id string) error
	// RemoveAllMethods removes every method of an account and their secrets,
	// returning how many were removed.
	RemoveAllMethods(account string) (int, error)
	// Secret reads a method's secret from the keyring.
	Secret(account, id string) ([]byte, error)
	// CheckSecrets reports whether the keyring can be used right now.
	CheckSecrets() error
	// Close releases the store.
	Close() error
}

// Errors returned by Directory implementations, checked with errors.Is.
var (
	ErrAccountExists = errors.New("account already exists")
	ErrNoAccount     = errors.New("no such account")
	ErrNoMethod      = errors.New("no such method")
	ErrMethodExists  = errors.New("a method with this id already exists")
	// ErrKeyringUnavailable means the OS keyring could not be reached: no
	// session bus, no Secret Service, or it did not answer within the
	// time limit. Nothing was stored anywhere else.
	ErrKeyringUnavailable = errors.New("the system keyring is not available")
	// ErrKeyringLocked means the keyring is there but locked.
	ErrKeyringLocked = errors.New("the system keyring is locked")
	// ErrStoreBusy means another process holds the data file.
	ErrStoreBusy = errors.New("the data directory is in use by another Security Info")
)

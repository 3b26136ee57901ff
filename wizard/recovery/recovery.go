// Package recovery is the recovery codes method: a set of Count single-use
// codes, made from an unambiguous alphabet, shown to the person once, and
// stored only as salted argon2id hashes, each as a method of its own
// (info.KindRecoveryCodes) so that using one removes it. A code stands in
// for a second factor at sign-in and proves the person at a password
// reset. A new set takes the old one's place in one store operation.
package recovery

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

// The rules of a set of codes.
const (
	// Count is how many codes a set has.
	Count = 10
	// Length is how many characters a code has (about 59 bits).
	Length = 12
	// Alphabet is what codes are made of: lower-case letters and digits
	// without 0, o, 1, l and i, which are easily confused.
	Alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
	// Label is the name every code's method has.
	Label = "Recovery code"
)

// Errors, checked with errors.Is.
var (
	// ErrWrongCode means the code is not one of the person's unused codes.
	ErrWrongCode = words.New("that recovery code isn't right, or was used already",
		"That recovery code isn't right, or it was used already. Each code works once. Check it and try again.")
	// ErrCodeFormat means the entry can't be a recovery code; it counts
	// as nothing.
	ErrCodeFormat = words.New("a recovery code is 12 letters and digits",
		"A recovery code is 12 letters and digits, like abcd-efgh-jkmn. Check it and try again.")
	// ErrNoCodes means the person has no recovery codes.
	ErrNoCodes = words.New("no recovery codes are registered",
		"You have no recovery codes.")
)

// Generate returns Count new codes read from r, each Length characters
// of Alphabet, drawn without bias.
func Generate(r io.Reader) ([]string, error) {
	codes := make([]string, 0, Count)
	seen := map[string]bool{}
	for len(codes) < Count {
		c, err := one(r)
		if err != nil {
			return nil, err
		}
		if !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	return codes, nil
}

// one draws one code: bytes at or above the largest multiple of the
// alphabet's size are drawn again.
func one(r io.Reader) (string, error) {
	n := len(Alphabet)
	limit := 256 - 256%n
	out := make([]byte, 0, Length)
	var b [1]byte
	for len(out) < Length {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return "", fmt.Errorf("make a recovery code: %w", err)
		}
		if int(b[0]) < limit {
			out = append(out, Alphabet[int(b[0])%n])
		}
	}
	return string(out), nil
}

// Format writes a code in groups of four joined by dashes, for reading.
func Format(code string) string { return secret.Group(code, "-") }

// Normalise reads a code as a person typed it: spaces and dashes dropped,
// upper case read as lower. ok is false if what is left can't be a code.
func Normalise(typed string) (code string, ok bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(typed) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
		case strings.ContainsRune(Alphabet, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if b.Len() != Length {
		return "", false
	}
	return b.String(), true
}

// Codes returns the recovery codes among ms (one method each).
func Codes(ms []info.Method) []info.Method {
	var out []info.Method
	for _, m := range ms {
		if m.Kind == info.KindRecoveryCodes {
			out = append(out, m)
		}
	}
	return out
}

// Left is how many unused recovery codes ms holds.
func Left(ms []info.Method) int { return len(Codes(ms)) }

// Regenerate makes a new set for account: it hashes every new code
// first, then puts the set in place of the account's old codes in one
// store operation (info.Store.ReplaceMethods), so that a crash or a
// failure leaves the old set or the whole new one, never a part of a set
// nobody was shown. It returns the codes, to be shown once. It is slow on
// purpose (argon2id, Count times): call it off the UI thread.
func Regenerate(dir info.Store, account string, now time.Time, r io.Reader) ([]string, error) {
	codes, err := Generate(r)
	if err != nil {
		return nil, err
	}
	ms := make([]info.Method, 0, len(codes))
	for _, c := range codes {
		hash, err := secret.Hash(c, r)
		if err != nil {
			return nil, fmt.Errorf("save the recovery codes: %w", err)
		}
		id, err := secret.NewID(r)
		if err != nil {
			return nil, fmt.Errorf("save the recovery codes: %w", err)
		}
		ms = append(ms, info.Method{ID: id, Kind: info.KindRecoveryCodes, Label: Label, Created: now, Hash: hash})
	}
	if err := dir.ReplaceMethods(account, info.KindRecoveryCodes, ms); err != nil {
		return nil, fmt.Errorf("save the recovery codes: %w", err)
	}
	return codes, nil
}

// Find checks typed against account's unused codes, as Use does, without
// using the one it is: it returns that code's method ID, to be removed
// (info.Store.RemoveMethod) once what the code stands in for is done. A
// wrong code costs Count argon2id checks however many codes are left, as
// Decoy does for a name that names nobody, so that neither tells how many
// codes a person has, or whether the name is a person's. Errors as Use's.
// It is slow on purpose: call it off the UI thread.
func Find(dir info.Store, account, typed string) (string, error) {
	code, ok := Normalise(typed)
	if !ok {
		return "", ErrCodeFormat
	}
	ms, err := dir.Methods(account)
	if err != nil {
		return "", fmt.Errorf("read your security info: %w", err)
	}
	codes := Codes(ms)
	for _, m := range codes {
		if match, err := secret.Check(m.Hash, code); err == nil && match {
			return m.ID, nil
		}
	}
	for range Count - len(codes) {
		secret.Dummy(code)
	}
	return "", ErrWrongCode
}

// Decoy does what Find does for a wrong code, for a name that names no
// account: the methods read, Count argon2id checks. It returns
// ErrCodeFormat where Find does, else ErrWrongCode.
func Decoy(dir info.Store, account, typed string) error {
	code, ok := Normalise(typed)
	if !ok {
		return ErrCodeFormat
	}
	_, _ = dir.Methods(account)
	for range Count {
		secret.Dummy(code)
	}
	return ErrWrongCode
}

// Use checks typed against account's unused codes and, if it is one,
// removes it, so it works once only (a code removed meanwhile by another
// station is refused). Errors: ErrCodeFormat (counts as nothing),
// ErrWrongCode, or a storage error. It is slow on purpose: call it off the
// UI thread.
func Use(dir info.Store, account, typed string) error {
	code, ok := Normalise(typed)
	if !ok {
		return ErrCodeFormat
	}
	ms, err := dir.Methods(account)
	if err != nil {
		return fmt.Errorf("read your security info: %w", err)
	}
	codes := Codes(ms)
	if len(codes) == 0 {
		secret.Dummy(code) // the time a wrong code costs
		return ErrWrongCode
	}
	for _, m := range codes {
		match, err := secret.Check(m.Hash, code)
		if err != nil || !match {
			continue
		}
		err = dir.RemoveMethod(account, m.ID)
		if errors.Is(err, info.ErrNoMethod) {
			return ErrWrongCode // used meanwhile
		}
		if err != nil {
			return fmt.Errorf("use the recovery code: %w", err)
		}
		return nil
	}
	return ErrWrongCode
}

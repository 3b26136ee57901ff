package apppassword

import (
	"crypto/sha256"
	"encoding/hex"
)

// LookupLength is how many hexadecimal characters a lookup digest has:
// 16 bits of the 75 an app password holds.
const LookupLength = 4

// lookupLabel separates lookup digests from any other use of SHA-256 on
// an app password.
const lookupLabel = "securityinfo app password lookup v1\x00"

// Lookup returns the lookup digest of an app password in its generated
// form (see Normalise): the first LookupLength hexadecimal characters of
// SHA-256 over a fixed label and the password. Saved beside the
// password's argon2id hash (info.Method.Lookup), it lets Verify pick out
// the one record a typed password can match and hash once, however many
// app passwords the account has; Create draws again rather than give one
// account two app passwords with the same digest.
//
// It is a short identifying prefix, not a keyed digest, on purpose: it
// must be the same on every station of a fleet that shares a directory,
// where a key in one station's keyring would not be. The 16 bits it
// gives away leave 59 of an app password's 75 bits of randomness to
// guess, each guess still needing an argon2id hash to confirm; the digest
// never proves anything, the hash does.
func Lookup(password string) string {
	sum := sha256.Sum256([]byte(lookupLabel + password))
	return hex.EncodeToString(sum[:])[:LookupLength]
}

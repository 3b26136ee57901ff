// Package secret is the one home of how Security Info treats secrets and
// the codes people type: hashing them for storage (argon2id, in PHC string
// form) and checking them in constant time, spending the same time when
// there is nothing to check (DummyHash), zeroing them in memory, making
// method IDs, grouping them for display, and reading back codes as people
// type them. It knows nothing of accounts or storage; every method package
// uses it instead of a copy of its own.
package secret

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters (OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// cost is the argon2id cost Hash writes and the one Check spends on
// DummyHash: the app's parameters above, unless a test has lowered them
// (UseLowCostForTests).
var cost = appCost

// appCost is the app's own cost; dummy is the hash Check computes when
// it is given DummyHash.
var appCost = struct {
	time, memory uint32
	dummy        string
}{argonTime, argonMemory, DummyHash}

// UseLowCostForTests makes Hash write hashes at the cheapest cost Check
// accepts (t=1, 8 KiB) and Check spend that cost on DummyHash, or with
// false puts the app's cost back. It is for the tests of packages whose
// tests are not about the hash's cost (argon2id at 19 MiB is most of
// their CPU time under the race detector): call it once, in TestMain,
// before any test runs (testkit.Main does). Everything that counts
// checks (Checks) counts the same. The app never calls it
// (TestUseLowCostForTests_NotCalledByTheApp); this package's own tests
// run at the app's cost.
func UseLowCostForTests(low bool) {
	cost = appCost
	if low {
		cost.time, cost.memory = 1, 8
		parts := strings.Split(DummyHash, "$") // its salt and key, at the low cost
		parts[3] = fmt.Sprintf("m=%d,t=%d,p=%d", cost.memory, cost.time, argonThreads)
		cost.dummy = strings.Join(parts, "$")
	}
}

// ErrBadHash means a stored hash is not an argon2id hash this app wrote.
var ErrBadHash = errors.New("stored hash is not in the expected argon2id format")

// Hash hashes a secret (a password, app password, pass or answer) with
// argon2id and a fresh salt from rand, returning a PHC-format string. It is
// slow on purpose: call it off the UI thread.
func Hash(secret string, rand io.Reader) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return "", fmt.Errorf("reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(secret), salt, cost.time, cost.memory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, cost.memory, cost.time, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Check reports whether secret matches a hash made by Hash, comparing in
// constant time. It fails with ErrBadHash for anything else.
func Check(hash, secret string) (bool, error) {
	if hash == DummyHash {
		hash = cost.dummy // DummyHash itself, unless a test lowered the cost
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil || t == 0 || p == 0 || mem == 0 || mem > 1<<20 {
		return false, ErrBadHash
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	checks.Add(1)
	got := argon2.IDKey([]byte(secret), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// DummyHash is a well-formed hash, with Hash's parameters, that nothing
// anyone can type matches. Checking against it when there is nothing real
// to check (an unknown account, an account without a pass or app
// passwords) makes that cost what a real check costs, so the time taken
// does not tell what exists.
const DummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2VjdXJpdHlpbmZvc2FsdA$YuS88U/BJNfc4q61scSpM9Cv/RsgZog0K6xI8tccsQo"

// Dummy spends the time of one Check against DummyHash.
func Dummy(typed string) { _, _ = Check(DummyHash, typed) }

// Zero overwrites b with zeros, so that a secret no longer needed does not
// linger in memory. Zero(nil) does nothing.
func Zero(b []byte) { clear(b) }

// NewID returns a method ID: 16 random bytes from r, in hex.
func NewID(r io.Reader) (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("make a method id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Group splits s into groups of four characters joined by sep, for
// reading and typing: Group("ABCDEFGHJ", " ") is "ABCD EFGH J".
func Group(s, sep string) string {
	var b strings.Builder
	for i, r := range []rune(s) {
		if i > 0 && i%4 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NormaliseCode reads a numeric code as a person typed it: white space and
// dashes anywhere are dropped, and ASCII, full-width and Arabic-Indic
// digits are read as the digits they are. It returns the code in ASCII
// digits and true if exactly digits of them are left, or false for
// anything else (letters, other signs, too few or too many digits).
func NormaliseCode(typed string, digits int) (string, bool) {
	var b strings.Builder
	for _, r := range typed {
		switch d := digitValue(r); {
		case unicode.IsSpace(r) || r == '-':
		case d >= 0:
			b.WriteByte(byte('0' + d))
		default:
			return "", false
		}
	}
	if b.Len() != digits {
		return "", false
	}
	return b.String(), true
}

// CodeComplete reports whether typed is a whole code of digits digits as
// NormaliseCode reads it: a page may submit it without waiting for Enter.
func CodeComplete(typed string, digits int) bool {
	_, ok := NormaliseCode(typed, digits)
	return ok
}

// digitValue returns the value of an ASCII, full-width, Arabic-Indic or
// Extended Arabic-Indic digit, or -1 for any other rune.
func digitValue(r rune) int {
	for _, zero := range []rune{'0', '\uFF10', '\u0660', '\u06F0'} {
		if r >= zero && r <= zero+9 {
			return int(r - zero)
		}
	}
	return -1
}

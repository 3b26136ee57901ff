package wizard

import (
	"io"

	"github.com/securityinfo/securityinfo/wizard/secret"
)

// ErrBadHash means a stored hash is not an argon2id hash this app wrote.
//
// Deprecated: use secret.ErrBadHash; this name stays until cli/ moves.
var ErrBadHash = secret.ErrBadHash

// HashSecret is secret.Hash.
//
// Deprecated: use secret.Hash; this name stays until cli/ moves.
func HashSecret(s string, rand io.Reader) (string, error) { return secret.Hash(s, rand) }

// CheckSecret is secret.Check.
//
// Deprecated: use secret.Check; this name stays until cli/ moves.
func CheckSecret(hash, s string) (bool, error) { return secret.Check(hash, s) }

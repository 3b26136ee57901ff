// Package r is what the randsource analyzer must and must not report.
package r

import (
	"bytes"
	crand "crypto/rand"
	"io"
	mrand "math/rand"
)

type Config struct {
	Rand io.Reader
	In   io.Reader
}

var good io.Reader = crand.Reader

var bad io.Reader = mrand.New(mrand.NewSource(1)) // want `package-level io.Reader bad is not crypto/rand.Reader`

func NewID(r io.Reader) string { return "" }

func Hash(secret string, rand io.Reader) string { return "" }

func Parse(in io.Reader) {}

func wiring(c Config, passed io.Reader) {
	_ = Config{Rand: crand.Reader, In: bytes.NewReader(nil)}
	_ = Config{Rand: mrand.New(mrand.NewSource(1))}     // want `randomness for field Rand is not crypto/rand.Reader`
	_ = Config{Rand: bytes.NewReader(make([]byte, 64))} // want `randomness for field Rand is not crypto/rand.Reader`
	if c.Rand == nil {
		c.Rand = crand.Reader
	}
	if c.Rand == nil {
		c.Rand = mrand.New(mrand.NewSource(42)) // want `randomness for Rand is not crypto/rand.Reader`
	}
	NewID(crand.Reader)
	NewID(passed)
	NewID(c.Rand)
	NewID(good)
	NewID(mrand.New(mrand.NewSource(1))) // want `randomness for parameter r is not crypto/rand.Reader`
	Hash("x", bytes.NewReader(nil))      // want `randomness for parameter rand is not crypto/rand.Reader`
	Parse(bytes.NewReader(nil))
}

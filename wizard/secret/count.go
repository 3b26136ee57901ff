package secret

import "sync/atomic"

// checks counts Check's argon2id computations, real and Dummy alike.
var checks atomic.Uint64

// Checks is how many argon2id checks (Check, Dummy) this process has
// made. Tests that must show two paths do the same work (an account that
// exists and one that doesn't) compare it before and after each path:
// work counted, not time taken, which a busy machine blurs.
func Checks() uint64 { return checks.Load() }

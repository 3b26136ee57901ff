// Package tap is Temporary Access Passes: a short-lived pass the helpdesk
// issues to a person who has no password yet, or who lost every method, so
// that they can sign in once (or for a while) and register their security
// info.
//
// A pass is 12 characters from an alphabet without look-alikes (upper-case
// letters but O and I, and digits 2–9: no 0, O, 1, I or l), drawn from
// crypto/rand, shown once in groups of four ("ABCD-EFGH-JKLM") and
// kept only as a salted argon2id hash. It lasts from MinLifetime to
// MaxLifetime (DefaultLifetime if none is given); a one-time pass dies on
// its first use. An account has at most one pass: issuing replaces the old
// one.
//
// A person types the pass where the password goes. Check tells a wrong
// pass (ErrNoMatch, which sign-in treats as a wrong password) from a right
// pass that expired (*ExpiredError) or was used (ErrUsed): those last two
// are told only to someone who typed the pass itself, so they reveal
// nothing to someone guessing.
package tap

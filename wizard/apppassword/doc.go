// Package apppassword is the app password method: passwords for apps that
// can't do two-step verification (an old mail client, for example), their
// names, the limit per account, and the registration steps.
//
// The numbers are fixed by the design: 16 lower-case letters drawn from
// crypto/rand without bias, shown once and never again, stored only as a
// salted argon2id hash in the method record (attribute "hash"; nothing goes
// to the keyring) beside a 4-character lookup digest (attribute "lookup",
// see Lookup), names of 1–64 characters unique per account ignoring case,
// and at most 40 app passwords per account.
//
// Hashing is slow on purpose (argon2id, about 50 ms a hash). Verify hashes
// once whatever the account's count, the record picked by the digest (plus
// once for each app password saved before digests existed, until its next
// use): Create, Verify and Setup.Next on the name screen must be called off
// the UI thread.
//
// Nothing here draws anything: Setup is the registration driven by the
// wizard host, and the ui package renders its screens. List, Create and
// Delete manage an account's app passwords outside the wizard (the "manage
// your app passwords" page, the admin commands); Verify checks one with
// the same back-off and lock-out as sign-in.
package apppassword

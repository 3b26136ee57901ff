// Package storage keeps accounts and their registered security info on
// this machine: Local implements Store with a crash-safe
// transactional file store for what is not secret (accounts, password
// hashes, which methods are registered, phone numbers, app password
// hashes, the last accepted TOTP step, the audit log) and the OS keyring
// for secrets the app must read back (TOTP seeds, the station's own
// credentials). The directory backend, in storage/directory, implements
// the same Store against the organisation's OpenLDAP.
package storage

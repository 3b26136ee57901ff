// Package authapp is the authenticator app method: TOTP keys, otpauth URIs,
// QR codes, and the registration steps.
//
// The numbers are fixed by the design: SHA1, 6 digits and a 30-second period
// (the only parameters real authenticator apps honour), a 20-byte secret
// shown as 32 base32 characters without padding, a verification window of
// the current step ±1, and each code (and every earlier step) accepted only
// once.
//
// Nothing here draws anything: Setup is the registration driven by the
// wizard host, and the ui package renders its screens. CheckCode verifies a
// code against an account's registered apps later on, persisting the last
// accepted step so that replay is refused across restarts.
package authapp

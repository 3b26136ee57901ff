// Package assets holds what is embedded in the binary: the app icon, the
// default policy that `make run` opens, and the security questions.
package assets

import _ "embed"

// Icon is the app icon (PNG, 256×256, 8 bits per channel: decoded on the
// UI thread when the window opens, so kept small).
//
//go:embed icon.png
var Icon []byte

// DefaultPolicy is the embedded default policy (TOML): the demo set-up.
//
//go:embed default-policy.toml
var DefaultPolicy []byte

// DefaultPolicyName names the embedded policy in error messages.
const DefaultPolicyName = "embedded default policy"

// Questions is the list of security questions that ships with the app
// (TOML, every language in one file): see wizard/questions.
//
//go:embed questions.toml
var Questions []byte

// CommonPasswords is the list of the 10,000 most common passwords, one a
// line, that a new password is checked against (common-passwords.NOTICE
// says where it comes from and its licence).
//
//go:embed common-passwords.txt
var CommonPasswords string

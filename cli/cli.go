// Package cli is Security Info's admin sub-commands: account management
// for the helpdesk, run from the same binary without a window.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Env is what a command reads and writes, so tests can run commands in
// process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Open opens the directory in a data dir.
	Open func(dataDir string) (info.Store, error)
	// ReadPassword reads a password from a terminal without echo; nil when
	// stdin is not a terminal.
	ReadPassword func(prompt string) (string, error)
}

// Globals are the flags that apply to the app and every command; they may
// stand before or after the command.
type Globals struct {
	DataDir string
	Policy  string
	Help    bool
	// Kiosk runs the app as a kiosk station whatever the policy says.
	Kiosk bool
	// Rest is what remains: the command and its arguments.
	Rest []string
}

// errUsage marks a mistake in how a command was called.
var errUsage = errors.New("usage")

// ParseGlobals takes the global flags out of args, wherever they stand.
func ParseGlobals(args []string) (Globals, error) {
	var g Globals
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(a, "=")
		switch name {
		case "--data-dir", "-data-dir", "--policy", "-policy":
			if !hasVal {
				if i+1 >= len(args) {
					return g, fmt.Errorf("%w: %s needs a value", errUsage, name)
				}
				i++
				val = args[i]
			}
			if val == "" {
				return g, fmt.Errorf("%w: %s needs a non-empty value", errUsage, name)
			}
			if strings.TrimLeft(name, "-") == "data-dir" {
				g.DataDir = val
			} else {
				g.Policy = val
			}
		case "--help", "-help", "-h":
			g.Help = true
		case "--kiosk", "-kiosk":
			g.Kiosk = true
		case "--":
			g.Rest = append(g.Rest, args[i+1:]...)
			return g, nil
		default:
			g.Rest = append(g.Rest, a)
		}
	}
	return g, nil
}

// Usage is the top-level help.
const Usage = `Security Info: register your security info after you sign in.

Usage:
  securityinfo [--policy FILE] [--data-dir DIR] [--kiosk] open the app
  securityinfo [--data-dir DIR] COMMAND [ARGS]           run an admin command

Global flags (before or after the command):
  --policy FILE    policy file (TOML); the embedded default otherwise
  --data-dir DIR   the local directory; default: the user's data directory
  --kiosk          run as a kiosk enrollment station (full screen, wiped between people)
  --help           help for the app or a command

Commands:
  user add ACCOUNT     add an account; the password is read from a prompt or stdin
  user list            list accounts
  user show ACCOUNT    an account's registered methods, with dates (never a secret)
  user reset ACCOUNT   remove every registered method and its keyring secrets
  user unlock ACCOUNT  clear an account's failed sign-ins after a lock-out
  app-password list ACCOUNT         an account's app passwords (names and dates)
  app-password delete ACCOUNT NAME  delete one
  app-password verify ACCOUNT       check a password read on stdin: exit 0 if it matches, 1 if not
  provider set NAME    keep a delivery provider's credentials (twilio, webhook) in the keyring
  provider show        which providers have credentials
  provider clear NAME  remove a provider's credentials
  station passphrase   set the passphrase a kiosk station asks before it closes
  tap issue ACCOUNT [--lifetime D] [--one-time]
                       a Temporary Access Pass (10m to 30d, default 1h), shown once
  tap revoke ACCOUNT   remove an account's Temporary Access Pass
  audit list [--account A] [--since T]
                       the audit log (T: 2026-11-24T14:05:00Z, or how long ago: 24h)
`

// IsCommand reports whether args (globals removed) name an admin command
// rather than opening the window.
func IsCommand(rest []string) bool { return len(rest) > 0 }

// Run runs one admin command and returns the process exit code: 0 on
// success, 1 when the command failed, 2 when it was called wrongly.
func Run(g Globals, env Env) int {
	if len(g.Rest) == 0 {
		fmt.Fprint(env.Stdout, Usage)
		return 0
	}
	var err error
	switch g.Rest[0] {
	case "user":
		err = runUser(g, env)
	case "provider":
		err = runProvider(g, env)
	case "station":
		err = runStation(g, env)
	case "app-password":
		err = runAppPassword(g, env)
	case "tap":
		err = runTap(g, env)
	case "audit":
		err = runAudit(g, env)
	case "help":
		fmt.Fprint(env.Stdout, Usage)
	default:
		err = fmt.Errorf("%w: unknown command %q: run securityinfo --help", errUsage, g.Rest[0])
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "securityinfo: %s\n", oneLine(err))
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

// oneLine keeps an error on a single line of the terminal.
func oneLine(err error) string {
	s := strings.TrimPrefix(err.Error(), "usage: ")
	return strings.Join(strings.Fields(s), " ")
}

// DefaultDataDir is the local directory in the user's data directory.
func DefaultDataDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return d + "/securityinfo", nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the data directory: %w (use --data-dir DIR)", err)
	}
	return dataDirIn(home), nil
}

// Package cli is Security Info's admin commands: account management for
// the helpdesk and a station's own settings, run from the same binary as
// the app, without a window. Run parses the command line with cobra; with
// no command it opens the app through Env.App.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/station"
)

// Version is Security Info's version. It must equal the Version in
// FyneApp.toml, which `fyne package` reads; a test compares them.
const Version = "0.1.0"

// Env is what the commands read and write, so that tests can run them in
// process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Open opens the store the commands work on, as the global flags say
	// (g.DataDir is always set: the default data directory if no
	// --data-dir was given).
	Open func(g Globals) (info.Store, error)
	// Station opens this station's own store, where its credentials are
	// kept (the directory's bind password among them), whatever the
	// policy says; nil means Open.
	Station func(g Globals) (info.Store, error)
	// ReadPassword reads a secret from a terminal without echo; nil when
	// stdin is not a terminal (secrets are then read one a line).
	ReadPassword func(prompt string) (string, error)
	// App opens the window: what securityinfo does without a command.
	// Nil prints the help instead.
	App func(g Globals) error
	// SecretsAt names where a store keeps its secrets, for `user show`
	// (e.g. "keyring service securityinfo:…"); nil, or "" for a store,
	// shows nothing.
	SecretsAt func(s info.Store) string
	// FindPolicy returns the station's policy file when --policy is not
	// given (the system's, then the user's), or "" if there is none; nil
	// finds none.
	FindPolicy func() string
}

// Globals are the flags that apply to the app and to every command; they
// may stand before or after the command.
type Globals struct {
	// DataDir is the local data directory; empty means the default.
	DataDir string
	// Policy is the policy file: --policy, else the one Env.FindPolicy
	// finds; empty means none (the embedded demo when Demo is set).
	Policy string
	// Demo asks for the embedded demo set-up (--demo): a demo account and
	// a demo outbox. Never together with a policy file.
	Demo bool
	// Kiosk runs the app as a kiosk station whatever the policy says.
	Kiosk bool
	// NoSecrets is set by a command that reads and writes no secret in
	// the keyring (app-password verify): the store may open without
	// settling writes a crash left half done, which would wait on the
	// keyring (storage.LocalOptions.LeaveJournal).
	NoSecrets bool
	// ReadOnly is set by a command that only reads (audit list, user
	// list, user show, app-password list): the local store opens
	// read-only, without repairs, and refuses any write
	// (storage.LocalOptions.ReadOnly).
	ReadOnly bool
}

// usageError marks a mistake in how a command was called: exit code 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef makes a usageError; %w works as in fmt.Errorf.
func usagef(format string, a ...any) error {
	return &usageError{fmt.Errorf(format, a...)}
}

// failure marks an error of a command that was called rightly but could
// not do its work: exit code 1.
type failure struct{ err error }

func (e *failure) Error() string { return e.err.Error() }
func (e *failure) Unwrap() error { return e.err }

// Run runs the command line args (without the program name) and returns
// the process exit code: 0 on success, 1 when a command failed, 2 when it
// was called wrongly. Errors go to env.Stderr as one line, with control
// characters escaped and long arguments cut.
func Run(args []string, env Env) int {
	root := newRoot(&env)
	root.SetArgs(normaliseArgs(args))
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintf(env.Stderr, "securityinfo: %s\n", message(err))
	var f *failure
	if errors.As(err, &f) {
		return 1
	}
	// Usage errors, and anything cobra itself refused.
	return 2
}

// Usage is the top-level help, as `securityinfo --help` prints it.
func Usage() string {
	var b strings.Builder
	root := newRoot(&Env{Stdout: &b, Stderr: io.Discard})
	root.SetOut(&b)
	if err := root.Help(); err != nil {
		return err.Error()
	}
	return b.String()
}

// act wraps a command's work: its errors are failures (exit 1) unless they
// say the command was called wrongly.
func act(run func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := run(cmd, args)
		var u *usageError
		if err == nil || errors.As(err, &u) {
			return err
		}
		return &failure{err}
	}
}

// longFlags are the flags that Go's flag package style with one dash
// (-data-dir) still reaches, as before the commands moved to cobra.
var longFlags = map[string]bool{
	"data-dir": true, "policy": true, "kiosk": true, "help": true, "version": true,
	"helpdesk": true, "lifetime": true, "one-time": true, "account": true, "since": true,
}

// normaliseArgs turns -data-dir (one dash, a known long flag) into
// --data-dir; everything after "--" is left alone.
func normaliseArgs(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			name, _, _ := strings.Cut(a[1:], "=")
			if longFlags[name] {
				a = "-" + a
			}
		}
		out = append(out, a)
	}
	return out
}

// dataDir is g's data directory, the default one if none was given.
func dataDir(g Globals) (string, error) {
	if g.DataDir != "" {
		return g.DataDir, nil
	}
	return station.DefaultDataDir()
}

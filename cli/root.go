package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// command is what every command's work gets: the environment and the
// global flags as parsed.
type command struct {
	env *Env
	g   *Globals
}

// newRoot builds the command tree for one run.
func newRoot(env *Env) *cobra.Command {
	c := &command{env: env, g: &Globals{}}
	root := &cobra.Command{
		Use:   "securityinfo [--policy FILE] [--data-dir DIR] [--kiosk]",
		Short: "Register your security info after you sign in",
		Long: `Security Info walks a person through registering their security info
(authenticator app, phone, app passwords) right after they sign in.

Without a command it opens the app. With one, it runs an admin command
without a window: the helpdesk's account management and the station's own
settings. The flags --policy, --demo, --data-dir and --kiosk may stand before or
after the command.`,
		Version:           Version,
		Args:              rootArgs,
		RunE:              act(func(cmd *cobra.Command, _ []string) error { return c.app(cmd) }),
		PersistentPreRunE: c.checkGlobals,
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&c.g.Policy, "policy", "", "the organisation's policy, a TOML `FILE` (default: /etc/securityinfo/policy.toml, then the user's ~/.config/securityinfo/policy.toml)")
	pf.BoolVar(&c.g.Demo, "demo", false, "run the built-in demo (a demo account, codes in a local outbox) instead of a policy")
	pf.StringVar(&c.g.DataDir, "data-dir", "", "the `DIR` where local data is kept (default: the user's data directory)")
	pf.BoolVar(&c.g.Kiosk, "kiosk", false, "run as a kiosk enrollment station (full screen, wiped between people)")
	pf.BoolP("help", "h", false, "help for the app or a command")
	root.SetFlagErrorFunc(flagError)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetVersionTemplate(versionLine + "\n")
	root.SetUsageTemplate(usageTemplate)
	root.InitDefaultVersionFlag()
	root.Flags().Lookup("version").Usage = "print the version"

	root.AddCommand(c.userCmd(), c.appPasswordCmd(), c.tapCmd(), c.auditCmd(),
		c.providerCmd(), c.stationCmd(), c.directoryCmd(), completionCmd(), versionCmd())
	setUseLines(root)
	return root
}

// versionLine is what --version and `securityinfo version` print.
const versionLine = "securityinfo version " + Version

// app opens the window, or prints the help when there is none.
func (c *command) app(cmd *cobra.Command) error {
	if c.env.App == nil {
		return cmd.Help()
	}
	return c.env.App(*c.g)
}

// checkGlobals refuses an empty --data-dir or --policy.
func (c *command) checkGlobals(cmd *cobra.Command, _ []string) error {
	for _, name := range []string{"data-dir", "policy"} {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed && f.Value.String() == "" {
			return usagef("--%s needs a non-empty value", name)
		}
	}
	switch {
	case c.g.Demo && c.g.Policy != "":
		return usagef("--demo runs the built-in demo: give it without --policy")
	case !c.g.Demo && c.g.Policy == "" && c.env.FindPolicy != nil:
		c.g.Policy = c.env.FindPolicy()
	}
	return nil
}

// rootArgs refuses anything that is not a command.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %s: run securityinfo --help", quote(args[0]))
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg = fmt.Sprintf("unknown command %s (did you mean %s?): run securityinfo --help", quote(args[0]), s[0])
	}
	return usagef("%s", msg)
}

// flagError says what is wrong with a flag in one line, naming the
// command, and never echoing more than maxArg characters of it.
func flagError(cmd *cobra.Command, err error) error {
	where := strings.TrimPrefix(cmd.CommandPath(), "securityinfo")
	where = strings.TrimSpace(where)
	if where != "" {
		where += ": "
	}
	var (
		notExist *pflag.NotExistError
		noValue  *pflag.ValueRequiredError
		badValue *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		if sh := notExist.GetSpecifiedShortnames(); sh != "" {
			return usagef("%sunknown flag -%s: see securityinfo %s--help", where, cut(sh, maxArg), helpPath(cmd))
		}
		return usagef("%sunknown flag --%s: see securityinfo %s--help", where, cut(notExist.GetSpecifiedName(), maxArg), helpPath(cmd))
	case errors.As(err, &noValue):
		return usagef("%s--%s needs a value", where, noValue.GetFlag().Name)
	case errors.As(err, &badValue):
		return usagef("%s--%s: %s is not a valid value", where, badValue.GetFlag().Name, quote(badValue.GetValue()))
	case errors.As(err, &syntax):
		return usagef("%sbad flag %s", where, quote(syntax.GetSpecifiedFlag()))
	}
	return usagef("%s%w", where, err)
}

// helpPath is the command's path for "see securityinfo PATH --help".
func helpPath(cmd *cobra.Command) string {
	p := strings.TrimSpace(strings.TrimPrefix(cmd.CommandPath(), "securityinfo"))
	if p == "" {
		return ""
	}
	return p + " "
}

// group makes a command that only holds sub-commands: called alone, or
// with a sub-command it does not have, it prints its help and fails as a
// wrong call.
func (c *command) group(use, short, long string, subs ...*cobra.Command) *cobra.Command {
	g := &cobra.Command{Use: use, Short: short, Long: long, Args: cobra.ArbitraryArgs}
	g.AddCommand(subs...)
	var names []string
	for _, s := range subs {
		names = append(names, s.Name())
	}
	list := strings.Join(names, ", ")
	if n := len(names); n > 1 {
		list = strings.Join(names[:n-1], ", ") + " or " + names[n-1]
	}
	g.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			_ = cmd.Help()
			return usagef("%s needs a sub-command: %s", use, list)
		}
		return usagef("unknown %s command %s: use %s", use, quote(args[0]), list)
	}
	return g
}

// exactArgs wants n positional arguments; the first is an account name
// when account is set. what names the call in the message.
func exactArgs(n int, account bool, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s", what)
		}
		if account {
			return checkAccountArg(args[0])
		}
		return nil
	}
}

// checkAccountArg refuses a flag-like argument as an account name: "-",
// "-x" and "--bogus" are never accounts (cobra takes the last two as
// flags; this catches them after "--", and "-" itself).
func checkAccountArg(a string) error {
	if strings.HasPrefix(strings.TrimSpace(a), "-") {
		return usagef("%s is not an account name: account names never start with '-'", quote(a))
	}
	return nil
}

// setUseLines keeps cobra from adding "[flags]" to the usage lines: each
// command's Use already says which flags it takes.
func setUseLines(c *cobra.Command) {
	c.DisableFlagsInUseLine = true
	for _, s := range c.Commands() {
		setUseLines(s)
	}
}

// open opens the store for a command.
func (c *command) open() (info.Store, error) { return c.openWith(c.env.Open) }

// openWith opens a store with open, the data dir set.
func (c *command) openWith(open func(Globals) (info.Store, error)) (info.Store, error) {
	g := *c.g
	dd, err := dataDir(g)
	if err != nil {
		return nil, err
	}
	g.DataDir = dd
	if open == nil {
		return nil, errors.New("no store to open")
	}
	s, err := open(g)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", dd, err)
	}
	return s, nil
}

// withStation runs work with the station's own store open.
func (c *command) withStation(work func(s info.Store) error) error {
	open := c.env.Station
	if open == nil {
		open = c.env.Open
	}
	s, err := c.openWith(open)
	if err != nil {
		return err
	}
	defer s.Close()
	return work(s)
}

// readStore runs work, which only reads, with the store open read-only
// (Globals.ReadOnly).
func (c *command) readStore(work func(s info.Store) error) error {
	c.g.ReadOnly = true
	return c.withStore(work)
}

// withStore runs work with the store open.
func (c *command) withStore(work func(s info.Store) error) error {
	s, err := c.open()
	if err != nil {
		return err
	}
	defer s.Close()
	return work(s)
}

// out is where a command's normal output goes.
func (c *command) out() io.Writer { return c.env.Stdout }

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  exactArgs(0, false, "version takes no arguments"),
		RunE: act(func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), versionLine)
			return err
		}),
	}
}

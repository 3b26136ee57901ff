package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
)

func (c *command) appPasswordCmd() *cobra.Command {
	wrong := func(sub string) string {
		return fmt.Sprintf("wrong arguments for app-password %s: see securityinfo app-password --help", sub)
	}
	list := &cobra.Command{
		Use:   "list ACCOUNT",
		Short: "List an account's app passwords (names and dates)",
		Args:  exactArgs(1, true, wrong("list")),
		RunE: act(func(_ *cobra.Command, args []string) error {
			return c.readStore(func(s info.Store) error { return c.appPasswordList(s, args[0]) })
		}),
	}
	del := &cobra.Command{
		Use:   "delete ACCOUNT NAME",
		Short: "Delete one of an account's app passwords",
		Args:  exactArgs(2, true, wrong("delete")),
		RunE: act(func(_ *cobra.Command, args []string) error {
			return c.withStore(func(s info.Store) error { return c.appPasswordDelete(s, args[0], args[1]) })
		}),
	}
	verify := &cobra.Command{
		Use:   "verify ACCOUNT",
		Short: "Check an app password read on stdin: exit 0 if it matches, 1 if not",
		Long: `Checks an app password read as one line on stdin: exit 0 if it matches,
1 if not. It is for mail and VPN servers: it compares in constant time,
applies the same back-off and lock-out as signing in, and answers every
failure alike, so a client learns nothing about which accounts exist.`,
		Args: exactArgs(1, true, wrong("verify")),
		RunE: act(func(_ *cobra.Command, args []string) error {
			// It reads hashes only: a mail server's check must not wait on
			// a keyring that doesn't answer, for a repair that isn't its.
			c.g.NoSecrets = true
			return c.withStore(func(s info.Store) error {
				// Every failure reads the same, unknown account, wrong
				// password, back-off or lock-out alike (the back-off
				// still applies).
				typed, err := newLines(c.env.Stdin).next()
				if err != nil {
					return apppassword.ErrNoMatch
				}
				if err := apppassword.Verify(s, args[0], typed, time.Now()); err != nil {
					return apppassword.ErrNoMatch
				}
				return nil
			})
		}),
	}
	return c.group("app-password", "Manage an account's app passwords", `Lists and deletes app passwords, and checks one for a mail or VPN server.`,
		list, del, verify)
}

func (c *command) appPasswordList(s info.Store, account string) error {
	a, err := lookup(s, account)
	if err != nil {
		return err
	}
	ms, err := apppassword.List(s, a.Name)
	if err != nil {
		return err
	}
	for _, m := range ms {
		fmt.Fprintf(c.out(), "%-40s created %s\n", clean(m.Label), stamp(m.Created))
	}
	return nil
}

// appPasswordDelete deletes, then records; a deletion can't be undone, so
// a failed record makes the command fail and say so.
func (c *command) appPasswordDelete(s info.Store, account, name string) error {
	a, err := lookup(s, account)
	if err != nil {
		return err
	}
	if err := apppassword.Delete(s, a.Name, name); err != nil {
		return fmt.Errorf("%w: see securityinfo app-password list %s", err, a.Name)
	}
	if err := record(s, a.Name, info.ActionAppPasswordDeleted, name); err != nil {
		return fmt.Errorf("deleted app password %s of %s, but %w", quote(name), a.Name, err)
	}
	fmt.Fprintf(c.out(), "deleted app password %s of %s\n", quote(name), a.Name)
	return nil
}

package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/station"
)

func (c *command) directoryCmd() *cobra.Command {
	credential := &cobra.Command{
		Use:   "credential",
		Short: "Keep the password this station binds to the directory with",
		Long: `Keeps the password this station binds to the organisation's directory
with, in the OS keyring: asked twice without echo on a terminal, or read
as one line on stdin. Nothing secret is printed.`,
		Args: exactArgs(0, false, "directory credential takes no arguments"),
		RunE: act(func(*cobra.Command, []string) error {
			return c.withStation(c.directoryCredential)
		}),
	}
	check := &cobra.Command{
		Use:   "check",
		Short: "Say whether this station uses a directory, and whether its bind password is set",
		Args:  exactArgs(0, false, "directory check takes no arguments"),
		RunE: act(func(*cobra.Command, []string) error {
			return c.directoryCheck()
		}),
	}
	return c.group("directory", "Connect this station to the organisation's directory", `Where the policy has a [directory] table, accounts and their security info
live in the organisation's directory (OpenLDAP) instead of on this machine.`,
		credential, check)
}

func (c *command) directoryCredential(s info.Store) error {
	var pw string
	if c.env.ReadPassword != nil {
		first, err := c.env.ReadPassword("Directory bind password: ")
		if err != nil {
			return fmt.Errorf("reading the password: %w: nothing was saved", err)
		}
		again, err := c.env.ReadPassword("Type it again: ")
		if err != nil {
			return fmt.Errorf("reading the password: %w: nothing was saved", err)
		}
		if first != again {
			return errors.New("the two entries differ: nothing was saved, try again")
		}
		pw = first
	} else {
		line, err := newLines(c.env.Stdin).next()
		if err != nil {
			return fmt.Errorf("reading the password from stdin: %w: nothing was saved", err)
		}
		pw = line
	}
	set := func() error { return station.SetDirectoryCredential(s, pw) }
	if err := changeStation(s, snapshotOf(s, station.DirectorySecret), set, station.ActionDirectoryCredential, ""); err != nil {
		return notSaved(err)
	}
	fmt.Fprintln(c.out(), "saved the directory bind password in the keyring")
	return nil
}

// directoryCheck reports whether the policy names a directory, whether
// the bind password is set, and whether the station can bind with it.
func (c *command) directoryCheck() error {
	configured, err := policyHasDirectory(c.g.Policy)
	if err != nil {
		return err
	}
	err = c.withStation(func(s info.Store) error {
		w := c.out()
		if !configured {
			fmt.Fprintln(w, "directory:      none: the policy has no [directory] table, so accounts are kept on this station")
		} else {
			fmt.Fprintln(w, "directory:      configured in the policy")
		}
		_, err := station.DirectoryCredential(s)
		switch {
		case err == nil:
			fmt.Fprintln(w, "bind password:  set")
		case errors.Is(err, station.ErrNotSet):
			fmt.Fprintln(w, "bind password:  not set (securityinfo directory credential)")
			if configured {
				return errors.New("the directory's bind password is not set: run securityinfo directory credential")
			}
		case !configured:
			// Nothing uses it without a directory: a station whose
			// keyring can't be reached (no session bus) is not broken.
			fmt.Fprintln(w, "bind password:  unknown (the keyring can't be reached; nothing uses it without a directory)")
		default:
			return err
		}
		return nil
	})
	if err != nil || !configured {
		return err
	}
	s, err := c.open()
	if err != nil {
		return fmt.Errorf("the directory can't be used: %w", err)
	}
	defer s.Close()
	if err := s.CheckSecrets(); err != nil {
		return fmt.Errorf("the directory can't be used: %w", err)
	}
	fmt.Fprintln(c.out(), "connection:     bound as this station")
	return nil
}

// policyHasDirectory reports whether the policy file has a [directory]
// table; the embedded default policy (path "") has none.
func policyHasDirectory(path string) (bool, error) {
	if path == "" {
		return false, nil
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("reading the policy: %w", err)
	}
	var p struct {
		Directory map[string]any `toml:"directory"`
	}
	md, err := toml.Decode(string(text), &p)
	if err != nil {
		return false, fmt.Errorf("reading the policy %s: %w", path, err)
	}
	return md.IsDefined("directory"), nil
}

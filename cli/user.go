package cli

import (
	"bufio"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// actionAccountAdded is the audit action of `user add`.
const actionAccountAdded = "account-added"

func (c *command) userCmd() *cobra.Command {
	var helpdesk bool
	add := &cobra.Command{
		Use:   "add ACCOUNT [--helpdesk]",
		Short: "Add an account; the password is read from a prompt or one line on stdin",
		Long: `Adds an account. The password is asked twice on a terminal, or read as
one line on stdin. With --helpdesk the account is an operator's, who may
sign in to a helpdesk station. Where accounts come from the organisation's
directory, add people there instead.`,
		Args: exactArgs(1, true, "user add needs exactly one ACCOUNT"),
		RunE: act(func(_ *cobra.Command, args []string) error {
			name, err := wizard.ValidateAccountName(args[0])
			if err != nil {
				return usagef("%w", err)
			}
			return c.withStore(func(s info.Store) error { return c.userAdd(s, name, helpdesk) })
		}),
	}
	add.Flags().BoolVar(&helpdesk, "helpdesk", false, "an operator of helpdesk stations")

	list := &cobra.Command{
		Use:   "list",
		Short: "List accounts",
		Args:  exactArgs(0, false, "user list takes no arguments"),
		RunE: act(func(*cobra.Command, []string) error {
			return c.readStore(c.userList)
		}),
	}
	show := &cobra.Command{
		Use:   "show ACCOUNT",
		Short: "Show an account's registered methods, with dates (never a secret)",
		Args:  exactArgs(1, true, "user show needs exactly one ACCOUNT"),
		RunE: act(func(_ *cobra.Command, args []string) error {
			return c.readStore(func(s info.Store) error { return c.userShow(s, args[0]) })
		}),
	}
	reset := &cobra.Command{
		Use:   "reset ACCOUNT",
		Short: "Remove every registered method and its keyring secrets",
		Long: `Removes every method an account has registered, with its secrets. The
person registers again at their next sign-in. The reset is recorded in
the audit log first: if that fails, nothing is removed.`,
		Args: exactArgs(1, true, "user reset needs exactly one ACCOUNT"),
		RunE: act(func(_ *cobra.Command, args []string) error {
			return c.withStore(func(s info.Store) error { return c.userReset(s, args[0]) })
		}),
	}
	unlock := &cobra.Command{
		Use:   "unlock ACCOUNT",
		Short: "Clear an account's failed sign-ins after a lock-out",
		Long: `Clears an account's failed sign-ins and its lock, recorded in the audit
log first. In a directory it also lifts a lock an administrator set by hand
(pwdAccountLockedTime 000001010000Z: the account is disabled),
which the helpdesk page's Unlock refuses: re-enabling an account is an
administrator's decision.`,
		Args: exactArgs(1, true, "user unlock needs exactly one ACCOUNT"),
		RunE: act(func(_ *cobra.Command, args []string) error {
			return c.withStore(func(s info.Store) error { return c.userUnlock(s, args[0]) })
		}),
	}
	return c.group("user", "Manage accounts", `Adds and lists accounts, shows what they registered, resets their methods
and clears a lock-out.`, add, list, show, reset, unlock)
}

// userAdd adds an account and records it. An account must not exist
// unrecorded: if the audit entry can't be written, the new account is
// locked, and unlocking it is recorded.
func (c *command) userAdd(s info.Store, name string, helpdesk bool) error {
	if _, err := s.Account(name); err == nil {
		return fmt.Errorf("account %s already exists", name)
	}
	pw, err := c.readNewPassword(fmt.Sprintf("Password for %s: ", name), "nothing was added")
	if err != nil {
		return err
	}
	hash, err := secret.Hash(pw, rand.Reader)
	if err != nil {
		return fmt.Errorf("hashing the password: %w", err)
	}
	now := clockNow().UTC()
	err = s.CreateAccount(info.Account{Name: name, PasswordHash: hash, Created: now, Helpdesk: helpdesk})
	switch {
	case errors.Is(err, info.ErrNotSupported):
		return &told{"accounts come from the organisation's directory: add people there", err}
	case errors.Is(err, info.ErrAccountExists):
		return fmt.Errorf("account %s already exists", name)
	case err != nil:
		return fmt.Errorf("adding %s: %w", name, err)
	}
	detail := ""
	if helpdesk {
		detail = "helpdesk operator"
	}
	if err := record(s, name, actionAccountAdded, detail); err != nil {
		lock := func(a *info.Account) error { a.Failures, a.LastFailure = wizard.MaxFailures, now; return nil }
		if lerr := s.UpdateAccount(name, lock); lerr != nil {
			return fmt.Errorf("added %s, but %w; locking it also failed (%w): check the audit log, then lock or remove it", name, err, lerr)
		}
		return fmt.Errorf("added %s, but %w: it stays locked until 'securityinfo user unlock %s', which is recorded", name, err, name)
	}
	fmt.Fprintf(c.out(), "added %s\n", name)
	return nil
}

// readNewPassword asks twice on a terminal, or reads one line from stdin;
// then is what the error adds when nothing happens ("nothing was added").
func (c *command) readNewPassword(prompt, then string) (string, error) {
	var pw string
	if c.env.ReadPassword != nil {
		first, err := c.env.ReadPassword(prompt)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		again, err := c.env.ReadPassword("Type it again: ")
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		if first != again {
			return "", fmt.Errorf("the two entries differ: %s, try again", then)
		}
		pw = first
	} else {
		line, err := newLines(c.env.Stdin).next()
		if err != nil {
			return "", fmt.Errorf("reading the password from stdin: %w: %s", err, then)
		}
		pw = line
	}
	if err := wizard.ValidatePassword(pw); err != nil {
		return "", fmt.Errorf("%w: %s", err, then)
	}
	return pw, nil
}

func (c *command) userList(s info.Store) error {
	out := bufio.NewWriter(c.out())
	err := s.EachAccount("", 0, func(a info.Account) error {
		_, err := fmt.Fprintln(out, clean(a.Name))
		return err
	})
	if err != nil {
		return fmt.Errorf("listing accounts: %w", err)
	}
	return out.Flush()
}

// lookup finds an account by name, in any letter case. An unknown name
// is said back on purpose, to the administrator who typed it as an
// argument, on this terminal only (no admin command logs or audits a name
// that names nobody): the stores' errors no longer carry a typed name
// (a password typed into a sign-in's account field must reach no log),
// so the words for the terminal are made here.
func lookup(s info.Store, name string) (info.Account, error) {
	a, err := s.Account(name)
	if errors.Is(err, info.ErrNoAccount) {
		return a, fmt.Errorf("no account named %s: see securityinfo user list", quote(name))
	}
	if err != nil {
		return a, fmt.Errorf("reading %s: %w", quote(name), err)
	}
	return a, nil
}

// stamp formats a time for people, in UTC.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }

func (c *command) userShow(s info.Store, name string) error {
	a, err := lookup(s, name)
	if err != nil {
		return err
	}
	ms, err := s.Methods(a.Name)
	if err != nil {
		return fmt.Errorf("reading %s's methods: %w", a.Name, err)
	}
	w := c.out()
	fmt.Fprintf(w, "account:   %s\n", clean(a.Name))
	fmt.Fprintf(w, "created:   %s\n", stamp(a.Created))
	if a.Helpdesk {
		fmt.Fprintln(w, "role:      helpdesk (may sign in to a helpdesk station)")
	}
	switch {
	case a.Locked:
		fmt.Fprintf(w, "sign-in:   locked by the directory (securityinfo user unlock %s)\n", clean(a.Name))
	case regulation.Default.AccountLocked(a):
		// The lock-out is of the three counts together.
		all := regulation.FactorState(a, regulation.Password)
		fmt.Fprintf(w, "sign-in:   locked after %d failed attempts in all (securityinfo user unlock %s)\n",
			all.Failures+all.Others, clean(a.Name))
	case a.Failures > 0:
		fmt.Fprintf(w, "sign-in:   %d failed attempts since the last success\n", a.Failures)
	}
	// The second factor and app passwords count apart from the password
	// (a success clears only its own count); the three together lock the
	// account (above).
	for _, c := range []struct {
		what string
		n    int
	}{{"second factor", a.SecondFactorTries.Failures}, {"app passwords", a.AppPasswordTries.Failures}} {
		if c.n > 0 {
			fmt.Fprintf(w, "%s: %d failed attempts since the last success\n", c.what, c.n)
		}
	}
	if len(ms) == 0 {
		fmt.Fprintln(w, "methods:   none registered")
		return nil
	}
	if def, ok := wizard.DefaultMethod(ms); ok {
		fmt.Fprintf(w, "default:   %s (%s)\n", wizard.Describe(def.Kind).Title, clean(def.Label))
	}
	if c.env.SecretsAt != nil {
		if where := c.env.SecretsAt(s); where != "" {
			fmt.Fprintf(w, "keyring:   %s\n", where)
		}
	}
	fmt.Fprintln(w, "methods:")
	for _, m := range ms {
		fmt.Fprintf(w, "  %-20s %-28s registered %s  id %s\n", m.Kind, clean(m.Label), stamp(m.Created), m.ID)
	}
	return nil
}

// userReset records the reset, then removes every method: a reset lets
// the next person who knows the password register new methods, so it must
// never happen unrecorded.
func (c *command) userReset(s info.Store, name string) error {
	a, err := lookup(s, name)
	if err != nil {
		return err
	}
	ms, err := s.Methods(a.Name)
	if err != nil {
		return fmt.Errorf("reading %s's methods: %w", a.Name, err)
	}
	if err := record(s, a.Name, info.ActionReset, plural(len(ms), "method", "methods")+" removed"); err != nil {
		return fmt.Errorf("%w: nothing was removed", err)
	}
	n, err := s.RemoveAllMethods(a.Name)
	if err != nil {
		err = fmt.Errorf("removing %s's methods (%d removed before the failure): %w", a.Name, n, err)
		// The entry above says what was meant; say what happened.
		if rerr := record(s, a.Name, info.ActionReset, fmt.Sprintf("failed after %s removed", plural(n, "method", "methods"))); rerr != nil {
			return fmt.Errorf("%w; and %w", err, rerr)
		}
		return err
	}
	fmt.Fprintf(c.out(), "removed %s from %s; they will register again at next sign-in\n", plural(n, "method", "methods"), a.Name)
	return nil
}

// userUnlock records the unlock, then clears the failed sign-ins: an
// unlock must never happen unrecorded, and it can't be undone everywhere
// (in a directory, ppolicy's lock can be deleted but not set again), so
// the record comes first, as for a reset.
func (c *command) userUnlock(s info.Store, name string) error {
	a, err := lookup(s, name)
	if err != nil {
		return err
	}
	if err := record(s, a.Name, info.ActionUnlock, ""); err != nil {
		return fmt.Errorf("%w: %s stays as it was", err, a.Name)
	}
	if err := s.Unlock(a.Name); err != nil {
		err = fmt.Errorf("unlocking %s: %w", a.Name, err)
		// The entry above says what was meant; say what happened.
		if rerr := record(s, a.Name, info.ActionUnlock, "failed"); rerr != nil {
			return fmt.Errorf("%w; and %w", err, rerr)
		}
		return err
	}
	fmt.Fprintf(c.out(), "unlocked %s\n", a.Name)
	return nil
}

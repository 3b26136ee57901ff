package cli

import (
	"bufio"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

const userUsage = `Usage:
  securityinfo [--data-dir DIR] user add ACCOUNT [--helpdesk]
                                                     password from a prompt, or one line on stdin;
                                                     --helpdesk: an operator of helpdesk stations
  securityinfo [--data-dir DIR] user list
  securityinfo [--data-dir DIR] user show ACCOUNT
  securityinfo [--data-dir DIR] user reset ACCOUNT    removes every registered method (helpdesk)
  securityinfo [--data-dir DIR] user unlock ACCOUNT   clears failed sign-ins after a lock-out
`

func runUser(g Globals, env Env) error {
	args := g.Rest[1:]
	if g.Help || len(args) == 0 {
		fmt.Fprint(env.Stdout, userUsage)
		if len(args) == 0 && !g.Help {
			return fmt.Errorf("%w: user needs a sub-command: add, list, show, reset or unlock", errUsage)
		}
		return nil
	}
	sub, args := args[0], args[1:]
	helpdesk := false
	if sub == "add" {
		var rest []string
		for _, a := range args {
			if a == "--helpdesk" || a == "-helpdesk" {
				helpdesk = true
				continue
			}
			rest = append(rest, a)
		}
		args = rest
	}
	want := 1
	if sub == "list" {
		want = 0
	}
	switch sub {
	case "add", "list", "show", "reset", "unlock":
	default:
		return fmt.Errorf("%w: unknown user command %q: use add, list, show, reset or unlock", errUsage, sub)
	}
	if len(args) != want {
		if want == 0 {
			return fmt.Errorf("%w: user list takes no arguments", errUsage)
		}
		return fmt.Errorf("%w: user %s needs exactly one ACCOUNT", errUsage, sub)
	}
	dir, err := openDir(g, env)
	if err != nil {
		return err
	}
	defer dir.Close()
	switch sub {
	case "add":
		return userAdd(dir, args[0], helpdesk, env)
	case "list":
		return userList(dir, env)
	case "show":
		return userShow(dir, args[0], env)
	case "reset":
		return userReset(dir, args[0], env)
	default:
		return userUnlock(dir, args[0], env)
	}
}

func openDir(g Globals, env Env) (info.Store, error) {
	dd := g.DataDir
	if dd == "" {
		var err error
		if dd, err = DefaultDataDir(); err != nil {
			return nil, err
		}
	}
	dir, err := env.Open(dd)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", dd, err)
	}
	return dir, nil
}

func userAdd(dir info.Store, name string, helpdesk bool, env Env) error {
	name, err := wizard.ValidateAccountName(name)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if _, err := dir.Account(name); err == nil {
		return fmt.Errorf("account %s already exists", name)
	}
	pw, err := readNewPassword(name, env)
	if err != nil {
		return err
	}
	hash, err := wizard.HashSecret(pw, rand.Reader)
	if err != nil {
		return fmt.Errorf("hashing the password: %w", err)
	}
	err = dir.CreateAccount(info.Account{Name: name, PasswordHash: hash, Created: time.Now().UTC(), Helpdesk: helpdesk})
	if errors.Is(err, info.ErrAccountExists) {
		return fmt.Errorf("account %s already exists", name)
	}
	if err != nil {
		return fmt.Errorf("adding %s: %w", name, err)
	}
	fmt.Fprintf(env.Stdout, "added %s\n", name)
	return nil
}

// readNewPassword asks twice on a terminal, or reads one line from stdin.
func readNewPassword(name string, env Env) (string, error) {
	var pw string
	if env.ReadPassword != nil {
		first, err := env.ReadPassword(fmt.Sprintf("Password for %s: ", name))
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		again, err := env.ReadPassword("Type it again: ")
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		if first != again {
			return "", errors.New("the two passwords differ: nothing was added, try again")
		}
		pw = first
	} else {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the password from stdin: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if err := wizard.ValidatePassword(pw); err != nil {
		return "", fmt.Errorf("%w: nothing was added", err)
	}
	return pw, nil
}

func userList(dir info.Store, env Env) error {
	out := bufio.NewWriter(env.Stdout)
	err := dir.EachAccount("", 0, func(a info.Account) error {
		_, err := fmt.Fprintln(out, a.Name)
		return err
	})
	if err != nil {
		return fmt.Errorf("listing accounts: %w", err)
	}
	return out.Flush()
}

func lookup(dir info.Store, name string) (info.Account, error) {
	a, err := dir.Account(name)
	if errors.Is(err, info.ErrNoAccount) {
		return a, fmt.Errorf("no account named %q: see securityinfo user list", name)
	}
	if err != nil {
		return a, fmt.Errorf("reading %s: %w", name, err)
	}
	return a, nil
}

// stamp formats a time for people, in UTC.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }

func userShow(dir info.Store, name string, env Env) error {
	a, err := lookup(dir, name)
	if err != nil {
		return err
	}
	ms, err := dir.Methods(a.Name)
	if err != nil {
		return fmt.Errorf("reading %s's methods: %w", a.Name, err)
	}
	w := env.Stdout
	fmt.Fprintf(w, "account:   %s\n", a.Name)
	fmt.Fprintf(w, "created:   %s\n", stamp(a.Created))
	if a.Helpdesk {
		fmt.Fprintln(w, "role:      helpdesk (may sign in to a helpdesk station)")
	}
	switch {
	case a.Failures >= wizard.MaxFailures:
		fmt.Fprintf(w, "sign-in:   locked after %d failed attempts (securityinfo user unlock %s)\n", a.Failures, a.Name)
	case a.Failures > 0:
		fmt.Fprintf(w, "sign-in:   %d failed attempts since the last success\n", a.Failures)
	}
	if len(ms) == 0 {
		fmt.Fprintln(w, "methods:   none registered")
		return nil
	}
	if def, ok := wizard.DefaultMethod(ms); ok {
		fmt.Fprintf(w, "default:   %s (%s)\n", wizard.Describe(def.Kind).Title, def.Label)
	}
	if k, ok := dir.(interface{ KeyringService() string }); ok {
		fmt.Fprintf(w, "keyring:   service %s\n", k.KeyringService())
	}
	fmt.Fprintln(w, "methods:")
	for _, m := range ms {
		fmt.Fprintf(w, "  %-20s %-28s registered %s  id %s\n", m.Kind, m.Label, stamp(m.Created), m.ID)
	}
	return nil
}

func userReset(dir info.Store, name string, env Env) error {
	a, err := lookup(dir, name)
	if err != nil {
		return err
	}
	n, err := dir.RemoveAllMethods(a.Name)
	if err != nil {
		return fmt.Errorf("removing %s's methods (%d removed before the failure): %w", a.Name, n, err)
	}
	audit(dir, a.Name, info.ActionReset, fmt.Sprintf("%d methods removed", n))
	fmt.Fprintf(env.Stdout, "removed %d methods from %s; they will register again at next sign-in\n", n, a.Name)
	return nil
}

func userUnlock(dir info.Store, name string, env Env) error {
	a, err := lookup(dir, name)
	if err != nil {
		return err
	}
	if err := dir.UpdateAccount(a.Name, func(x *info.Account) error { x.Failures = 0; return nil }); err != nil {
		return fmt.Errorf("unlocking %s: %w", a.Name, err)
	}
	audit(dir, a.Name, info.ActionUnlock, "")
	fmt.Fprintf(env.Stdout, "unlocked %s\n", a.Name)
	return nil
}

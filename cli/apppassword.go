package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
)

const appPasswordUsage = `Usage:
  securityinfo [--data-dir DIR] app-password list ACCOUNT          names and creation dates
  securityinfo [--data-dir DIR] app-password delete ACCOUNT NAME
  securityinfo [--data-dir DIR] app-password verify ACCOUNT        reads the password on stdin;
                                                                   exit 0 if it matches, 1 if not

verify is for mail and VPN servers: it compares in constant time and applies
the same back-off and lock-out as signing in.
`

func runAppPassword(g Globals, env Env) error {
	args := g.Rest[1:]
	if g.Help || len(args) == 0 {
		fmt.Fprint(env.Stdout, appPasswordUsage)
		if len(args) == 0 && !g.Help {
			return fmt.Errorf("%w: app-password needs a sub-command: list, delete or verify", errUsage)
		}
		return nil
	}
	sub, args := args[0], args[1:]
	switch {
	case (sub == "list" || sub == "verify") && len(args) == 1:
	case sub == "delete" && len(args) == 2:
	case sub == "list" || sub == "verify" || sub == "delete":
		return fmt.Errorf("%w: wrong arguments for app-password %s: see securityinfo app-password --help", errUsage, sub)
	default:
		return fmt.Errorf("%w: unknown app-password command %q: use list, delete or verify", errUsage, sub)
	}
	dir, err := openDir(g, env)
	if err != nil {
		return err
	}
	defer dir.Close()
	if sub == "verify" {
		// Every failure reads the same, unknown account, wrong password,
		// back-off or lock-out alike, so a mail server's client learns
		// nothing about which accounts exist (the back-off still applies).
		if err := apppassword.Verify(dir, args[0], readLine(env.Stdin), time.Now()); err != nil {
			return apppassword.ErrNoMatch
		}
		return nil
	}
	a, err := lookup(dir, args[0])
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		ms, err := apppassword.List(dir, a.Name)
		if err != nil {
			return err
		}
		for _, m := range ms {
			fmt.Fprintf(env.Stdout, "%-40s created %s\n", m.Label, stamp(m.Created))
		}
		return nil
	case "delete":
		if err := apppassword.Delete(dir, a.Name, args[1]); err != nil {
			return fmt.Errorf("%w: see securityinfo app-password list %s", err, a.Name)
		}
		audit(dir, a.Name, info.ActionAppPasswordDeleted, args[1])
		fmt.Fprintf(env.Stdout, "deleted app password %q of %s\n", args[1], a.Name)
		return nil
	}
	return nil
}

// readLine reads one line from r without its line ending.
func readLine(r io.Reader) string {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return ""
	}
	return strings.TrimRight(line, "\r\n")
}

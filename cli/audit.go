package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
)

const auditUsage = `Usage:
  securityinfo [--data-dir DIR] audit list [--account ACCOUNT] [--since T]

Prints the audit log, oldest first, one entry a line:
  TIME (UTC)  ACTOR  ACCOUNT  ACTION  STATION  DETAIL
Sign-ins (successful or not), methods registered or removed, app passwords
created or deleted, Temporary Access Passes issued, used, expired or
revoked, resets and kiosk wipes are recorded. No entry holds a secret.

  --account ACCOUNT   only this account's entries (any letter case)
  --since T           only entries from T on: a time (2026-11-24T14:05:00Z,
                      2026-11-24) or how long ago (30m, 24h, 7d)
`

func runAudit(g Globals, env Env) error {
	args := g.Rest[1:]
	if g.Help {
		fmt.Fprint(env.Stdout, auditUsage)
		return nil
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stdout, auditUsage)
		return fmt.Errorf("%w: audit needs a sub-command: list", errUsage)
	}
	if args[0] != "list" {
		return fmt.Errorf("%w: unknown audit command %q: use list", errUsage, args[0])
	}
	var account, sinceArg string
	pos, err := parseFlags(args[1:], map[string]*string{"account": &account, "since": &sinceArg}, nil)
	if err != nil {
		return fmt.Errorf("%w: audit list: %w", errUsage, err)
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: audit list takes no arguments but --account and --since (got %q)", errUsage, pos[0])
	}
	var since time.Time
	if sinceArg != "" {
		if since, err = parseSince(sinceArg, clockNow()); err != nil {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
	}
	dir, err := openDir(g, env)
	if err != nil {
		return err
	}
	defer dir.Close()
	audit, ok := dir.(info.Store)
	if !ok {
		return errors.New("this directory has no audit log")
	}
	entries, err := audit.Audit(account, since)
	if err != nil {
		return fmt.Errorf("reading the audit log: %w", err)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Time.UTC().Format(time.RFC3339),
			auditField(e.Actor), auditField(e.Account), auditField(e.Action), auditField(e.Station), e.Detail)
	}
	return tw.Flush()
}

// auditField shows an empty column as "-" so the columns stay countable; tabs
// would break the alignment and are shown as spaces.
func auditField(s string) string {
	if s == "" {
		return "-"
	}
	return strings.ReplaceAll(s, "\t", " ")
}

// parseSince reads --since: an RFC 3339 time, a date (midnight UTC), or a
// duration (30m, 24h, 7d) meaning that long before now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if d, err := parseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: use a time like 2026-11-24T14:05:00Z or 2026-11-24, or how long ago like 24h or 7d", s)
}

// auditActor is the actor of an admin command in the audit log: the
// operating system user running it, or "helpdesk".
func auditActor() string {
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if u := strings.TrimSpace(os.Getenv(v)); u != "" {
			return u
		}
	}
	return "helpdesk"
}

// audit records an admin command's action, when the directory keeps a log.
// A failure to log is reported but does not undo the action.
func audit(dir info.Store, account, action, detail string) {
	if log, ok := dir.(info.Store); ok {
		_ = log.AppendAudit(info.AuditEntry{Time: clockNow().UTC(), Actor: auditActor(), Account: account, Action: action, Station: storage.StationName(), Detail: detail})
	}
}

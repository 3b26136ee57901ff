package cli

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
)

func (c *command) auditCmd() *cobra.Command {
	var account, since string
	list := &cobra.Command{
		Use:   "list [--account ACCOUNT] [--since T]",
		Short: "Print the audit log (T: 2026-11-24T14:05:00Z, or how long ago: 24h)",
		Long: `Prints the audit log, oldest first, one entry a line:
  TIME (UTC)  ACTOR  ACCOUNT  ACTION  STATION  DETAIL
Sign-ins (successful or not), accounts added, methods registered or
removed, app passwords created or deleted, Temporary Access Passes issued,
used, expired or revoked, resets, unlocks, kiosk wipes and changes to a
station's settings are recorded. No entry holds a secret.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 0 {
				return usagef("audit list takes no arguments but --account and --since (got %s)", quote(args[0]))
			}
			if account != "" {
				return checkAccountArg(account)
			}
			return nil
		},
		RunE: act(func(*cobra.Command, []string) error {
			var from time.Time
			if since != "" {
				var err error
				if from, err = parseSince(since, clockNow()); err != nil {
					return usagef("%w", err)
				}
			}
			return c.readStore(func(s info.Store) error { return c.auditList(s, account, from) })
		}),
	}
	list.Flags().StringVar(&account, "account", "", "only this `ACCOUNT`'s entries (any letter case)")
	list.Flags().StringVar(&since, "since", "", "only entries from `T` on: a time (2026-11-24T14:05:00Z, 2026-11-24) or how long ago (30m, 24h, 7d)")
	return c.group("audit", "Read the audit log", `The audit log records who did what, to which account, on which station and
when. Entries are only ever appended and never hold a secret.`, list)
}

func (c *command) auditList(s info.Store, account string, since time.Time) error {
	// Streamed: the columns are aligned a block of lines at a time, so a
	// log of a million entries never sits in memory.
	out := bufio.NewWriterSize(c.out(), 64<<10)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	n := 0
	err := s.EachAudit(account, since, func(e info.AuditEntry) error {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Time.UTC().Format(time.RFC3339),
			auditField(e.Actor), auditField(e.Account), auditField(e.Action), auditField(e.Station), clean(e.Detail))
		if n++; n%auditBlock == 0 {
			return tw.Flush()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the audit log: %w", err)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return out.Flush()
}

// auditBlock is how many lines are aligned together.
const auditBlock = 256

// auditField shows an empty column as "-" so the columns stay countable;
// tabs would break the alignment and are shown as spaces.
func auditField(s string) string {
	if s == "" {
		return "-"
	}
	return clean(strings.ReplaceAll(s, "\t", " "))
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
	return time.Time{}, fmt.Errorf("--since %s: use a time like 2026-11-24T14:05:00Z or 2026-11-24, or how long ago like 24h or 7d", quote(s))
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

// record appends an admin command's entry to the audit log, now.
func record(s info.Store, account, action, detail string) error {
	return recordAt(s, clockNow().UTC(), account, action, detail)
}

// recordAt appends an admin command's entry to the audit log. Its error
// reads "writing to the audit log failed: …" so that callers can say
// what happened around it.
func recordAt(s info.Store, t time.Time, account, action, detail string) error {
	err := s.AppendAudit(info.AuditEntry{Time: t, Actor: auditActor(), Account: account,
		Action: action, Station: storage.StationName(), Detail: detail})
	if err != nil {
		return fmt.Errorf("writing to the audit log failed: %w", err)
	}
	return nil
}

package cli

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// clockNow is the clock of the commands; tests replace it.
var clockNow = time.Now

const tapLong = `A Temporary Access Pass lets a person who has no password yet, or who lost
every method, sign in (the pass goes where the password goes) and register
their security info. It is shown once, kept only as a salted hash, and an
account has one at a time: issuing a new one replaces the old.`

func (c *command) tapCmd() *cobra.Command {
	var (
		lifetime string
		oneTime  bool
	)
	issue := &cobra.Command{
		Use:   "issue ACCOUNT [--lifetime D] [--one-time]",
		Short: "Issue a Temporary Access Pass (10m to 30d, default 1h), shown once",
		Long:  tapLong,
		Args:  exactArgs(1, true, "tap issue needs exactly one ACCOUNT"),
		RunE: act(func(_ *cobra.Command, args []string) error {
			life, err := parseLifetime(lifetime)
			if err != nil {
				return usagef("%w", err)
			}
			return c.withStore(func(s info.Store) error {
				a, err := lookup(s, args[0])
				if err != nil {
					return err
				}
				return c.tapIssue(s, a.Name, life, oneTime)
			})
		}),
	}
	issue.Flags().StringVar(&lifetime, "lifetime", compact(tap.DefaultLifetime), "how long it works: `D` from 10m to 30d (e.g. 10m, 8h, 7d)")
	issue.Flags().BoolVar(&oneTime, "one-time", false, "it works for one sign-in only")
	revoke := &cobra.Command{
		Use:   "revoke ACCOUNT",
		Short: "Remove an account's Temporary Access Pass",
		Long:  tapLong,
		Args:  exactArgs(1, true, "tap revoke needs exactly one ACCOUNT"),
		RunE: act(func(_ *cobra.Command, args []string) error {
			return c.withStore(func(s info.Store) error {
				a, err := lookup(s, args[0])
				if err != nil {
					return err
				}
				return c.tapRevoke(s, a.Name)
			})
		}),
	}
	return c.group("tap", "Issue or revoke Temporary Access Passes", tapLong, issue, revoke)
}

// parseLifetime reads --lifetime: a Go duration (10m, 1h30m, 8h) or whole
// days (7d), within the bounds of a pass.
func parseLifetime(s string) (time.Duration, error) {
	d, err := parseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("--lifetime %s: use a duration like 10m, 8h or 7d", quote(s))
	}
	if err := tap.CheckLifetime(d); err != nil {
		return 0, fmt.Errorf("--lifetime %s: %w", cut(s, maxArg), err)
	}
	return d, nil
}

// compact writes a duration without zero units: 1h, not 1h0m0s.
func compact(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// parseDuration reads a Go duration or a whole number of days ("7d").
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100000 {
			return 0, fmt.Errorf("bad number of days %s", quote(s))
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// tapIssue issues a pass and records it; a pass nobody can trace must not
// exist, so if the record fails the pass is withdrawn again (that pass
// only: not one another operator issued meanwhile).
func (c *command) tapIssue(s info.Store, account string, lifetime time.Duration, oneTime bool) error {
	t := clockNow().UTC()
	_, prev := s.GetPass(account)
	replacing := prev == nil
	pass, err := tap.Issue(s, account, lifetime, oneTime, t, rand.Reader)
	if err != nil {
		return fmt.Errorf("issuing a Temporary Access Pass for %s: %w", account, err)
	}
	until := t.Add(lifetime)
	use := "reusable until then"
	if oneTime {
		use = "one-time use"
	}
	detail := fmt.Sprintf("valid for %s until %s, %s", tap.Duration(lifetime), until.Format(time.RFC3339), use)
	if replacing {
		detail += "; replaces the previous pass"
	}
	if err := recordAt(s, t, account, info.ActionTAPIssued, detail); err != nil {
		if rerr := tap.Withdraw(s, account, pass, t); rerr != nil {
			return fmt.Errorf("%w; removing the pass again also failed (%w): run securityinfo tap revoke %s", err, rerr, account)
		}
		return fmt.Errorf("%w: no pass was issued", err)
	}
	w := c.out()
	fmt.Fprintf(w, "Temporary Access Pass for %s: %s\n", account, tap.Format(pass))
	fmt.Fprintf(w, "Valid until %s, %s.\n", stamp(until), use)
	if replacing {
		fmt.Fprintln(w, "It replaces the pass issued before, which no longer works.")
	}
	fmt.Fprintln(w, "Give it to the person; it is not shown again.")
	return nil
}

// tapRevoke revokes, then records; a revocation is not undone when the
// record fails (that would give the pass back), but the command fails.
func (c *command) tapRevoke(s info.Store, account string) error {
	err := tap.Revoke(s, account)
	if errors.Is(err, tap.ErrNoPass) {
		return fmt.Errorf("%s has no Temporary Access Pass to revoke", account)
	}
	if err != nil {
		return fmt.Errorf("revoking %s's Temporary Access Pass: %w", account, err)
	}
	if err := record(s, account, info.ActionTAPRevoked, ""); err != nil {
		return fmt.Errorf("the pass was revoked, but %w", err)
	}
	fmt.Fprintf(c.out(), "revoked the Temporary Access Pass of %s\n", account)
	return nil
}

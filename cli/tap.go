package cli

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

const tapUsage = `Usage:
  securityinfo [--data-dir DIR] tap issue ACCOUNT [--lifetime D] [--one-time]
  securityinfo [--data-dir DIR] tap revoke ACCOUNT

A Temporary Access Pass lets a person who has no password yet, or who lost
every method, sign in (the pass goes where the password goes) and register
their security info. It is shown once, kept only as a salted hash, and an
account has one at a time: issuing a new one replaces the old.

  --lifetime D   how long it works, from 10m to 30d (e.g. 10m, 8h, 7d); default 1h
  --one-time     it works for one sign-in only
`

// clockNow is the clock of the tap and audit commands; tests replace it.
var clockNow = time.Now

func runTap(g Globals, env Env) error {
	args := g.Rest[1:]
	if g.Help {
		fmt.Fprint(env.Stdout, tapUsage)
		return nil
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stdout, tapUsage)
		return fmt.Errorf("%w: tap needs a sub-command: issue or revoke", errUsage)
	}
	sub, args := args[0], args[1:]
	var (
		lifetime = tap.DefaultLifetime.String()
		oneTime  bool
		pos      []string
		err      error
	)
	switch sub {
	case "issue":
		pos, err = parseFlags(args, map[string]*string{"lifetime": &lifetime}, map[string]*bool{"one-time": &oneTime})
	case "revoke":
		pos, err = parseFlags(args, nil, nil)
	default:
		return fmt.Errorf("%w: unknown tap command %q: use issue or revoke", errUsage, sub)
	}
	if err != nil {
		return fmt.Errorf("%w: tap %s: %w", errUsage, sub, err)
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: tap %s needs exactly one ACCOUNT", errUsage, sub)
	}
	var life time.Duration
	if sub == "issue" {
		if life, err = parseLifetime(lifetime); err != nil {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
	}
	dir, err := openDir(g, env)
	if err != nil {
		return err
	}
	defer dir.Close()
	passes, ok1 := dir.(info.Store)
	audit, ok2 := dir.(info.Store)
	if !ok1 || !ok2 {
		return errors.New("this directory can't keep Temporary Access Passes")
	}
	a, err := lookup(dir, pos[0])
	if err != nil {
		return err
	}
	if sub == "issue" {
		return tapIssue(passes, audit, a.Name, life, oneTime, env)
	}
	return tapRevoke(passes, audit, a.Name, env)
}

// parseLifetime reads --lifetime: a Go duration (10m, 1h30m, 8h) or whole
// days (7d), within the bounds of a pass.
func parseLifetime(s string) (time.Duration, error) {
	d, err := parseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("--lifetime %q: use a duration like 10m, 8h or 7d", s)
	}
	if err := tap.CheckLifetime(d); err != nil {
		return 0, fmt.Errorf("--lifetime %s: %w", s, err)
	}
	return d, nil
}

// parseDuration reads a Go duration or a whole number of days ("7d").
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100000 {
			return 0, fmt.Errorf("bad number of days %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

func tapIssue(passes info.Store, audit info.Store, account string, lifetime time.Duration, oneTime bool, env Env) error {
	t := clockNow().UTC()
	_, prev := passes.GetPass(account)
	replacing := prev == nil
	pass, err := tap.Issue(passes, account, lifetime, oneTime, t, rand.Reader)
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
	err = audit.AppendAudit(info.AuditEntry{Time: t, Actor: auditActor(), Account: account,
		Action: info.ActionTAPIssued, Station: storage.StationName(), Detail: detail})
	if err != nil {
		// A pass nobody can trace must not exist.
		if rerr := tap.Revoke(passes, account); rerr != nil {
			return fmt.Errorf("recording the pass in the audit log: %w; removing it again also failed (%w): run securityinfo tap revoke %s", err, rerr, account)
		}
		return fmt.Errorf("recording the pass in the audit log: %w: no pass was issued", err)
	}
	w := env.Stdout
	fmt.Fprintf(w, "Temporary Access Pass for %s: %s\n", account, tap.Format(pass))
	fmt.Fprintf(w, "Valid until %s, %s.\n", stamp(until), use)
	if replacing {
		fmt.Fprintln(w, "It replaces the pass issued before, which no longer works.")
	}
	fmt.Fprintln(w, "Give it to the person; it is not shown again.")
	return nil
}

func tapRevoke(passes info.Store, audit info.Store, account string, env Env) error {
	err := tap.Revoke(passes, account)
	if errors.Is(err, tap.ErrNoPass) {
		return fmt.Errorf("%s has no Temporary Access Pass to revoke", account)
	}
	if err != nil {
		return fmt.Errorf("revoking %s's Temporary Access Pass: %w", account, err)
	}
	err = audit.AppendAudit(info.AuditEntry{Time: clockNow().UTC(), Actor: auditActor(), Account: account,
		Action: info.ActionTAPRevoked, Station: storage.StationName()})
	if err != nil {
		return fmt.Errorf("the pass was revoked, but recording it in the audit log failed: %w", err)
	}
	fmt.Fprintf(env.Stdout, "revoked the Temporary Access Pass of %s\n", account)
	return nil
}

// parseFlags takes a command's own flags out of args, wherever they
// stand: --name VALUE, --name=VALUE (one dash also works) for valued
// ones, --name for bools. It returns the other arguments in order.
func parseFlags(args []string, valued map[string]*string, bools map[string]*bool) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(pos, args[i+1:]...), nil
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if p, ok := valued[name]; ok {
			if !hasVal {
				if i+1 >= len(args) {
					return nil, fmt.Errorf("--%s needs a value", name)
				}
				i++
				val = args[i]
			}
			*p = val
			continue
		}
		if p, ok := bools[name]; ok && !hasVal {
			*p = true
			continue
		}
		return nil, fmt.Errorf("unknown flag %s", a)
	}
	return pos, nil
}

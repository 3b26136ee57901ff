package cli

import (
	"bytes"
	crand "crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// fixClock makes the tap and audit commands see t as now, and the
// operator be "opr".
func fixClock(t *testing.T, at time.Time) {
	t.Helper()
	old := clockNow
	clockNow = func() time.Time { return at }
	t.Cleanup(func() { clockNow = old })
	t.Setenv("USER", "opr")
}

// cmd runs a tap or audit command in process through Run (one line on
// stderr, exit 2 for a wrong call, 1 for a failure).
func (r *cliRig) cmd(args ...string) (string, string, int) {
	if len(args) == 0 {
		r.t.Fatal("cmd needs a command")
	}
	return r.run("", args...)
}

// addAccount adds an account with a password straight to the store, so
// that the tap and audit tests see only their own audit entries (user add
// records one).
func (r *cliRig) addAccount(name string) {
	r.t.Helper()
	hash, err := secret.Hash("s3cret-password", crand.Reader)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.open().CreateAccount(info.Account{Name: name, PasswordHash: hash, Created: time.Now().UTC()}); err != nil {
		r.t.Fatalf("adding %s: %v", name, err)
	}
}

// open opens the rig's data dir.
func (r *cliRig) open() *storage.Local {
	r.t.Helper()
	l, err := storage.OpenLocal(r.data, r.keys)
	if err != nil {
		r.t.Fatal(err)
	}
	return l
}

var issued = regexp.MustCompile(`^Temporary Access Pass for (\S+): ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\n` +
	`Valid until (\d{4}-\d\d-\d\d \d\d:\d\d UTC), (one-time use|reusable until then)\.\n` +
	`(It replaces the pass issued before, which no longer works\.\n)?` +
	`Give it to the person; it is not shown again\.\n$`)

func TestTap_IssuePrintsThePassOnceAndAudits(t *testing.T) {
	r := newCLI(t)
	r.addAccount("alice@contoso.example")
	t0 := time.Date(2026, 11, 24, 13, 4, 30, 0, time.UTC)
	fixClock(t, t0)

	// Flags after the account, the global flag last.
	out, errOut, code := r.cmd("tap", "issue", "ALICE@contoso.example", "--lifetime", "2h", "--one-time", "--data-dir", r.data)
	m := issued.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if m[1] != "alice@contoso.example" || m[3] != "2026-11-24 15:04 UTC" || m[4] != "one-time use" || m[5] != "" {
		t.Errorf("output %q", out)
	}
	pass := m[2]

	l := r.open()
	p, err := l.GetPass("alice@contoso.example")
	if err != nil || !p.OneTime || !p.Expires.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("stored %+v, %v", p, err)
	}
	if err := tap.Check(l, "alice@contoso.example", pass, t0.Add(time.Minute)); err != nil {
		t.Errorf("the printed pass does not sign in: %v", err)
	}

	es, _ := storetest.AuditEntries(l, "", time.Time{})
	if len(es) != 1 {
		t.Fatalf("audit: %+v", es)
	}
	e := es[0]
	if e.Action != info.ActionTAPIssued || e.Actor != "opr" || e.Account != "alice@contoso.example" ||
		e.Station == "" || !e.Time.Equal(t0) || !strings.Contains(e.Detail, "one-time") {
		t.Errorf("audit entry %+v", e)
	}

	// The pass is nowhere: not in the data file, not in the audit log.
	listed, _, _ := r.cmd("--data-dir", r.data, "audit", "list")
	raw, err := os.ReadFile(filepath.Join(r.data, storage.DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	plain := tap.Normalise(pass)
	for _, form := range []string{pass, plain, strings.ToLower(plain), strings.ToLower(pass)} {
		if bytes.Contains(raw, []byte(form)) {
			t.Errorf("the data file holds the pass as %q", form)
		}
		if strings.Contains(listed, form) || strings.Contains(fmt.Sprintf("%+v", es), form) {
			t.Errorf("the audit log holds the pass as %q", form)
		}
	}
	if r.keys.Len() != 0 {
		t.Errorf("issuing a pass wrote %d keyring items", r.keys.Len())
	}
}

func TestTap_DefaultLifetimeReissueAndRevoke(t *testing.T) {
	r := newCLI(t)
	r.addAccount("alice@contoso.example")
	t0 := time.Date(2026, 11, 24, 13, 4, 0, 0, time.UTC)
	fixClock(t, t0)

	out, _, code := r.cmd("--data-dir", r.data, "tap", "issue", "alice@contoso.example")
	m := issued.FindStringSubmatch(out)
	if code != 0 || m == nil || m[3] != "2026-11-24 14:04 UTC" || m[4] != "reusable until then" {
		t.Fatalf("default issue: %d %q", code, out)
	}
	first := m[2]
	out, _, _ = r.cmd("--data-dir", r.data, "tap", "issue", "alice@contoso.example", "--lifetime=7d")
	m = issued.FindStringSubmatch(out)
	if m == nil || m[5] == "" || m[3] != "2026-12-01 13:04 UTC" {
		t.Fatalf("re-issue does not say it replaces the old pass: %q", out)
	}
	l := r.open()
	if err := tap.Check(l, "alice@contoso.example", first, t0); !errors.Is(err, tap.ErrNoMatch) {
		t.Errorf("the replaced pass: %v, want ErrNoMatch", err)
	}
	if err := tap.Check(l, "alice@contoso.example", m[2], t0); err != nil {
		t.Errorf("the new pass: %v", err)
	}

	out, errOut, code := r.cmd("--data-dir", r.data, "tap", "revoke", "Alice@Contoso.example")
	if code != 0 || out != "revoked the Temporary Access Pass of alice@contoso.example\n" {
		t.Errorf("revoke: %d %q %q", code, out, errOut)
	}
	if err := tap.Check(l, "alice@contoso.example", m[2], t0); !errors.Is(err, tap.ErrNoPass) {
		t.Errorf("after revoke: %v, want ErrNoPass", err)
	}
	_, errOut, code = r.cmd("--data-dir", r.data, "tap", "revoke", "alice@contoso.example")
	if code != 1 || errOut != "securityinfo: alice@contoso.example has no Temporary Access Pass to revoke\n" {
		t.Errorf("second revoke: %d %q", code, errOut)
	}

	es, _ := storetest.AuditEntries(l, "alice@contoso.example", time.Time{})
	var acts []string
	for _, e := range es {
		acts = append(acts, e.Action)
	}
	if strings.Join(acts, " ") != "tap-issued tap-issued tap-revoked" {
		t.Errorf("audit actions %v", acts)
	}
	if !strings.Contains(es[1].Detail, "replaces") || es[2].Actor != "opr" {
		t.Errorf("audit entries %+v", es)
	}
}

func TestTap_BadInputIsOneLineAndNonZero(t *testing.T) {
	r := newCLI(t)
	r.addAccount("alice@contoso.example")
	fixClock(t, time.Date(2026, 11, 24, 13, 4, 0, 0, time.UTC))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"too short", []string{"tap", "issue", "alice@contoso.example", "--lifetime", "9m"}, 2, "9 minutes is too short: a Temporary Access Pass lasts from 10 minutes to 30 days"},
		{"too long", []string{"tap", "issue", "alice@contoso.example", "--lifetime", "31d"}, 2, "31 days is too long: a Temporary Access Pass lasts from 10 minutes to 30 days"},
		{"just too long", []string{"tap", "issue", "alice@contoso.example", "--lifetime", "720h1s"}, 2, "is too long"},
		{"negative", []string{"tap", "issue", "alice@contoso.example", "--lifetime=-1h"}, 2, "too short"},
		{"not a duration", []string{"tap", "issue", "alice@contoso.example", "--lifetime", "soon"}, 2, "use a duration like 10m, 8h or 7d"},
		{"lifetime without value", []string{"tap", "issue", "alice@contoso.example", "--lifetime"}, 2, "--lifetime needs a value"},
		{"unknown flag", []string{"tap", "issue", "alice@contoso.example", "--forever"}, 2, "unknown flag --forever"},
		{"one-time on revoke", []string{"tap", "revoke", "alice@contoso.example", "--one-time"}, 2, "unknown flag"},
		{"unknown account", []string{"tap", "issue", "nobody@contoso.example"}, 1, "no account named"},
		{"unknown account revoke", []string{"tap", "revoke", "nobody@contoso.example"}, 1, "no account named"},
		{"no account", []string{"tap", "issue", "--one-time"}, 2, "tap issue needs exactly one ACCOUNT"},
		{"two accounts", []string{"tap", "revoke", "a", "b"}, 2, "tap revoke needs exactly one ACCOUNT"},
		{"no sub-command", []string{"tap"}, 2, "tap needs a sub-command"},
		{"unknown sub-command", []string{"tap", "extend", "alice@contoso.example"}, 2, "unknown tap command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := r.cmd(append([]string{"--data-dir", r.data}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line with %q", code, errOut, tc.code, tc.want)
			}
		})
	}
	l := r.open()
	if _, err := l.GetPass("alice@contoso.example"); !errors.Is(err, info.ErrNoPass) {
		t.Errorf("bad input issued a pass: %v", err)
	}
	if es, _ := storetest.AuditEntries(l, "", time.Time{}); len(es) != 0 {
		t.Errorf("bad input was audited: %+v", es)
	}
	// The bounds themselves are accepted.
	for _, d := range []string{"10m", "30d", "720h"} {
		if _, errOut, code := r.cmd("--data-dir", r.data, "tap", "issue", "alice@contoso.example", "--lifetime", d); code != 0 {
			t.Errorf("--lifetime %s: %d %q", d, code, errOut)
		}
	}
}

func TestTap_Help(t *testing.T) {
	r := newCLI(t)
	for _, args := range [][]string{{"tap", "--help"}, {"tap", "issue", "--help"}, {"--help", "tap", "revoke"}} {
		out, _, code := r.cmd(args...)
		if code != 0 || !strings.Contains(out, "tap issue ACCOUNT [--lifetime D] [--one-time]") || !strings.Contains(out, "tap revoke ACCOUNT") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

// TestRun_DispatchesTapAndAudit checks that Run has the tap and audit
// commands and that Usage lists them.
func TestRun_DispatchesTapAndAudit(t *testing.T) {
	r := newCLI(t)
	for _, c := range []struct{ cmd, want string }{{"tap", "tap issue ACCOUNT"}, {"audit", "audit list"}} {
		out, errOut, code := r.run("", c.cmd, "--help")
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("securityinfo %s --help: exit %d, stdout %q, stderr %q: is the command in cli.Run?", c.cmd, code, out, errOut)
		}
		if !strings.Contains(Usage(), "  "+c.want) {
			t.Errorf("Usage does not list %q", c.want)
		}
	}
}

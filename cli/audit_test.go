package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestAudit_ListFormatAndFilters(t *testing.T) {
	r := newCLI(t)
	t0 := time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC)
	fixClock(t, t0.Add(48*time.Hour))
	l := r.open()
	for _, e := range []info.AuditEntry{
		{Time: t0.Add(-72 * time.Hour), Actor: "Alice@Contoso.example", Account: "Alice@Contoso.example", Action: info.ActionSignInFailed, Station: "desk-1"},
		{Time: t0, Actor: "opr", Account: "alice@contoso.example", Action: info.ActionTAPIssued, Station: "helpdesk-2", Detail: "valid for 1 hour, one-time use"},
		{Time: t0.Add(30 * time.Hour), Actor: "kiosk", Action: info.ActionKioskWipe, Station: "kiosk-3"},
		{Time: t0.Add(47 * time.Hour), Actor: "bob@contoso.example", Account: "bob@contoso.example", Action: info.ActionSignIn, Station: "desk-1"},
	} {
		if err := l.AppendAudit(e); err != nil {
			t.Fatal(err)
		}
	}

	out, errOut, code := r.cmd("--data-dir", r.data, "audit", "list")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || len(lines) != 4 {
		t.Fatalf("exit %d, %q, %q", code, out, errOut)
	}
	want := [][]string{
		{"2026-11-21T14:05:00Z", "Alice@Contoso.example", "Alice@Contoso.example", "sign-in-failed", "desk-1"},
		{"2026-11-24T14:05:00Z", "opr", "alice@contoso.example", "tap-issued", "helpdesk-2", "valid", "for", "1", "hour,", "one-time", "use"},
		{"2026-11-25T20:05:00Z", "kiosk", "-", "kiosk-wipe", "kiosk-3"},
		{"2026-11-26T13:05:00Z", "bob@contoso.example", "bob@contoso.example", "sign-in", "desk-1"},
	}
	for i, line := range lines {
		if got := strings.Fields(line); strings.Join(got, "|") != strings.Join(want[i], "|") {
			t.Errorf("line %d = %q, want fields %q", i, line, want[i])
		}
	}
	// Aligned columns: the action starts at the same place on every line.
	col := strings.Index(lines[0], "sign-in-failed")
	for i, a := range []string{"tap-issued", "kiosk-wipe", "sign-in"} {
		if strings.Index(lines[i+1], a) != col {
			t.Errorf("columns are not aligned:\n%s", out)
		}
	}

	tests := []struct {
		name string
		args []string
		want []string // first field of each line
	}{
		{"account any case", []string{"--account", "ALICE@contoso.example"}, []string{"2026-11-21T14:05:00Z", "2026-11-24T14:05:00Z"}},
		{"since RFC 3339", []string{"--since", "2026-11-24T14:05:00Z"}, []string{"2026-11-24T14:05:00Z", "2026-11-25T20:05:00Z", "2026-11-26T13:05:00Z"}},
		{"since RFC 3339 with offset", []string{"--since=2026-11-24T15:05:01+01:00"}, []string{"2026-11-25T20:05:00Z", "2026-11-26T13:05:00Z"}},
		{"since a date", []string{"--since", "2026-11-25"}, []string{"2026-11-25T20:05:00Z", "2026-11-26T13:05:00Z"}},
		{"since 24h ago", []string{"--since", "24h"}, []string{"2026-11-25T20:05:00Z", "2026-11-26T13:05:00Z"}},
		{"since 2d ago", []string{"--since", "2d"}, []string{"2026-11-24T14:05:00Z", "2026-11-25T20:05:00Z", "2026-11-26T13:05:00Z"}},
		{"both, flags first", []string{"--since", "2h", "--account", "bob@contoso.example"}, []string{"2026-11-26T13:05:00Z"}},
		{"nothing matches", []string{"--account", "carol@contoso.example"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := r.cmd(append([]string{"audit", "list", "--data-dir", r.data}, tc.args...)...)
			var got []string
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if f := strings.Fields(line); len(f) > 0 {
					got = append(got, f[0])
				}
			}
			if code != 0 || strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("exit %d %q, got %v, want %v", code, errOut, got, tc.want)
			}
		})
	}
}

func TestAudit_BadInputIsOneLineAndNonZero(t *testing.T) {
	r := newCLI(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad since", []string{"audit", "list", "--since", "yesterday"}, "--since \"yesterday\": use a time like"},
		{"negative since", []string{"audit", "list", "--since", "-24h"}, "--since"},
		{"since without value", []string{"audit", "list", "--since"}, "--since needs a value"},
		{"argument", []string{"audit", "list", "alice"}, "audit list takes no arguments"},
		{"unknown flag", []string{"audit", "list", "--tail"}, "unknown flag --tail"},
		{"no sub-command", []string{"audit"}, "audit needs a sub-command"},
		{"unknown sub-command", []string{"audit", "clear"}, "unknown audit command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := r.cmd(append([]string{"--data-dir", r.data}, tc.args...)...)
			if code != 2 || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line with %q", code, errOut, tc.want)
			}
		})
	}
	for _, args := range [][]string{{"audit", "--help"}, {"audit", "list", "--help"}} {
		if out, _, code := r.cmd(args...); code != 0 || !strings.Contains(out, "audit list [--account ACCOUNT] [--since T]") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

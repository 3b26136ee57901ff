package cli

import (
	crand "crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/station"
)

// errAuditDown is what a broken audit log answers.
var errAuditDown = errors.New("audit log disk full")

// noAudit is a store whose audit log can't be written.
type noAudit struct{ info.Store }

func (noAudit) AppendAudit(info.AuditEntry) error { return errAuditDown }

func withoutAudit(s info.Store) info.Store { return noAudit{s} }

// noCreate is a store whose accounts come from elsewhere.
type noCreate struct{ info.Store }

func (noCreate) CreateAccount(info.Account) error { return info.ErrNotSupported }

func TestAuditedCommands_RecordOrFail(t *testing.T) {
	const sid = "AC0123456789abcdef0123456789abcdef"
	twilio := sid + "\ntoken-canary-0123456789\n"
	tests := []struct {
		name   string
		setup  func(t *testing.T, r *cliRig)
		stdin  string
		args   []string
		action string
		// kept checks, after a failed audit write, what the command
		// promises about the state: nothing changed, or the account
		// locked, or (for what can't be undone) that it says so.
		kept    func(t *testing.T, r *cliRig, errOut string)
		secrets []string // never in any output
	}{
		{
			name: "user add", stdin: "s3cret-password\n", args: []string{"user", "add", "carol@contoso.example"},
			action: actionAccountAdded, secrets: []string{"s3cret-password"},
			kept: func(t *testing.T, r *cliRig, errOut string) {
				a, err := r.open().Account("carol@contoso.example")
				if err != nil || a.Failures < wizard.MaxFailures {
					t.Errorf("the unrecorded account is usable: %+v %v", a, err)
				}
				if !strings.Contains(errOut, "user unlock carol@contoso.example") {
					t.Errorf("stderr does not say how to unlock: %q", errOut)
				}
			},
		},
		{
			name:  "user reset",
			setup: func(t *testing.T, r *cliRig) { r.addMethod(t, "alice@contoso.example", "app1") },
			args:  []string{"user", "reset", "alice@contoso.example"}, action: info.ActionReset,
			kept: func(t *testing.T, r *cliRig, errOut string) {
				if ms, _ := r.open().Methods("alice@contoso.example"); len(ms) != 1 || !strings.Contains(errOut, "nothing was removed") {
					t.Errorf("methods %+v, stderr %q: want nothing removed", ms, errOut)
				}
			},
		},
		{
			name: "user unlock",
			setup: func(t *testing.T, r *cliRig) {
				r.open().UpdateAccount("alice@contoso.example", func(a *info.Account) error { a.Failures = wizard.MaxFailures; return nil })
			},
			args: []string{"user", "unlock", "alice@contoso.example"}, action: info.ActionUnlock,
			kept: func(t *testing.T, r *cliRig, _ string) {
				if a, _ := r.open().Account("alice@contoso.example"); a.Failures != wizard.MaxFailures {
					t.Errorf("unrecorded unlock left failures at %d", a.Failures)
				}
			},
		},
		{
			name: "app-password delete",
			setup: func(t *testing.T, r *cliRig) {
				if _, _, err := apppassword.Create(r.open(), "alice@contoso.example", "Outlook", time.Now(), crand.Reader); err != nil {
					t.Fatal(err)
				}
			},
			args: []string{"app-password", "delete", "alice@contoso.example", "Outlook"}, action: info.ActionAppPasswordDeleted,
			kept: func(t *testing.T, r *cliRig, errOut string) {
				// Deleting can't be undone (undoing would give the password
				// back): the command fails and says what happened.
				if !strings.Contains(errOut, "deleted app password") {
					t.Errorf("stderr %q does not say the password was deleted", errOut)
				}
			},
		},
		{
			name: "tap issue", args: []string{"tap", "issue", "alice@contoso.example"}, action: info.ActionTAPIssued,
			kept: func(t *testing.T, r *cliRig, _ string) {
				// Withdrawn: ended now (only while it is still the
				// account's pass, not one issued meanwhile).
				if p, err := r.open().GetPass("alice@contoso.example"); err == nil && p.Expires.After(time.Now()) {
					t.Errorf("an unrecorded pass still works, until %v", p.Expires)
				}
			},
		},
		{
			name: "tap revoke",
			setup: func(t *testing.T, r *cliRig) {
				if _, _, code := r.runStore(nil, nil, "", "tap", "issue", "alice@contoso.example"); code != 0 {
					t.Fatal("issue failed")
				}
			},
			args: []string{"tap", "revoke", "alice@contoso.example"}, action: info.ActionTAPRevoked,
			kept: func(t *testing.T, r *cliRig, errOut string) {
				if !strings.Contains(errOut, "the pass was revoked, but") {
					t.Errorf("stderr %q does not say the pass was revoked", errOut)
				}
			},
		},
		{
			name: "provider set twilio", stdin: twilio, args: []string{"provider", "set", "twilio"},
			action: station.ActionProviderSet, secrets: []string{"token-canary"},
			kept: func(t *testing.T, r *cliRig, _ string) {
				if set, _ := station.HasProvider(r.open(), station.Twilio); set {
					t.Error("unrecorded twilio credentials were kept")
				}
			},
		},
		{
			name: "provider set webhook replaces", stdin: "new-webhook-key-canary\n", args: []string{"provider", "set", "webhook"},
			setup: func(t *testing.T, r *cliRig) {
				if err := station.SetWebhookKey(r.open(), []byte("old-webhook-key-0123")); err != nil {
					t.Fatal(err)
				}
			},
			action: station.ActionProviderSet, secrets: []string{"new-webhook-key-canary", "old-webhook-key"},
			kept: func(t *testing.T, r *cliRig, _ string) {
				if k, _ := station.LoadWebhookKey(r.open()); string(k) != "old-webhook-key-0123" {
					t.Errorf("the old key was not put back: %q", k)
				}
			},
		},
		{
			name: "provider clear", args: []string{"provider", "clear", "webhook"},
			setup: func(t *testing.T, r *cliRig) {
				if err := station.SetWebhookKey(r.open(), []byte("old-webhook-key-0123")); err != nil {
					t.Fatal(err)
				}
			},
			action: station.ActionProviderCleared, secrets: []string{"old-webhook-key"},
			kept: func(t *testing.T, r *cliRig, _ string) {
				if k, _ := station.LoadWebhookKey(r.open()); string(k) != "old-webhook-key-0123" {
					t.Errorf("unrecorded clear removed the key: %q", k)
				}
			},
		},
		{
			name: "station passphrase", stdin: "new passphrase canary\n", args: []string{"station", "passphrase"},
			setup: func(t *testing.T, r *cliRig) {
				if err := station.SetPassphrase(r.open(), "old station passphrase", crand.Reader); err != nil {
					t.Fatal(err)
				}
			},
			action: station.ActionPassphraseSet, secrets: []string{"passphrase canary", "$argon2id$"},
			kept: func(t *testing.T, r *cliRig, _ string) {
				s := r.open()
				if err := station.CheckPassphrase(s, "old station passphrase", time.Now()); err != nil {
					t.Errorf("the old passphrase no longer works: %v", err)
				}
				if err := station.CheckPassphrase(s, "new passphrase canary", time.Now()); err == nil {
					t.Error("the unrecorded passphrase works")
				}
			},
		},
		{
			name: "directory credential", stdin: "bind-password-canary\n", args: []string{"directory", "credential"},
			action: station.ActionDirectoryCredential, secrets: []string{"bind-password-canary"},
			kept: func(t *testing.T, r *cliRig, _ string) {
				if _, err := station.DirectoryCredential(r.open()); !errors.Is(err, station.ErrNotSet) {
					t.Errorf("an unrecorded bind password was kept: %v", err)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name+"/recorded", func(t *testing.T) {
			r := newCLI(t)
			r.addAccount("alice@contoso.example")
			if tc.setup != nil {
				tc.setup(t, r)
			}
			before := r.auditCount(t)
			out, errOut, code := r.runStore(nil, nil, tc.stdin, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			es, _ := storetest.AuditEntries(r.open(), "", time.Time{})
			if len(es) != before+1 || es[len(es)-1].Action != tc.action || es[len(es)-1].Actor == "" || es[len(es)-1].Station == "" {
				t.Fatalf("audit log after: %+v; want one new %s entry", es[before:], tc.action)
			}
			noSecrets(t, tc.secrets, out, errOut, es[len(es)-1].Detail)
		})
		t.Run(tc.name+"/audit write fails", func(t *testing.T) {
			r := newCLI(t)
			r.addAccount("alice@contoso.example")
			if tc.setup != nil {
				tc.setup(t, r)
			}
			before := r.auditCount(t)
			out, errOut, code := r.runStore(withoutAudit, nil, tc.stdin, tc.args...)
			if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "writing to the audit log failed: "+errAuditDown.Error()) {
				t.Errorf("exit %d, stderr %q; want exit 1 and one line about the audit log", code, errOut)
			}
			if after := r.auditCount(t); after != before {
				t.Errorf("audit entries %d → %d through a store that refuses them", before, after)
			}
			tc.kept(t, r, errOut)
			noSecrets(t, tc.secrets, out, errOut)
		})
	}
}

// noSecrets fails if any output holds a secret.
func noSecrets(t *testing.T, secrets []string, outputs ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, o := range outputs {
			if strings.Contains(o, s) {
				t.Errorf("output holds the secret %q: %q", s, o)
			}
		}
	}
}

// auditCount is how many entries the rig's audit log holds.
func (r *cliRig) auditCount(t *testing.T) int {
	t.Helper()
	es, err := storetest.AuditEntries(r.open(), "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// addMethod registers an authenticator app with a secret.
func (r *cliRig) addMethod(t *testing.T, account, id string) {
	t.Helper()
	err := r.open().AddMethod(account, info.Method{ID: id, Kind: info.KindAuthenticatorApp, Label: "Pixel " + id, Created: time.Now().UTC(), HasSecret: true}, []byte("seed-"+id))
	if err != nil {
		t.Fatal(err)
	}
}

func TestUserAdd_DirectoryAccountsAreAddedThere(t *testing.T) {
	r := newCLI(t)
	out, errOut, code := r.runStore(func(s info.Store) info.Store { return noCreate{s} }, nil, "s3cret-password\n", "user", "add", "dave@contoso.example")
	if code != 1 || errOut != "securityinfo: accounts come from the organisation's directory: add people there\n" || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if n := r.auditCount(t); n != 0 {
		t.Errorf("a refused add left %d audit entries", n)
	}
}

func TestUserReset_SaysMethodOrMethods(t *testing.T) {
	for _, tc := range []struct {
		methods      int
		want, detail string
	}{
		{0, "removed 0 methods from alice@contoso.example;", "0 methods removed"},
		{1, "removed 1 method from alice@contoso.example;", "1 method removed"},
		{2, "removed 2 methods from alice@contoso.example;", "2 methods removed"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			r := newCLI(t)
			r.addAccount("alice@contoso.example")
			for i := range tc.methods {
				r.addMethod(t, "alice@contoso.example", string(rune('a'+i)))
			}
			out, errOut, code := r.runStore(nil, nil, "", "user", "reset", "alice@contoso.example")
			if code != 0 || !strings.HasPrefix(out, tc.want) {
				t.Errorf("exit %d, stdout %q (stderr %q), want it to start with %q", code, out, errOut, tc.want)
			}
			es, _ := storetest.AuditEntries(r.open(), "alice@contoso.example", time.Time{})
			if len(es) != 1 || es[0].Action != info.ActionReset || es[0].Detail != tc.detail {
				t.Errorf("audit %+v", es)
			}
		})
	}
}

// noDelete is a store whose station secrets can be written but not
// removed.
type noDelete struct{ info.Store }

func (noDelete) DeleteStationSecret(string) error { return errors.New("keyring refused the delete") }

func TestStationPassphrase_HalfDoneChangeIsUndone(t *testing.T) {
	r := newCLI(t)
	if err := station.SetPassphrase(r.open(), "old station passphrase", crand.Reader); err != nil {
		t.Fatal(err)
	}
	// Setting a passphrase writes its hash, then clears the wrong-guess
	// count; the second step fails here.
	_, errOut, code := r.runStore(func(s info.Store) info.Store { return noDelete{s} }, nil, "new station passphrase\n", "station", "passphrase")
	if code != 1 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	s := r.open()
	if err := station.CheckPassphrase(s, "old station passphrase", time.Now()); err != nil {
		t.Errorf("the old passphrase no longer works: %v", err)
	}
	if err := station.CheckPassphrase(s, "new station passphrase", time.Now()); err == nil {
		t.Error("the half-set passphrase works")
	}
	if n := r.auditCount(t); n != 0 {
		t.Errorf("a failed change left %d audit entries", n)
	}
}

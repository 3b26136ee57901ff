package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard/station"
)

// The mail server's credentials go to the keyring, audited, never printed.
func TestProvider_SetSMTP(t *testing.T) {
	r := newCLI(t)
	const canary = "smtp-pass canary 42"
	out, errOut, code := r.run("station1@contoso.example\n"+canary+"\n", "--data-dir", r.data, "provider", "set", "smtp")
	if code != 0 || !strings.Contains(out, "saved smtp credentials in the keyring") {
		t.Fatalf("set: %d %q %q", code, out, errOut)
	}
	show, _, _ := r.run("", "--data-dir", r.data, "provider", "show")
	if !strings.Contains(show, "smtp     credentials set") || !strings.Contains(show, "twilio   not set") {
		t.Errorf("show = %q", show)
	}
	dir, err := storage.OpenLocal(r.data, r.keys)
	if err != nil {
		t.Fatal(err)
	}
	c, err := station.LoadSMTP(dir)
	if err != nil || c.Username != "station1@contoso.example" || c.Password != canary {
		t.Errorf("LoadSMTP = %+v, %v", c, err)
	}
	es, _ := storetest.AuditEntries(dir, "", time.Time{})
	if len(es) != 1 || es[0].Action != station.ActionProviderSet || es[0].Detail != "smtp" {
		t.Errorf("audit %+v", es)
	}
	dir.Close()
	for _, s := range []string{out, errOut, show, es[0].Detail} {
		if strings.Contains(s, "canary") {
			t.Errorf("the password was printed or audited: %q", s)
		}
	}
	// A missing password saves nothing.
	if _, errOut, code := r.run("someone\n\n", "--data-dir", r.data, "provider", "set", "smtp"); code != 1 || !strings.Contains(errOut, "nothing was saved") {
		t.Errorf("no password: %d %q", code, errOut)
	}
	r.run("", "--data-dir", r.data, "provider", "clear", "smtp")
	if r.keys.Len() != 0 {
		t.Errorf("clear left %d keyring items", r.keys.Len())
	}
}

package directory_test

import (
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestDirectory_FinishedCutOffRemovalIsAudited: a removal a crashed
// station left marked, which a later read of the person's methods
// finishes, is recorded in the audit log as every other removal is: once
// (the next read finds nothing left to finish), by "station" on the
// station that finished it, naming the method's kind and label and
// nothing secret.
func TestDirectory_FinishedCutOffRemovalIsAudited(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{})
	cfg := configFor(s)
	cfg.Station = "desk-7"
	d, err := directory.Open(cfg, []byte(s.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	dn := s.AddPerson("alice", "alice-password-1", false)
	tok := s.AddAuthenticator("alice", "app1", seed)
	markForRemoval(t, s, dn, tok)
	defer directory.SetStaleMark(0)()
	alice, err := d.Account("alice")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if ms, err := d.Methods("alice"); err != nil || len(ms) != 0 {
			t.Fatalf("Methods = %+v, %v, want none", ms, err)
		}
	}
	if exists(t, s, tok) {
		t.Fatal("the cut-off removal was not finished")
	}
	es, err := storetest.AuditEntries(d, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var removed []info.AuditEntry
	for _, e := range es {
		if e.Action == info.ActionMethodRemoved {
			removed = append(removed, e)
		}
	}
	if len(removed) != 1 {
		t.Fatalf("audit log after two reads: %+v; want one %s entry", es, info.ActionMethodRemoved)
	}
	e := removed[0]
	if e.Actor != "station" || e.Account != alice.Name || e.Station != "desk-7" || e.Time.IsZero() {
		t.Errorf("the entry: %+v; want actor station, account %s, station desk-7, a time", e, alice.Name)
	}
	if !strings.Contains(e.Detail, string(info.KindAuthenticatorApp)) || !strings.Contains(e.Detail, "Authenticator app") {
		t.Errorf("the entry's detail %q names no kind and label", e.Detail)
	}
	for _, f := range []string{e.Actor, e.Account, e.Station, e.Detail} {
		if strings.Contains(f, string(seed)) {
			t.Errorf("the entry holds the app's secret: %+v", e)
		}
	}
}

package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// auditKeys returns the raw keys of the audit bucket, in file order.
func auditKeys(t *testing.T, l *Local) [][]byte {
	t.Helper()
	release, err := l.hold()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	var keys [][]byte
	err = l.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return errors.New("no audit bucket")
		}
		return b.ForEach(func(k, _ []byte) error {
			keys = append(keys, bytes.Clone(k))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func actions(es []info.AuditEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

func TestAudit_AppendOrderNeverOverwritten(t *testing.T) {
	l, dir := openTest(t, NewMemoryKeyring())
	t0 := time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC)
	// The same time twice and a clock that went back: order is still the
	// order of appending, and no entry replaces another.
	in := []info.AuditEntry{
		{Time: t0, Actor: "alice@contoso.example", Account: "alice@contoso.example", Action: info.ActionSignInFailed, Station: "desk-1"},
		{Time: t0, Actor: "alice@contoso.example", Account: "alice@contoso.example", Action: info.ActionSignIn, Station: "desk-1"},
		{Time: t0.Add(-time.Hour), Actor: "helpdesk", Account: "bob@contoso.example", Action: info.ActionTAPIssued, Station: "hd", Detail: "one-time"},
	}
	for _, e := range in {
		if err := l.AppendAudit(e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := auditOf(l, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, in) {
		t.Fatalf("Audit = %+v\nwant %+v", got, in)
	}
	keys := auditKeys(t, l)
	if len(keys) != 3 {
		t.Fatalf("%d keys, want 3", len(keys))
	}
	for i, k := range keys {
		if len(k) != 8 || binary.BigEndian.Uint64(k) != uint64(i+1) {
			t.Errorf("key %d = %x, want big-endian %d", i, k, i+1)
		}
	}

	// After reopening, a new entry goes after the old ones.
	l = reopen(t, l, dir, NewMemoryKeyring())
	if err := l.AppendAudit(info.AuditEntry{Time: t0, Action: info.ActionKioskWipe, Actor: "kiosk", Station: "kiosk-3"}); err != nil {
		t.Fatal(err)
	}
	got, _ = auditOf(l, "", time.Time{})
	want := []string{info.ActionSignInFailed, info.ActionSignIn, info.ActionTAPIssued, info.ActionKioskWipe}
	if !slices.Equal(actions(got), want) || !slices.Equal(got[:3], in) {
		t.Errorf("after reopen: %v, want %v with the first three unchanged", actions(got), want)
	}
	if keys := auditKeys(t, l); len(keys) != 4 || binary.BigEndian.Uint64(keys[3]) != 4 {
		t.Errorf("keys after reopen: %x", keys)
	}
}

func TestAudit_Filters(t *testing.T) {
	l, _ := openTest(t, NewMemoryKeyring())
	t0 := time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC)
	for i, acct := range []string{"Alice@Contoso.example", "bob@contoso.example", "alice@contoso.example", ""} {
		e := info.AuditEntry{Time: t0.Add(time.Duration(i) * time.Hour), Actor: "x", Account: acct, Action: "a" + string(rune('0'+i))}
		if err := l.AppendAudit(e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		account string
		since   time.Time
		want    []string
	}{
		{"all", "", time.Time{}, []string{"a0", "a1", "a2", "a3"}},
		{"account, any case", "ALICE@contoso.example ", time.Time{}, []string{"a0", "a2"}},
		{"other account", "bob@contoso.example", time.Time{}, []string{"a1"}},
		{"unknown account", "carol@contoso.example", time.Time{}, nil},
		{"since is inclusive", "", t0.Add(time.Hour), []string{"a1", "a2", "a3"}},
		{"since just after", "", t0.Add(time.Hour + time.Nanosecond), []string{"a2", "a3"}},
		{"since in another zone", "", t0.Add(2 * time.Hour).In(time.FixedZone("CET", 3600)), []string{"a2", "a3"}},
		{"both", "alice@contoso.example", t0.Add(time.Minute), []string{"a2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auditOf(l, tt.account, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(actions(got), tt.want) {
				t.Errorf("got %v, want %v", actions(got), tt.want)
			}
		})
	}
}

func TestAudit_TimeIsUTCAndSetWhenZero(t *testing.T) {
	l, _ := openTest(t, NewMemoryKeyring())
	cet := time.FixedZone("CET", 3600)
	at := time.Date(2026, 11, 24, 15, 5, 0, 0, cet)
	before := time.Now()
	l.AppendAudit(info.AuditEntry{Time: at, Action: info.ActionReset})
	l.AppendAudit(info.AuditEntry{Action: info.ActionReset})
	got, err := auditOf(l, "", time.Time{})
	if err != nil || len(got) != 2 {
		t.Fatalf("%v %v", got, err)
	}
	if !got[0].Time.Equal(at) || got[0].Time.Location() != time.UTC {
		t.Errorf("time = %v, want %v in UTC", got[0].Time, at)
	}
	if got[1].Time.Before(before.Add(-time.Second)) || got[1].Time.Location() != time.UTC {
		t.Errorf("zero time became %v", got[1].Time)
	}
}

func TestAudit_RefusesEmptyActionAndKeepsEntriesOneLine(t *testing.T) {
	l, _ := openTest(t, NewMemoryKeyring())
	if err := l.AppendAudit(info.AuditEntry{Account: "a"}); err == nil {
		t.Error("an entry without an action was appended")
	}
	forged := "x\n2026-11-24T14:05:00Z  helpdesk  bob  sign-in"
	if err := l.AppendAudit(info.AuditEntry{Action: info.ActionSignInFailed, Account: forged, Detail: "a\tb\rc\x1b[31m" + strings.Repeat("d", 2000)}); err != nil {
		t.Fatal(err)
	}
	got, _ := auditOf(l, "", time.Time{})
	if len(got) != 1 {
		t.Fatalf("%d entries", len(got))
	}
	for _, f := range []string{got[0].Account, got[0].Detail} {
		if strings.ContainsAny(f, "\n\r\t\x1b") {
			t.Errorf("field kept a control character: %q", f)
		}
	}
	if len(got[0].Detail) > info.MaxAuditField+len("…") {
		t.Errorf("detail is %d bytes", len(got[0].Detail))
	}
}

func TestAudit_EmptyLog(t *testing.T) {
	l, _ := openTest(t, NewMemoryKeyring())
	got, err := auditOf(l, "alice", time.Time{})
	if err != nil || len(got) != 0 {
		t.Errorf("Audit on a new store = %v, %v", got, err)
	}
}

func TestLocal_AuditIndexes(t *testing.T) {
	l, err := OpenLocal(t.TempDir(), NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Times out of append order: the time index still answers --since.
	for i, e := range []info.AuditEntry{
		{Time: t0.Add(3 * time.Hour), Account: "alice", Action: "a"},
		{Time: t0.Add(1 * time.Hour), Account: "bob", Action: "b"},
		{Time: t0.Add(2 * time.Hour), Account: "Alice", Action: "c"},
	} {
		if err := l.AppendAudit(e); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	got, _ := auditOf(l, "", t0.Add(90*time.Minute))
	if len(got) != 2 || got[0].Action != "c" || got[1].Action != "a" {
		t.Errorf("since 01:30 = %+v, want c then a", got)
	}
	got, _ = auditOf(l, "ALICE", time.Time{})
	if len(got) != 2 || got[0].Action != "a" || got[1].Action != "c" {
		t.Errorf("alice's = %+v, want a then c", got)
	}
	got, _ = auditOf(l, "alice", t0.Add(150*time.Minute))
	if len(got) != 1 || got[0].Action != "a" {
		t.Errorf("alice's since 02:30 = %+v, want a", got)
	}
}

func TestCleanAuditField_Spoofing(t *testing.T) {
	for _, in := range []string{"a\u202eb", "a\u2066b", "a\u200bb", "a\ufeffb", "a\x1b[31mb", "a\nb"} {
		if got := info.CleanAuditField(in); got != "a\uFFFDb" && got != "a\uFFFD[31mb" {
			t.Errorf("CleanAuditField(%q) = %q", in, got)
		}
	}
}

// A log written without its indexes (by an older version, or copied in)
// is read correctly at once and indexed at the next open.
func TestLocal_AuditIndexesRebuilt(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenLocal(dir, NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	for i, acct := range []string{"alice", "bob", "alice"} {
		if err := l.AppendAudit(info.AuditEntry{Account: acct, Action: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	release, _ := l.hold()
	l.db.Update(func(tx *bolt.Tx) error {
		tx.DeleteBucket(bucketAuditByAccount)
		tx.DeleteBucket(bucketAuditByTime)
		return tx.Bucket(bucketMeta).Delete(keyAuditIndexed)
	})
	release()
	if got, _ := auditOf(l, "alice", time.Time{}); len(got) != 2 {
		t.Errorf("without indexes: alice has %d entries, want 2", len(got))
	}
	again, err := OpenLocal(dir, NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := auditOf(again, "ALICE", time.Time{}); len(got) != 2 || got[0].Action != "0" || got[1].Action != "2" {
		t.Errorf("after the rebuild: %+v", got)
	}
}

// A walk gives back the pages of the file it has read as it goes
// (pageDropper); what it reads after that, from the same pages mapped
// again, is still right, through each of the three ways of reading.
func TestLocal_EachAuditReleasingPages(t *testing.T) {
	defer func(n int) { dropEvery = n }(dropEvery)
	dropEvery = 7
	l, err := OpenLocal(t.TempDir(), NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 240 // about 20 pages of 4 KiB
	var want []info.AuditEntry
	for i := range n {
		e := info.AuditEntry{Time: t0.Add(time.Duration(i) * time.Minute), Actor: "station", Account: fmt.Sprintf("user%d", i%3),
			Action: "sign-in", Station: "kiosk", Detail: fmt.Sprintf("%03d %s", i, strings.Repeat("x", 200))}
		if err := l.AppendAudit(e); err != nil {
			t.Fatal(err)
		}
		want = append(want, e)
	}
	check := func(what string, got []info.AuditEntry, keep func(i int) bool) {
		t.Helper()
		var exp []string
		for i, e := range want {
			if keep(i) {
				exp = append(exp, e.Detail)
			}
		}
		var details []string
		for _, e := range got {
			details = append(details, e.Detail)
		}
		if !slices.Equal(details, exp) {
			t.Errorf("%s: %d entries read, want %d (first difference in %v)", what, len(details), len(exp), firstDiff(details, exp))
		}
	}
	all, err := auditOf(l, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	check("all", all, func(int) bool { return true })
	one, err := auditOf(l, "user1", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	check("by account", one, func(i int) bool { return i%3 == 1 })
	late, err := auditOf(l, "", t0.Add(100*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	check("since", late, func(i int) bool { return i >= 100 })
}

// firstDiff is the index of the first difference of a and b.
func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

package tap

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestVerifier_SignIn(t *testing.T) {
	dir := newStore(t)
	v := &Verifier{Passes: dir, Audit: dir, Station: "desk-7"}
	pass := mustIssue(t, dir, testAccount, time.Hour, false, 1)

	if ok, err := v.SignIn(testAccount, "not-the-pass", t0); ok || err != nil {
		t.Errorf("wrong pass: %v %v, want the wrong-password path", ok, err)
	}
	if ok, err := v.SignIn(otherAccount, pass, t0); ok || err != nil {
		t.Errorf("account without a pass: %v %v, want the wrong-password path", ok, err)
	}
	if ok, err := v.SignIn(testAccount, Format(pass), t0.Add(time.Minute)); !ok || err != nil {
		t.Errorf("right pass: %v %v", ok, err)
	}
	ok, err := v.SignIn(testAccount, pass, t0.Add(2*time.Hour))
	if ok || !errors.Is(err, ErrExpired) {
		t.Errorf("expired pass: %v %v, want ErrExpired", ok, err)
	}
	if ok, err := v.SignIn(testAccount, "ABCD-EFGH-JKLM", t0.Add(2*time.Hour)); ok || err != nil {
		t.Errorf("wrong pass after expiry: %v %v, want the wrong-password path", ok, err)
	}

	got, err := storetest.AuditEntries(dir, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{info.ActionTAPUsed, info.ActionTAPExpired}
	if len(got) != len(want) {
		t.Fatalf("audit: %+v, want %v", got, want)
	}
	for i, e := range got {
		if e.Action != want[i] || e.Account != testAccount || e.Actor != testAccount || e.Station != "desk-7" {
			t.Errorf("entry %d: %+v", i, e)
		}
		for _, f := range []string{e.Actor, e.Account, e.Action, e.Station, e.Detail} {
			if strings.Contains(strings.ToUpper(f), pass) || strings.Contains(f, "argon2") {
				t.Errorf("entry %d holds a secret: %+v", i, e)
			}
		}
	}
	if !got[0].Time.Equal(t0.Add(time.Minute)) || !strings.Contains(got[1].Detail, "2026-11-24T14:05:00Z") {
		t.Errorf("entries: %+v", got)
	}
}

func TestVerifier_OneTimeUsedThenRefused(t *testing.T) {
	dir := newStore(t)
	v := &Verifier{Passes: dir} // no audit log: nothing recorded, still works
	pass := mustIssue(t, dir, testAccount, time.Hour, true, 2)
	if ok, err := v.SignIn(testAccount, pass, t0); !ok || err != nil {
		t.Fatalf("first use: %v %v", ok, err)
	}
	if ok, err := v.SignIn(testAccount, pass, t0); ok || err != ErrUsed {
		t.Errorf("second use: %v %v, want ErrUsed", ok, err)
	}
}

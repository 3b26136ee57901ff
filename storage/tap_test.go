package storage

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestPass_SetGetUpdateDelete(t *testing.T) {
	l, dir := newAccount(t, NewMemoryKeyring())
	t0 := time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC)
	p := info.Pass{Hash: "$argon2id$first", Issued: t0, Expires: t0.Add(time.Hour), OneTime: true}

	if _, err := l.GetPass("alice@contoso.example"); !errors.Is(err, info.ErrNoPass) {
		t.Errorf("GetPass before any = %v, want info.ErrNoPass", err)
	}
	if err := l.SetPass("bob@contoso.example", "", p); !errors.Is(err, info.ErrNoAccount) {
		t.Errorf("SetPass for an unknown account = %v, want info.ErrNoAccount", err)
	}
	if err := l.SetPass("alice@contoso.example", "", info.Pass{}); err == nil {
		t.Error("a pass without a hash was saved")
	}
	if err := l.SetPass("ALICE@contoso.example", "", p); err != nil {
		t.Fatal(err)
	}
	if got, err := l.GetPass(" alice@CONTOSO.example"); err != nil || got != p {
		t.Errorf("GetPass = %+v, %v; want %+v", got, err, p)
	}

	// Setting again replaces: one pass per account.
	p2 := info.Pass{Hash: "$argon2id$second", Issued: t0, Expires: t0.Add(2 * time.Hour)}
	if err := l.SetPass("alice@contoso.example", p.Hash, p2); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.GetPass("alice@contoso.example"); got != p2 {
		t.Errorf("after a second SetPass: %+v, want %+v", got, p2)
	}

	// An error from change saves nothing and comes back as it is.
	stop := errors.New("stop")
	err := l.UpdatePass("alice@contoso.example", func(q *info.Pass) error { q.Used = true; return stop })
	if err != stop {
		t.Errorf("UpdatePass = %v, want the change's error", err)
	}
	if got, _ := l.GetPass("alice@contoso.example"); got.Used {
		t.Error("a failed change was saved")
	}
	err = l.UpdatePass("alice@contoso.example", func(q *info.Pass) error { q.Used = true; q.UsedAt = t0; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := l.UpdatePass("bob@contoso.example", func(*info.Pass) error { return nil }); !errors.Is(err, info.ErrNoPass) {
		t.Errorf("UpdatePass without a pass = %v, want info.ErrNoPass", err)
	}

	// It survives reopening.
	l = reopen(t, l, dir, NewMemoryKeyring())
	if got, _ := l.GetPass("alice@contoso.example"); !got.Used || !got.UsedAt.Equal(t0) || got.Hash != p2.Hash {
		t.Errorf("after reopen: %+v", got)
	}

	if err := l.DeletePass("Alice@Contoso.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.GetPass("alice@contoso.example"); !errors.Is(err, info.ErrNoPass) {
		t.Errorf("GetPass after DeletePass = %v, want info.ErrNoPass", err)
	}
	if err := l.DeletePass("alice@contoso.example"); !errors.Is(err, info.ErrNoPass) {
		t.Errorf("second DeletePass = %v, want info.ErrNoPass", err)
	}
	if a, err := l.Account("alice@contoso.example"); err != nil || a.Name != "Alice@Contoso.example" {
		t.Errorf("the account changed: %+v %v", a, err)
	}
}

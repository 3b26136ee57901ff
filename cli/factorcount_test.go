package cli

import (
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// `user show` names each count that has failures (the password's, the
// second factor's, app passwords'), and the lock of the three together;
// `user unlock` clears them all.
func TestUser_ShowsEachFactorsFailures(t *testing.T) {
	r := withCounts(t, func(x *info.Account) {
		x.SecondFactorTries.Failures, x.AppPasswordTries.Failures = wizard.MaxFailures, 2
	})
	out, _, code := r.run("", "--data-dir", r.data, "user", "show", "alice@contoso.example")
	for _, want := range []string{"sign-in:   locked after 102 failed attempts in all", "second factor: 100 failed attempts", "app passwords: 2 failed attempts"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if _, errOut, code := r.run("", "--data-dir", r.data, "user", "unlock", "alice@contoso.example"); code != 0 {
		t.Fatalf("unlock: %d %s", code, errOut)
	}
	if out, _, _ := r.run("", "--data-dir", r.data, "user", "show", "alice@contoso.example"); strings.Contains(out, "failed attempts") {
		t.Errorf("after unlock:\n%s", out)
	}
}

// The lock-out is of the three counts together (regulation.Rules.Locked):
// 60 wrong passwords and 40 wrong app passwords lock the account, and
// `user show` says so, with the unlock command.
func TestUserShow_SaysLockedByTheTotal(t *testing.T) {
	r := withCounts(t, func(x *info.Account) { x.Failures, x.AppPasswordTries.Failures = 60, 40 })
	out, _, code := r.run("", "--data-dir", r.data, "user", "show", "alice@contoso.example")
	if code != 0 || !strings.Contains(out, "locked after 100 failed attempts in all (securityinfo user unlock") {
		t.Errorf("an account locked by its total (60 + 40) is not shown as locked:\n%s", out)
	}
}

// withCounts adds alice@contoso.example and sets her failure counts.
func withCounts(t *testing.T, set func(*info.Account)) *cliRig {
	t.Helper()
	r := newCLI(t)
	if _, errOut, code := r.run("s3cret-password\n", "--data-dir", r.data, "user", "add", "alice@contoso.example"); code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	dir, err := storage.OpenLocal(r.data, r.keys)
	if err != nil {
		t.Fatal(err)
	}
	err = dir.UpdateAccount("alice@contoso.example", func(x *info.Account) error { set(x); return nil })
	dir.Close()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

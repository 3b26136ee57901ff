//go:build unix

package storage

import (
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// The child processes of TestRealKeyring_FailuresAreClearAndFast: each
// runs in a broken keyring environment and asserts what the store says.

// TestRealKeyringChild is the child side of
// TestRealKeyring_FailuresAreClearAndFast.
func TestRealKeyringChild(t *testing.T) {
	switch os.Getenv(realChildEnv) {
	case "":
		t.Skip("runs only as a child of TestRealKeyring_FailuresAreClearAndFast")
	case "unavailable":
		childUnavailable(t)
	case "locked":
		childLocked(t)
	case "frozen":
		childFrozen(t)
	default:
		t.Fatalf("unknown child %q", os.Getenv(realChildEnv))
	}
}

// wantKeyringErr checks that err matches want, says what to do, and is
// not a time-out.
func wantKeyringErr(t *testing.T, what string, err error, want error) {
	t.Helper()
	t.Logf("%s: %v", what, err)
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", what, err, want)
	}
	if errors.Is(err, ErrKeyringTimeout) {
		t.Errorf("%s: timed out instead of failing at once", what)
	}
	if err != nil && !strings.Contains(err.Error(), keyringHint) {
		t.Errorf("%s: error %q does not say what to do", what, err)
	}
}

// childUnavailable runs where no keyring can be reached.
func childUnavailable(t *testing.T) {
	l, err := OpenLocal(t.TempDir(), &OSKeyring{})
	if err != nil {
		t.Fatalf("OpenLocal must work without a keyring: %v", err)
	}
	defer l.Close()
	wantKeyringErr(t, "CheckSecrets", l.CheckSecrets(), info.ErrKeyringUnavailable)
	if err := l.CreateAccount(info.Account{Name: "alice"}); err != nil {
		t.Fatal(err)
	}
	err = l.AddMethod("alice", info.Method{ID: "app", Kind: info.KindAuthenticatorApp}, []byte("seed"))
	wantKeyringErr(t, "AddMethod with a secret", err, info.ErrKeyringUnavailable)
	if ids := methodIDs(t, l, "alice"); len(ids) != 0 {
		t.Errorf("methods after failed add: %v", ids)
	}
	if n := journalLen(t, l); n != 0 {
		t.Errorf("journal has %d entries after a failure that changed nothing", n)
	}
	if err := l.AddMethod("alice", info.Method{ID: "phone", Kind: info.KindPhone}, nil); err != nil {
		t.Errorf("AddMethod without a secret needs no keyring, but: %v", err)
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && !strings.HasPrefix(a, "unix:") {
		t.Errorf("a session bus was launched: %s", a)
	}
}

// lockedOrUnavailable is what a locked keyring may give: locked, or,
// should an unlock prompt hang, unavailable after the time limit.
func lockedOrUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	t.Logf("%s: %v", what, err)
	switch {
	case errors.Is(err, info.ErrKeyringLocked):
	case errors.Is(err, info.ErrKeyringUnavailable):
		t.Logf("%s: the keyring was reported unavailable rather than locked", what)
	default:
		t.Errorf("%s: error %v, want info.ErrKeyringLocked or info.ErrKeyringUnavailable", what, err)
	}
	if err != nil && !strings.Contains(err.Error(), keyringHint) {
		t.Errorf("%s: error %q does not say what to do", what, err)
	}
}

// childLocked runs in its own session and locks its keyring.
func childLocked(t *testing.T) {
	l, err := OpenLocal(t.TempDir(), &OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.CreateAccount(info.Account{Name: "alice"}); err != nil {
		t.Fatal(err)
	}
	if err := l.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp}, []byte("seed1")); err != nil {
		t.Fatalf("AddMethod before locking: %v", err)
	}
	gdbusSecrets(t, "org.freedesktop.secrets", "/org/freedesktop/secrets",
		"org.freedesktop.Secret.Service.Lock", "['"+loginPath+"']")
	if got := gdbusSecrets(t, "org.freedesktop.secrets", loginPath,
		"org.freedesktop.DBus.Properties.Get", "org.freedesktop.Secret.Collection", "Locked"); got != "(<true>,)" {
		t.Fatalf("login collection Locked = %s after Lock", got)
	}
	lockedOrUnavailable(t, "CheckSecrets", l.CheckSecrets())
	_, err = l.Secret("alice", "app1")
	lockedOrUnavailable(t, "Secret", err)
	lockedOrUnavailable(t, "AddMethod", l.AddMethod("alice", info.Method{ID: "app2", Kind: info.KindAuthenticatorApp}, []byte("seed2")))
	lockedOrUnavailable(t, "RemoveMethod", l.RemoveMethod("alice", "app1"))
	if ids := methodIDs(t, l, "alice"); !slices.Equal(ids, []string{"app1"}) {
		t.Errorf("methods = %v, want app1 alone, as before locking", ids)
	}
}

// childFrozen runs in its own session and stops its keyring daemon, so
// that calls get no answer.
func childFrozen(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenLocal(dir, &OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.CreateAccount(info.Account{Name: "alice"}); err != nil {
		t.Fatal(err)
	}
	if err := l.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp}, []byte("seed1")); err != nil {
		t.Fatalf("AddMethod before freezing: %v", err)
	}
	out := gdbusSecrets(t, "org.freedesktop.DBus", "/org/freedesktop/DBus",
		"org.freedesktop.DBus.GetConnectionUnixProcessID", "org.freedesktop.secrets")
	pid, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(out, "(uint32 "), ",)"))
	if err != nil {
		t.Fatalf("keyring daemon pid from %q: %v", out, err)
	}
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatalf("stop keyring daemon: %v", err)
	}
	thawed := false
	thaw := func() {
		if !thawed {
			thawed = true
			syscall.Kill(pid, syscall.SIGCONT)
		}
	}
	t.Cleanup(thaw)

	// The first call waits the time limit, then fails closed.
	err = l.AddMethod("alice", info.Method{ID: "app2", Kind: info.KindAuthenticatorApp}, []byte("seed2"))
	t.Logf("AddMethod while frozen: %v", err)
	if !errors.Is(err, ErrKeyringTimeout) || !errors.Is(err, info.ErrKeyringUnavailable) {
		t.Fatalf("AddMethod while frozen: %v, want ErrKeyringTimeout and info.ErrKeyringUnavailable", err)
	}
	if ids := methodIDs(t, l, "alice"); !slices.Equal(ids, []string{"app1"}) {
		t.Errorf("methods = %v, want app1 alone", ids)
	}
	if n := journalLen(t, l); n != 1 {
		t.Errorf("journal has %d entries, want the timed-out add's", n)
	}
	// Later calls do not queue up behind it: they fail at once.
	wantKeyringErr(t, "CheckSecrets while frozen", l.CheckSecrets(), info.ErrKeyringUnavailable)
	_, err = l.Secret("alice", "app1")
	wantKeyringErr(t, "Secret while frozen", err, info.ErrKeyringUnavailable)

	// Once the keyring answers again, the late write of app2 lands and
	// is then undone, because its journal entry was kept.
	thaw()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err = l.CheckSecrets()
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("CheckSecrets after thawing: %v", err)
	}
	if n := journalLen(t, l); n != 0 {
		t.Errorf("journal has %d entries after the keyring came back", n)
	}
	if _, status := secretTool(t, "lookup", "service", l.KeyringService(), "username", "alice/app2"); status == 0 {
		t.Error("the abandoned write of app2 left a keyring item behind")
	}
	if s, err := l.Secret("alice", "app1"); err != nil || string(s) != "seed1" {
		t.Errorf("Secret(app1) after thawing = %q, %v", s, err)
	}
}

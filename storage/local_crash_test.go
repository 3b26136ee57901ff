package storage

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
	bolt "go.etcd.io/bbolt"
)

// The crash tests run the test binary again as a child that sets
// crashPoint to end the process at a named point, then check that the
// parent, opening the same store, finds no method record without its
// keyring item and no keyring item without its record.
const (
	crashAtEnv       = "SECURITYINFO_CRASH_AT"
	crashDirEnv      = "SECURITYINFO_CRASH_DIR"
	crashScenarioEnv = "SECURITYINFO_CRASH_SCENARIO"
	crashExitCode    = 3
	crashAccount     = "Alice@Contoso.example"
)

// crashScenarios are what a child does with the store before (it is
// hoped) crashing. Secrets are "seed-<id>".
var crashScenarios = map[string]func(l *Local) error{
	"open": func(l *Local) error { return nil },
	"add": func(l *Local) error {
		return addSeeded(l, "app1", true)
	},
	"remove": func(l *Local) error {
		if err := addSeeded(l, "app1", true); err != nil {
			return err
		}
		return l.RemoveMethod(crashAccount, "app1")
	},
	"removeall": func(l *Local) error {
		for _, m := range []struct {
			id     string
			secret bool
		}{{"a1", true}, {"a2", true}, {"p1", false}} {
			if err := addSeeded(l, m.id, m.secret); err != nil {
				return err
			}
		}
		_, err := l.RemoveAllMethods(crashAccount)
		return err
	},
}

func addSeeded(l *Local, id string, withSecret bool) error {
	if _, err := l.Account(crashAccount); errors.Is(err, info.ErrNoAccount) {
		if err := l.CreateAccount(info.Account{Name: crashAccount}); err != nil {
			return err
		}
	}
	var secret []byte
	if withSecret {
		secret = []byte("seed-" + id)
	}
	return l.AddMethod(crashAccount, info.Method{ID: id, Kind: info.KindAuthenticatorApp}, secret)
}

// TestCrashChild is the child side of TestLocal_CrashAtEachPoint.
func TestCrashChild(t *testing.T) {
	at := os.Getenv(crashAtEnv)
	if at == "" {
		t.Skip("runs only as a child of TestLocal_CrashAtEachPoint")
	}
	dir := os.Getenv(crashDirEnv)
	crashPoint = func(p string) {
		if p == at {
			os.Exit(crashExitCode)
		}
	}
	l, err := OpenLocal(filepath.Join(dir, "data"), fileKeyring{filepath.Join(dir, "keyring")})
	if err != nil {
		t.Fatal(err)
	}
	scenario := crashScenarios[os.Getenv(crashScenarioEnv)]
	if scenario == nil {
		t.Fatalf("unknown scenario %q", os.Getenv(crashScenarioEnv))
	}
	if err := scenario(l); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("crash point %q was never reached", at)
}

// runCrashChild runs scenario in a child that dies at point.
func runCrashChild(t *testing.T, dir, scenario, point string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(),
		crashAtEnv+"="+point,
		crashDirEnv+"="+dir,
		crashScenarioEnv+"="+scenario,
	)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != crashExitCode {
		t.Fatalf("child %s/%s: %v, want exit status %d; output:\n%s", scenario, point, err, crashExitCode, out)
	}
}

func TestLocal_CrashAtEachPoint(t *testing.T) {
	type run struct{ scenario, point string }
	tests := []struct {
		name string
		runs []run
		// wantItemsAfterCrash is how many secrets the fake keyring holds
		// right after the last crash, before any recovery, which shows
		// the crash really left the two stores apart where it could.
		wantItemsAfterCrash int
		wantMethods         []string
	}{
		{"add:after-intent", []run{{"add", "add:after-intent"}}, 0, nil},
		{"add:after-keyring", []run{{"add", "add:after-keyring"}}, 1, nil},
		{"add:after-record", []run{{"add", "add:after-record"}}, 1, []string{"app1"}},
		{"remove:after-intent", []run{{"remove", "remove:after-intent"}}, 1, nil},
		{"remove:after-keyring", []run{{"remove", "remove:after-keyring"}}, 0, nil},
		{"removeall:after-intent", []run{{"removeall", "removeall:after-intent"}}, 2, nil},
		{"removeall:after-keyring", []run{{"removeall", "removeall:after-keyring"}}, 1, nil},
		{"recover:after-keyring of an add", []run{{"add", "add:after-keyring"}, {"open", "recover:after-keyring"}}, 0, nil},
		{"recover:after-keyring of a removal", []run{{"remove", "remove:after-intent"}, {"open", "recover:after-keyring"}}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			kr := fileKeyring{filepath.Join(dir, "keyring")}
			if err := os.Mkdir(kr.dir, 0o700); err != nil {
				t.Fatal(err)
			}
			for _, r := range tt.runs {
				runCrashChild(t, dir, r.scenario, r.point)
			}
			if n := len(kr.items(t)); n != tt.wantItemsAfterCrash {
				t.Errorf("right after the crash the keyring holds %d items, want %d", n, tt.wantItemsAfterCrash)
			}

			l, err := OpenLocal(filepath.Join(dir, "data"), kr)
			if err != nil {
				t.Fatalf("OpenLocal after crash: %v", err)
			}
			defer l.Close()
			assertConsistent(t, l, kr)
			if got := methodIDs(t, l, crashAccount); !slices.Equal(got, tt.wantMethods) {
				t.Errorf("methods after recovery = %v, want %v", got, tt.wantMethods)
			}
			// The store is usable: every id can be added (again).
			for _, id := range []string{"app1", "a1", "a2"} {
				if slices.Contains(tt.wantMethods, id) {
					continue
				}
				if err := addSeeded(l, id, true); err != nil {
					t.Errorf("AddMethod(%s) after recovery: %v", id, err)
				}
			}
			assertConsistent(t, l, kr)
		})
	}
}

// assertConsistent checks that records and keyring items match one to one,
// that every stored secret is readable, and that the journal is empty.
func assertConsistent(t *testing.T, l *Local, kr fileKeyring) {
	t.Helper()
	if n := journalLen(t, l); n != 0 {
		t.Errorf("journal has %d entries after recovery", n)
	}
	// Every record, as it is in the file, hidden or not.
	records := map[string]methodRecord{}
	release, err := l.hold()
	if err != nil {
		t.Fatal(err)
	}
	err = l.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMethods).ForEachBucket(func(acct []byte) error {
			b := tx.Bucket(bucketMethods).Bucket(acct)
			return b.ForEach(func(k, _ []byte) error {
				var rec methodRecord
				_, err := getJSON(b, string(k), &rec)
				records[secretUser(string(acct), rec.ID)] = rec
				return err
			})
		})
	})
	release()
	if err != nil {
		t.Fatal(err)
	}
	items := map[string]string{}
	for k, v := range kr.items(t) {
		service, user, _ := strings.Cut(k, "\x00")
		if service != l.KeyringService() {
			t.Errorf("keyring item for another service %q", service)
			continue
		}
		items[user] = v
	}
	for user, rec := range records {
		if rec.Removing {
			t.Errorf("record %s is still marked as being removed", user)
		}
		secret, ok := items[user]
		if rec.HasSecret && !ok {
			t.Errorf("record %s has no keyring item", user)
		}
		if !rec.HasSecret && ok {
			t.Errorf("record %s has no secret but there is a keyring item", user)
		}
		if ok && secret != "seed-"+rec.ID {
			t.Errorf("keyring item %s = %q, want %q", user, secret, "seed-"+rec.ID)
		}
		if rec.HasSecret {
			acct, id, _ := strings.Cut(user, "/")
			if s, err := l.Secret(acct, id); err != nil || string(s) != secret {
				t.Errorf("Secret(%s) = %q, %v", user, s, err)
			}
		}
	}
	for user := range items {
		if _, ok := records[user]; !ok {
			t.Errorf("keyring item %s has no record", user)
		}
	}
}

func TestLocal_CrashPointsAreCalled(t *testing.T) {
	// Every point the crash test names is reached by its scenario, in
	// this process too (the child test also fails if it is not).
	seen := map[string]bool{}
	old := crashPoint
	crashPoint = func(p string) { seen[p] = true }
	defer func() { crashPoint = old }()
	for _, name := range []string{"add", "remove", "removeall"} {
		kr := NewMemoryKeyring()
		l, _ := openTest(t, kr)
		if err := crashScenarios[name](l); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if kr.Len() != 0 && name != "add" {
			t.Errorf("%s left %d keyring items", name, kr.Len())
		}
	}
	for _, p := range []string{"add:after-intent", "add:after-keyring", "add:after-record", "remove:after-intent", "remove:after-keyring", "removeall:after-intent", "removeall:after-keyring"} {
		if !seen[p] {
			t.Errorf("crash point %s never called", p)
		}
	}
}

package secret

import (
	"crypto/rand"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUseLowCostForTests: a lowered cost writes honest cheap hashes that
// check as any other, makes DummyHash cheap and still matched by nothing,
// counts every check as before; and putting the app's cost back gives
// exactly the app's parameters again.
func TestUseLowCostForTests(t *testing.T) {
	UseLowCostForTests(true)
	t.Cleanup(func() { UseLowCostForTests(false) })
	h, err := Hash("correct horse", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8,t=1,p=1$") {
		t.Errorf("low-cost Hash = %q, want m=8,t=1,p=1", h)
	}
	if ok, err := Check(h, "correct horse"); !ok || err != nil {
		t.Errorf("Check(low-cost hash, right secret) = %v, %v", ok, err)
	}
	if ok, _ := Check(h, "correct horsf"); ok {
		t.Error("Check accepts a wrong secret at the low cost")
	}
	if !strings.HasPrefix(cost.dummy, "$argon2id$v=19$m=8,t=1,p=1$") {
		t.Errorf("Check spends %q on DummyHash, want the low cost", cost.dummy)
	}
	before := Checks()
	for _, typed := range []string{"", "correct horse", "ABCDEFGHJKLM"} {
		if ok, err := Check(DummyHash, typed); ok || err != nil {
			t.Errorf("low-cost Check(DummyHash, %q) = %v, %v", typed, ok, err)
		}
	}
	Dummy("x")
	if n := Checks() - before; n != 4 {
		t.Errorf("4 dummy checks counted %d", n)
	}
	UseLowCostForTests(false)
	if h, _ := Hash("x", rand.Reader); !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("after UseLowCostForTests(false) Hash = %q, want the app's parameters", h)
	}
	if cost != appCost {
		t.Errorf("cost %+v after UseLowCostForTests(false), want %+v", cost, appCost)
	}
}

// TestUseLowCostForTests_NotCalledByTheApp: no file the app is built from
// calls it; only test files and the tests' own helpers (internal/testkit)
// may.
func TestUseLowCostForTests_NotCalledByTheApp(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	self, _ := filepath.Abs("secret.go")
	testkit := filepath.Join(root, "internal", "testkit") + string(filepath.Separator)
	seen := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			path == self || strings.HasPrefix(path, testkit) {
			return nil
		}
		seen++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "UseLowCostForTests") {
			t.Errorf("%s calls UseLowCostForTests: the app must hash at its own cost", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 50 {
		t.Errorf("only %d source files looked at: the walk missed the module", seen)
	}
}

package storage

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOpenLocal_TightensLoosePermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := OpenLocal(dir, NewMemoryKeyring()); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, DataFileName)
	os.Chmod(dir, 0o755)
	os.Chmod(db, 0o644)
	l, err := OpenLocal(dir, NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, db: 0o600} {
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != want {
			t.Errorf("%s is %04o, want %04o", path, fi.Mode().Perm(), want)
		}
	}
	if len(l.Tightened()) != 2 {
		t.Errorf("Tightened() = %q, want both files noted", l.Tightened())
	}
	again, _ := OpenLocal(dir, NewMemoryKeyring())
	if len(again.Tightened()) != 0 {
		t.Errorf("a second open noted %q: say it once", again.Tightened())
	}
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The metainfo file that make package ships is valid AppStream.
func TestMetainfo_Validates(t *testing.T) {
	if _, err := exec.LookPath("appstreamcli"); err != nil {
		t.Fatal("appstreamcli is missing: run `make test`, which installs Debian's appstream")
	}
	out, err := exec.Command("appstreamcli", "validate", "--no-net", "assets/app.securityinfo.wizard.metainfo.xml").CombinedOutput()
	if err != nil {
		t.Errorf("appstreamcli validate: %v\n%s", err, out)
	}
}

// make package leaves the work tree as it was, names the archive without
// spaces and installs the metainfo file. It needs the fyne tool (make
// package installs it in build/bin).
func TestPackage_LeavesTheTreeCleanAndShipsMetainfo(t *testing.T) {
	fyne, _ := filepath.Abs("build/bin/fyne")
	if _, err := os.Stat(fyne); err != nil {
		t.Skip("no build/bin/fyne: run `make package` once to install it")
	}
	status := func() string {
		out, err := exec.Command("git", "status", "--porcelain", "--untracked-files=all").Output()
		if err != nil {
			t.Skip("not a git work tree")
		}
		return string(out)
	}
	before := status()
	dir := t.TempDir()
	exe := filepath.Join(dir, "securityinfo")
	os.WriteFile(exe, []byte("#!/bin/sh\necho pretend\n"), 0o755)
	cmd := exec.Command("scripts/package.sh", fyne, dir)
	cmd.Env = append(os.Environ(), "PACKAGE_EXE="+exe)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("package: %v\n%s", err, out)
	}
	if after := status(); after != before {
		t.Errorf("the tree changed:\nbefore %q\nafter  %q", before, after)
	}
	archives, _ := filepath.Glob(filepath.Join(dir, "*.tar.xz"))
	if len(archives) != 1 || strings.Contains(filepath.Base(archives[0]), " ") || !strings.HasPrefix(filepath.Base(archives[0]), "securityinfo-") {
		t.Fatalf("archives %v", archives)
	}
	unpack := filepath.Join(dir, "unpacked")
	os.MkdirAll(unpack, 0o755)
	if out, err := exec.Command("tar", "-xJf", archives[0], "-C", unpack).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v: %s", err, out)
	}
	dest := filepath.Join(dir, "dest")
	install := exec.Command("make", "install", "DESTDIR="+dest, "PREFIX=/usr")
	install.Dir = filepath.Join(unpack, "securityinfo")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v: %s", err, out)
	}
	for _, f := range []string{"share/metainfo/app.securityinfo.wizard.metainfo.xml", "share/applications/app.securityinfo.wizard.desktop", "bin/securityinfo"} {
		if _, err := os.Stat(filepath.Join(dest, "usr", f)); err != nil {
			t.Errorf("not installed: %s", f)
		}
	}
}

package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Under the C locales of containers and SSH sessions (C.UTF-8), a command
// prints what it is asked for and nothing else: no Fyne locale noise on
// stderr for scripts to trip over.
func TestCLocale_NoNoise(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "securityinfo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, env := range []string{"LANG=C.UTF-8", "LC_ALL=C.UTF-8", "LANG=POSIX.UTF-8", "LANG=C", "LANG=POSIX", "LC_ALL=C", "LANG=C.utf8", "LANG=UTF-8", "LC_MESSAGES=C.UTF-8", ""} {
		cmd := exec.Command(bin, "version")
		cmd.Env = []string{"HOME=" + t.TempDir()}
		if env != "" {
			cmd.Env = append(cmd.Env, env)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || !strings.HasPrefix(string(out), "securityinfo version") || stderr.Len() != 0 {
			t.Errorf("%s securityinfo version: %q, stderr %q, %v", env, out, stderr.String(), err)
		}
	}
}

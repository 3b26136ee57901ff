package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The first build says it takes minutes before it starts, and shows it is
// still going; a later build says nothing of the kind.
func TestFirstBuild_SaysSoAndShowsProgress(t *testing.T) {
	cmd := exec.Command("scripts/first-build.sh", "bash", "-c", "echo compiling; sleep 3")
	cmd.Env = append(os.Environ(), "FIRST_BUILD=1", "FIRST_BUILD_EVERY=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	text := string(out)
	notice, compiling := strings.Index(text, "takes several minutes"), strings.Index(text, "compiling\n")
	if notice < 0 || compiling < notice {
		t.Errorf("no notice before the build:\n%s", text)
	}
	if strings.Count(text, "still compiling") < 2 || !strings.Contains(text, "Built in") {
		t.Errorf("no progress:\n%s", text)
	}
	cmd = exec.Command("scripts/first-build.sh", "bash", "-c", "echo quick")
	cmd.Env = append(os.Environ(), "FIRST_BUILD=0")
	if out, err := cmd.CombinedOutput(); err != nil || string(out) != "quick\n" {
		t.Errorf("a later build: %v %q", err, out)
	}
	// A failed build fails.
	cmd = exec.Command("scripts/first-build.sh", "false")
	cmd.Env = append(os.Environ(), "FIRST_BUILD=1", "FIRST_BUILD_EVERY=1")
	if err := cmd.Run(); err == nil {
		t.Error("a failed first build succeeded")
	}
}

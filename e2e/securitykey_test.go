//go:build e2e

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const securityKeyPolicy = `organisation = "Contoso"
demo = true
rp_id = "contoso.example"
required = ["security-key"]
`

const softKeyPIN = "482916"

var (
	softBinOnce sync.Once
	softBin     string
	softBinErr  error
	softBinOut  []byte
)

// softBuild builds the app with the fido2soft tag into the temporary
// directory softBinDir, once; TestMain starts it early.
func softBuild() {
	softBinOnce.Do(func() {
		softBin = filepath.Join(softBinDir, "securityinfo-softkey")
		build := exec.Command("go", "build", "-tags", buildTags("fido2soft"), "-o", softBin, "..")
		softBinOut, softBinErr = build.CombinedOutput()
	})
}

// softBinary is the app built with the fido2soft tag: with
// SECURITYINFO_SOFT_FIDO2=1 a software security key is plugged into
// libfido2 in place of USB. The release build has no such key.
func softBinary(t *testing.T) string {
	softBuild()
	if softBinErr != nil {
		t.Fatalf("building the app with the software key: %v\n%s", softBinErr, softBinOut)
	}
	return softBin
}

// startBinary is start with another binary.
func (s *session) startBinary(binary string, args ...string) {
	s.t.Helper()
	s.app = exec.Command(binary, append([]string{"--data-dir", s.data}, args...)...)
	s.app.Env = s.env
	s.app.Stdout, s.app.Stderr = &s.out, &s.errOut
	if err := s.app.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(s.stop)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := s.xdo(ctx, "search", "--sync", "--onlyvisible", "--name", "^Security Info")
	if err != nil {
		s.t.Fatalf("the window never appeared: %v\nstderr: %s", err, s.errOut.String())
	}
	s.win = strings.Fields(out)[0]
}

// TestRealWindow_SecurityKeyRegistered registers a security key in the
// real window as a person would: Next with the key in, a wrong PIN (the
// page says how many tries are left), the right PIN, the suggested name,
// Success; libfido2 talks CTAPHID to the software key all the way.
func TestRealWindow_SecurityKeyRegistered(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	s.env = append(s.env, "SECURITYINFO_SOFT_FIDO2=1", "SECURITYINFO_SOFT_FIDO2_PIN="+softKeyPIN)
	policy := filepath.Join(s.root, "policy.toml")
	os.WriteFile(policy, []byte(securityKeyPolicy), 0o644)
	s.startBinary(softBinary(t), "--policy", policy)
	s.signInWith(demoPassword)
	s.waitTitle("More information required")
	s.key("Return")
	s.waitTitle("Keep your account secure — Security key")
	s.waitPaint()
	s.shot("security-key-insert")
	s.key("Return") // the key is in: Next
	s.waitPaint()
	s.typeText("000000")
	s.key("Return")
	s.waitPaint()
	s.shot("security-key-wrong-pin")
	s.typeText(softKeyPIN)
	s.key("Return")
	s.waitPaint()
	s.shot("security-key-name")
	s.key("Return") // keep the suggested name
	s.waitPaint()
	s.shot("security-key-registered")
	s.key("Return") // Done
	s.waitTitle("Success")
	s.shot("security-key-success")

	out, errOut, code := s.run("", "user", "show", "demo@contoso.example")
	if code != 0 || !strings.Contains(out, "Security key") {
		t.Errorf("user show: exit %d, %q %s", code, out, errOut)
	}
	audit, _, _ := s.run("", "audit", "list", "--account", "demo@contoso.example")
	if !strings.Contains(audit, "security-key-register-refused") || !strings.Contains(audit, "wrong PIN (7 tries left)") ||
		!strings.Contains(audit, "method-added") {
		t.Errorf("audit list = %s", audit)
	}
	s.stop()
	s.assertNoCanary(softKeyPIN)
}

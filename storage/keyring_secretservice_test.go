//go:build unix

package storage

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// These tests use the real Secret Service (gnome-keyring) and check what
// it holds from outside with secret-tool. They run only with
// SECURITYINFO_REAL_KEYRING=1, inside a private D-Bus session with an
// unlocked throwaway keyring, as storage/testdata/with-keyring.sh sets up:
//
//	storage/testdata/with-keyring.sh go test ./storage/ -run Real -count=1

const (
	realKeyringEnv = "SECURITYINFO_REAL_KEYRING"
	realChildEnv   = "SECURITYINFO_REAL_CHILD"
	loginPath      = "/org/freedesktop/secrets/collection/login"
)

func needRealKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv(realKeyringEnv) != "1" {
		t.Skip("uses the real keyring: run storage/testdata/with-keyring.sh go test ./storage/ -run Real")
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("SECURITYINFO_REAL_KEYRING=1 but no session bus; use storage/testdata/with-keyring.sh")
	}
}

// secretTool runs secret-tool and returns its output and exit status.
// secret-tool prints secrets on standard output but item attributes on
// standard error, so "search" returns both, the rest standard output.
func secretTool(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("secret-tool", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	out := stdout.String()
	if len(args) > 0 && args[0] == "search" {
		out += stderr.String()
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out, exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("secret-tool %v: %v", args, err)
	}
	return out, 0
}

// gdbusSecrets calls a method of the Secret Service with gdbus.
func gdbusSecrets(t *testing.T, dest, path, method string, args ...string) string {
	t.Helper()
	cmd := exec.Command("gdbus", append([]string{"call", "--session", "--dest", dest, "--object-path", path, "--method", method}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("gdbus %s: %v: %s", method, err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestRealKeyring_SecretToolSeesWhatAddMethodStores(t *testing.T) {
	needRealKeyring(t)
	l, err := OpenLocal(t.TempDir(), &OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.CheckSecrets(); err != nil {
		t.Fatalf("CheckSecrets: %v", err)
	}
	if err := l.CreateAccount(info.Account{Name: "Alice@Contoso.example"}); err != nil {
		t.Fatal(err)
	}
	seed := make([]byte, 20)
	if _, err := rand.Read(seed); err != nil {
		t.Fatal(err)
	}
	if err := l.AddMethod("Alice@Contoso.example", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Label: "Pixel"}, seed); err != nil {
		t.Fatalf("AddMethod: %v", err)
	}
	service, user := l.KeyringService(), "alice@contoso.example/app1"

	out, status := secretTool(t, "lookup", "service", service, "username", user)
	if status != 0 {
		t.Fatalf("secret-tool lookup found nothing (status %d)", status)
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out))
	if err != nil || !bytes.Equal(got, seed) {
		t.Fatalf("secret-tool lookup gave %q, want base64 of the seed (%v)", out, err)
	}
	search, _ := secretTool(t, "search", "--all", "service", service)
	if !strings.Contains(search, "attribute.username = "+user) {
		t.Errorf("secret-tool search --all service %s does not list %s:\n%s", service, user, search)
	}
	if s, err := l.Secret("alice@contoso.example", "app1"); err != nil || !bytes.Equal(s, seed) {
		t.Errorf("Secret = %x, %v; want %x", s, err, seed)
	}

	// Another data directory has its own service and does not see it.
	other, err := OpenLocal(t.TempDir(), &OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, status := secretTool(t, "lookup", "service", other.KeyringService(), "username", user); status == 0 {
		t.Errorf("the item is visible under another store's service")
	}

	if err := l.RemoveMethod("alice@contoso.example", "app1"); err != nil {
		t.Fatalf("RemoveMethod: %v", err)
	}
	if out, status := secretTool(t, "lookup", "service", service, "username", user); status == 0 || out != "" {
		t.Errorf("after RemoveMethod secret-tool lookup still finds %q (status %d)", out, status)
	}
	if search, _ := secretTool(t, "search", "--all", "service", service); strings.Contains(search, user) {
		t.Errorf("after RemoveMethod secret-tool search still lists it:\n%s", search)
	}
	if n := journalLen(t, l); n != 0 {
		t.Errorf("journal has %d entries", n)
	}
}

func TestRealKeyring_OSKeyringReadsWhatSecretToolStores(t *testing.T) {
	needRealKeyring(t)
	k := &OSKeyring{}
	service := "securityinfo:test-" + strconv.Itoa(os.Getpid())
	if _, err := k.Get(service, "nobody/none"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Fatalf("Get of a missing item = %v, want info.ErrSecretNotFound", err)
	}
	if err := k.Delete(service, "nobody/none"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Fatalf("Delete of a missing item = %v, want info.ErrSecretNotFound", err)
	}
	secret := []byte("from outside\x00\xff")
	cmd := exec.Command("secret-tool", "store", "--label=test", "service", service, "username", "bob/x")
	cmd.Stdin = strings.NewReader(base64.StdEncoding.EncodeToString(secret))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v: %s", err, out)
	}
	got, err := k.Get(service, "bob/x")
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Get = %q, %v; want %q", got, err, secret)
	}
	if err := k.Delete(service, "bob/x"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, status := secretTool(t, "lookup", "service", service, "username", "bob/x"); status == 0 {
		t.Error("item still there after Delete")
	}
}

// TestRealKeyring_FailuresAreClearAndFast runs a child test process in
// each broken environment. The child asserts the errors; none of them may
// be a time-out, which shows they came at once and not after the time
// limit, except where the keyring is made not to answer.
func TestRealKeyring_FailuresAreClearAndFast(t *testing.T) {
	needRealKeyring(t)
	wrapper, err := filepath.Abs("testdata/with-keyring.sh")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		child string
		// env returns what to change in the child's environment; an
		// empty value removes the variable.
		env  func(t *testing.T) map[string]string
		wrap bool // run the child in its own with-keyring.sh session
	}{
		{"no session bus", "unavailable", func(*testing.T) map[string]string {
			return map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
		}, false},
		{"session bus address not set", "unavailable", func(t *testing.T) map[string]string {
			if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
				t.Skip("/run/user/<uid>/bus exists here, so a bus would be found")
			}
			return map[string]string{"DBUS_SESSION_BUS_ADDRESS": ""}
		}, false},
		{"session bus without a Secret Service", "unavailable", func(t *testing.T) map[string]string {
			return map[string]string{"DBUS_SESSION_BUS_ADDRESS": busWithoutServices(t)}
		}, false},
		{"keyring locked", "locked", nil, true},
		{"keyring does not answer", "frozen", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{realChildEnv: tt.child}
			if tt.wrap {
				// No display: an unlock prompt cannot appear on the
				// screen of whoever runs the tests, and fails at once.
				env["DISPLAY"], env["WAYLAND_DISPLAY"] = "", ""
			}
			if tt.env != nil {
				for k, v := range tt.env(t) {
					env[k] = v
				}
			}
			args := []string{os.Args[0], "-test.run=^TestRealKeyringChild$", "-test.count=1", "-test.v"}
			if tt.wrap {
				args = append([]string{wrapper}, args...)
			}
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Env = childEnv(env)
			out, err := cmd.CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("--- PASS: TestRealKeyringChild")) {
				t.Fatalf("child %s: %v\n%s", tt.child, err, out)
			}
			t.Logf("child output:\n%s", out)
		})
	}
}

// childEnv is this process's environment changed by set.
func childEnv(set map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; !ok {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// busWithoutServices starts a D-Bus daemon that can start no services, so
// nothing provides org.freedesktop.secrets (the standard session config
// would start gnome-keyring on demand), and returns its address. The
// daemon is stopped when the test ends.
func busWithoutServices(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sibus")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	conf := filepath.Join(dir, "bus.conf")
	err = os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+dir+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("read dbus-daemon address: %v", err)
	}
	return strings.TrimSpace(addr)
}

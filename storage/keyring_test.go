package storage

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/zalando/go-keyring"
)

// fakeBackend stands in for go-keyring: it stores strings, fails with err
// if set, and blocks until release is closed if block is set.
type fakeBackend struct {
	mu      sync.Mutex
	items   map[string]string
	err     error
	block   bool
	release chan struct{}
}

func (f *fakeBackend) wait() error {
	f.mu.Lock()
	block, release, err := f.block, f.release, f.err
	f.mu.Unlock()
	if block {
		<-release
	}
	return err
}

func (f *fakeBackend) Set(service, user, password string) error {
	if err := f.wait(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.items == nil {
		f.items = map[string]string{}
	}
	f.items[service+"|"+user] = password
	return nil
}

func (f *fakeBackend) Get(service, user string) (string, error) {
	if err := f.wait(); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.items[service+"|"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeBackend) Delete(service, user string) error {
	if err := f.wait(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.items[service+"|"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.items, service+"|"+user)
	return nil
}

func TestOSKeyring_StoresBase64AndReadsBack(t *testing.T) {
	be := &fakeBackend{}
	k := &OSKeyring{backend: be}
	secret := []byte{0, 1, 2, 0xff, 0xfe, 'a', '\n'}
	if err := k.Set("svc", "alice/app", secret); err != nil {
		t.Fatal(err)
	}
	if got, want := be.items["svc|alice/app"], base64.StdEncoding.EncodeToString(secret); got != want {
		t.Errorf("keyring holds %q, want base64 %q", got, want)
	}
	got, err := k.Get("svc", "alice/app")
	if err != nil || string(got) != string(secret) {
		t.Errorf("Get = %v, %v; want %v", got, err, secret)
	}
	be.items["svc|other"] = "not base64!"
	if _, err := k.Get("svc", "other"); err == nil {
		t.Error("Get of an item not in base64 succeeded")
	}
	if err := k.Delete("svc", "alice/app"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("svc", "alice/app"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Errorf("Get after Delete = %v, want info.ErrSecretNotFound", err)
	}
	if err := k.Delete("svc", "alice/app"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Errorf("second Delete = %v, want info.ErrSecretNotFound", err)
	}
}

func TestOSKeyring_TranslatesErrors(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		want     error // sentinel the result must match
		wantText string
	}{
		{"not found", keyring.ErrNotFound, info.ErrSecretNotFound, "not found"},
		{"no session bus", errNoSessionBus, info.ErrKeyringUnavailable, "no D-Bus session bus"},
		{"bus socket missing", &net.OpError{Op: "dial", Net: "unix", Err: os.ErrNotExist}, info.ErrKeyringUnavailable, "cannot connect"},
		{"no secret service", dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name is not activatable"}}, info.ErrKeyringUnavailable, "no Secret Service"},
		{"activation failed", &dbus.Error{Name: "org.freedesktop.DBus.Error.Spawn.ChildExited"}, info.ErrKeyringUnavailable, "no Secret Service"},
		{"item locked", dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked", Body: []any{"Cannot get secret of a locked object"}}, info.ErrKeyringLocked, "locked"},
		{"unlock dismissed", fmt.Errorf("failed to unlock correct collection '%v'", "/org/freedesktop/secrets/collection/login"), info.ErrKeyringLocked, "locked"},
		{"anything else", errors.New("boom"), info.ErrKeyringUnavailable, "boom"},
	}
	for _, tt := range tests {
		for _, op := range []string{"set", "get", "delete"} {
			t.Run(tt.name+"/"+op, func(t *testing.T) {
				k := &OSKeyring{backend: &fakeBackend{err: tt.err}}
				var err error
				switch op {
				case "set":
					err = k.Set("svc", "u", []byte("s3cret-value"))
				case "get":
					_, err = k.Get("svc", "u")
				case "delete":
					err = k.Delete("svc", "u")
				}
				if !errors.Is(err, tt.want) {
					t.Fatalf("error = %v, want it to match %v", err, tt.want)
				}
				for _, other := range []error{info.ErrSecretNotFound, info.ErrKeyringUnavailable, info.ErrKeyringLocked} {
					if other != tt.want && errors.Is(err, other) {
						t.Errorf("error %v also matches %v", err, other)
					}
				}
				if !strings.Contains(err.Error(), tt.wantText) {
					t.Errorf("error %q does not say %q", err, tt.wantText)
				}
				if tt.want != info.ErrSecretNotFound && !strings.Contains(err.Error(), keyringHint) {
					t.Errorf("error %q does not say what to do (%q)", err, keyringHint)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error %q contains the secret", err)
				}
			})
		}
	}
}

func TestOSKeyring_TimesOutAndFailsClosed(t *testing.T) {
	if d := (&OSKeyring{}).timeout(); d != 3*time.Second {
		t.Errorf("default time limit = %v, want 3s", d)
	}
	calls := map[string]func(k *OSKeyring) error{
		"set":    func(k *OSKeyring) error { return k.Set("svc", "u", []byte("x")) },
		"get":    func(k *OSKeyring) error { _, err := k.Get("svc", "u"); return err },
		"delete": func(k *OSKeyring) error { return k.Delete("svc", "u") },
		"check":  func(k *OSKeyring) error { return CheckSecretStore(k, "svc") },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			release := make(chan struct{})
			defer close(release)
			k := &OSKeyring{Timeout: 50 * time.Millisecond, backend: &fakeBackend{block: true, release: release}}
			err := call(k)
			if !errors.Is(err, ErrKeyringTimeout) || !errors.Is(err, info.ErrKeyringUnavailable) {
				t.Fatalf("error = %v, want ErrKeyringTimeout and info.ErrKeyringUnavailable", err)
			}
			if !strings.Contains(err.Error(), keyringHint) {
				t.Errorf("error %q does not say what to do", err)
			}
		})
	}
}

// countingBackend counts calls that reach it.
type countingBackend struct {
	*fakeBackend
	mu    sync.Mutex
	calls int
}

func (c *countingBackend) Get(service, user string) (string, error) {
	c.mu.Lock()
	c.calls++
	c.mu.Unlock()
	return c.fakeBackend.Get(service, user)
}

func (c *countingBackend) n() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

func TestOSKeyring_AbandonedCallBlocksLaterOnesUntilItEnds(t *testing.T) {
	release := make(chan struct{})
	be := &countingBackend{fakeBackend: &fakeBackend{block: true, release: release}}
	k := &OSKeyring{Timeout: 50 * time.Millisecond, backend: be}
	if _, err := k.Get("svc", "u"); !errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("first call: %v, want a time-out", err)
	}
	// While the first call hangs, later ones fail at once, are not
	// reported as of unknown outcome, and never reach the keyring.
	for i := 0; i < 3; i++ {
		_, err := k.Get("svc", "u")
		if !errors.Is(err, info.ErrKeyringUnavailable) || errors.Is(err, ErrKeyringTimeout) {
			t.Fatalf("call while stuck: %v, want info.ErrKeyringUnavailable without ErrKeyringTimeout", err)
		}
	}
	if n := be.n(); n != 1 {
		t.Fatalf("backend reached %d times, want 1", n)
	}
	// The hung call ends; the keyring is usable again.
	be.fakeBackend.mu.Lock()
	be.fakeBackend.block = false
	be.fakeBackend.mu.Unlock()
	close(release)
	var err error
	for i := 0; i < 100; i++ {
		if _, err = k.Get("svc", "u"); errors.Is(err, info.ErrSecretNotFound) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !errors.Is(err, info.ErrSecretNotFound) {
		t.Fatalf("after the hung call ended: %v, want info.ErrSecretNotFound", err)
	}
}

func TestOSKeyring_ConcurrentCallsAllSucceed(t *testing.T) {
	k := &OSKeyring{backend: &fakeBackend{}}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("u%d", i)
			if err := k.Set("svc", user, []byte(user)); err != nil {
				errs <- err
				return
			}
			if s, err := k.Get("svc", user); err != nil || string(s) != user {
				errs <- fmt.Errorf("Get(%s) = %q, %v", user, s, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestOSKeyring_NoSessionBusStartsNothing(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the session bus check is for D-Bus systems")
	}
	for _, f := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(fmt.Sprintf("/run/user/%d/%s", os.Getuid(), f)); err == nil {
			t.Skipf("/run/user/%d/%s exists, so there is a session bus to find", os.Getuid(), f)
		}
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	err := CheckSecretStore(&OSKeyring{}, "securityinfo:test")
	if !errors.Is(err, info.ErrKeyringUnavailable) || !strings.Contains(err.Error(), "no D-Bus session bus") {
		t.Fatalf("CheckSecretStore without a session bus = %v, want info.ErrKeyringUnavailable saying there is no session bus", err)
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		t.Errorf("a session bus was launched: DBUS_SESSION_BUS_ADDRESS=%s", a)
	}
}

func TestMemoryKeyring(t *testing.T) {
	k := NewMemoryKeyring()
	secret := []byte("seed")
	if err := k.Set("s", "u", secret); err != nil {
		t.Fatal(err)
	}
	secret[0] = 'X'
	got, err := k.Get("s", "u")
	if err != nil || string(got) != "seed" {
		t.Fatalf("Get = %q, %v; want a copy of what was set", got, err)
	}
	got[0] = 'Y'
	if again, _ := k.Get("s", "u"); string(again) != "seed" {
		t.Errorf("changing what Get returned changed the store: %q", again)
	}
	if _, err := k.Get("s", "other"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Errorf("Get missing = %v, want info.ErrSecretNotFound", err)
	}
	if err := CheckSecretStore(k, "s"); err != nil {
		t.Errorf("CheckSecretStore = %v", err)
	}
	k.SetFailure(info.ErrKeyringLocked)
	if err := k.Set("s", "v", nil); !errors.Is(err, info.ErrKeyringLocked) {
		t.Errorf("Set with failure = %v", err)
	}
	if _, err := k.Get("s", "u"); !errors.Is(err, info.ErrKeyringLocked) {
		t.Errorf("Get with failure = %v", err)
	}
	if err := k.Delete("s", "u"); !errors.Is(err, info.ErrKeyringLocked) {
		t.Errorf("Delete with failure = %v", err)
	}
	if err := CheckSecretStore(k, "s"); !errors.Is(err, info.ErrKeyringLocked) {
		t.Errorf("CheckSecretStore with failure = %v", err)
	}
	k.SetFailure(nil)
	if k.Len() != 1 {
		t.Errorf("Len = %d after failed calls, want 1", k.Len())
	}
	if err := k.Delete("s", "u"); err != nil || k.Len() != 0 {
		t.Errorf("Delete = %v, Len = %d", err, k.Len())
	}
	if err := k.Delete("s", "u"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Errorf("Delete missing = %v, want info.ErrSecretNotFound", err)
	}
}

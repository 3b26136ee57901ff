package directory_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestDirectory_Faults(t *testing.T) {
	t.Run("down at start", func(t *testing.T) {
		s := slapdtest.Start(t, slapdtest.Options{})
		s.Stop()
		start := time.Now()
		_, err := directory.Open(configFor(s), []byte(s.StationPassword), stationKeyring(t))
		if !errors.Is(err, info.ErrDirectoryUnavailable) {
			t.Errorf("Open with slapd stopped = %v, want ErrDirectoryUnavailable", err)
		}
		if d := time.Since(start); d > 6*time.Second {
			t.Errorf("Open took %v to give up", d)
		}
	})
	t.Run("wrong station credential", func(t *testing.T) {
		s := slapdtest.Start(t, slapdtest.Options{})
		_, err := directory.Open(configFor(s), []byte("not-the-password"), stationKeyring(t))
		if !errors.Is(err, directory.ErrStationCredential) || !strings.Contains(err.Error(), "securityinfo directory credential") {
			t.Errorf("Open with a wrong credential = %v, want ErrStationCredential saying what to do", err)
		}
	})
	t.Run("TLS to a server without it", func(t *testing.T) {
		s := slapdtest.Start(t, slapdtest.Options{})
		cfg := configFor(s)
		cfg.URL = strings.Replace(s.URL, "ldap://", "ldaps://", 1)
		cfg.Timeout = 2 * time.Second
		if _, err := directory.Open(cfg, []byte(s.StationPassword), stationKeyring(t)); err == nil {
			t.Error("ldaps:// to a plain server opened")
		}
	})
	t.Run("unreachable host", func(t *testing.T) {
		cfg := directory.Config{URL: "ldap://192.0.2.1", BaseDN: "dc=x", AccountFilter: "(uid=%s)", BindDN: "cn=s,dc=x", Timeout: time.Second}
		start := time.Now()
		_, err := directory.Open(cfg, []byte("x"), stationKeyring(t))
		if !errors.Is(err, info.ErrDirectoryUnavailable) || time.Since(start) > 3*time.Second {
			t.Errorf("Open(unreachable) = %v after %v, want ErrDirectoryUnavailable within the timeout", err, time.Since(start))
		}
	})
	t.Run("settings checked", func(t *testing.T) {
		for _, c := range []directory.Config{
			{URL: "http://x", BaseDN: "dc=x", AccountFilter: "(uid=%s)", BindDN: "cn=s,dc=x"},
			{URL: "ldaps://x", BaseDN: "not a dn", AccountFilter: "(uid=%s)", BindDN: "cn=s,dc=x"},
			{URL: "ldaps://x", BaseDN: "dc=x", AccountFilter: "(uid=alice)", BindDN: "cn=s,dc=x"},
			{URL: "ldaps://x", BaseDN: "dc=x", AccountFilter: "(uid=%s", BindDN: "cn=s,dc=x"},
			{URL: "ldaps://x", BaseDN: "dc=x", AccountFilter: "(uid=%s)", BindDN: ""},
		} {
			if err := c.Check(); err == nil {
				t.Errorf("Check(%+v) accepted it", c)
			}
		}
	})
	t.Run("down in the middle and back", func(t *testing.T) {
		d, s := open(t)
		s.AddPerson("alice", "alice-password-1", false)
		if _, err := d.Methods("alice"); err != nil {
			t.Fatal(err)
		}
		s.Stop()
		err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed)
		if !errors.Is(err, info.ErrDirectoryUnavailable) {
			t.Fatalf("AddMethod with slapd down = %v, want ErrDirectoryUnavailable", err)
		}
		s.Start()
		if ms, err := d.Methods("alice"); err != nil || len(ms) != 0 {
			t.Fatalf("after the directory came back: %+v, %v (nothing half-written)", ms, err)
		}
		if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
			t.Fatalf("AddMethod after reconnecting: %v", err)
		}
	})
	t.Run("gone while a request waits", func(t *testing.T) {
		d, s := open(t)
		s.AddPerson("alice", "alice-password-1", false)
		if _, err := d.Methods("alice"); err != nil {
			t.Fatal(err)
		}
		s.Pause() // the next request is sent and waits for its answer
		done := make(chan error, 1)
		go func() { _, err := d.Methods("alice"); done <- err }()
		time.Sleep(300 * time.Millisecond)
		s.Kill() // the connection ends under it
		if err := <-done; !errors.Is(err, info.ErrDirectoryUnavailable) {
			t.Errorf("Methods when the directory went away mid-request = %v, want ErrDirectoryUnavailable", err)
		}
		s.Start()
		if _, err := d.Methods("alice"); err != nil {
			t.Errorf("after the directory came back: %v", err)
		}
	})
	t.Run("slow", func(t *testing.T) {
		s := slapdtest.Start(t, slapdtest.Options{})
		cfg := configFor(s)
		cfg.Timeout = time.Second
		d, err := directory.Open(cfg, []byte(s.StationPassword), stationKeyring(t))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		s.AddPerson("alice", "alice-password-1", false)
		s.Pause()
		defer s.Resume()
		start := time.Now()
		_, err = d.Methods("alice")
		if !errors.Is(err, info.ErrDirectoryUnavailable) {
			t.Errorf("Methods with slapd stopped (SIGSTOP) = %v, want ErrDirectoryUnavailable", err)
		}
		if took := time.Since(start); took > 4*time.Second {
			t.Errorf("a slow directory held the station for %v (limit 1 s per request)", took)
		}
	})
}

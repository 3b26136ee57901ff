package directory_test

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard"
)

// splitProxy forwards the first connection to first and every later one
// to rest: a load-balanced directory name (one URL, several providers)
// that put the station's long-lived connection on one server and a
// person's bind on another.
func splitProxy(t *testing.T, first, rest string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	hostOf := func(u string) string { return strings.TrimPrefix(u, "ldap://") }
	go func() {
		for n := 0; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			to := hostOf(rest)
			if n == 0 {
				to = hostOf(first)
			}
			b, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				continue
			}
			go func() { _, _ = io.Copy(b, c); b.Close() }()
			go func() { _, _ = io.Copy(c, b); c.Close() }()
		}
	}()
	return "ldap://" + ln.Addr().String()
}

// With one URL for a multi-provider pair (DNS round robin, a load
// balancer), the station's connection and a person's bind may reach
// different servers. The step slapo-otp recorded at the bind is only on
// the server that accepted it (its write doesn't replicate), so the
// station reads it there, on the person's own connection: a right
// password and code sign in, and the code is then spent on both servers.
func TestDirectory_ReplicateStepWithALoadBalancedURL(t *testing.T) {
	s1, s2 := slapdtest.StartPair(t, slapdtest.Options{})
	s1.AddPerson("alice", "alice-password-1", false)
	s1.AddAuthenticator("alice", "m1", seed)
	if err := s2.WaitFor(slapdtest.MethodDN("alice", "m1"), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// The link, after the token.
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res, err := s2.Root().Search(ldap.NewSearchRequest(dirassets.PersonDN("alice"), ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
			"(oathTOTPToken=*)", []string{"1.1"}, nil))
		if err == nil && len(res.Entries) == 1 {
			break
		}
		if time.Now().After(end) {
			t.Fatal("the link did not reach server 2")
		}
	}
	cfg := configFor(s1)
	cfg.URL = splitProxy(t, s2.URL, s1.URL)
	d, err := directory.Open(cfg, []byte(s1.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	in := &wizard.SignIn{Dir: d, Now: time.Now}
	code := oathtool(t)
	if _, err := in.CheckWithCode("alice", "alice-password-1", code); err != nil {
		t.Fatalf("right password and code, bind on server 1, station on server 2: %v", err)
	}
	// The station wrote the step as an ordinary change: it reaches server
	// 2 (where slapo-otp's own write never would), and the same code is
	// refused there.
	tok := slapdtest.MethodDN("alice", "m1")
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res, err := s2.Root().Search(ldap.NewSearchRequest(tok, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
			"(oathTOTPLastTimeStep=*)", []string{"1.1"}, nil))
		if err == nil && len(res.Entries) == 1 {
			break
		}
		if time.Now().After(end) {
			t.Fatal("the accepted step did not reach server 2")
		}
	}
	if got := whoami(t, s2, dirassets.PersonDN("alice"), "alice-password-1"+code); got != 49 {
		t.Errorf("the code accepted on server 1, replayed on server 2: exit %d, want 49", got)
	}
}

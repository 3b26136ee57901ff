package directory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestCodeUsedElsewhereIsRefusedOnTheOtherProvider: a code used at another
// LDAP service (VPN, mail) bound to server 1 is refused two seconds later
// at a station on server 2. slapo-otp records the step it accepted with an
// internal modify that gets no entryCSN (slapd 2.5.13), which plain
// syncrepl never sends, so only the app's own binds (replicateStep) closed
// the replay; the providers now replicate with delta-syncrepl from
// cn=accesslog, whose record of otp's modify does reach the other server
// (review 7, finding 4; README.md "Single use across servers").
func TestCodeUsedElsewhereIsRefusedOnTheOtherProvider(t *testing.T) {
	s1, s2 := slapdtest.StartPair(t, slapdtest.Options{})
	b, err := directory.Open(configFor(s2), []byte(s2.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	dn := s1.AddPerson("erin", "erin-password-1", false)
	s1.AddAuthenticator("erin", "app1", seed)
	if err := s2.WaitFor(slapdtest.MethodDN("erin", "app1"), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for whoami(t, s2, dn, "erin-password-1") != 49 {
		if time.Now().After(deadline) {
			t.Fatal("the app's enforcement did not reach server 2")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Erin signs in to the VPN, which binds to server 1 with her
	// password and code.
	code := oathtool(t)
	if got := whoami(t, s1, dn, "erin-password-1"+code); got != 0 {
		t.Fatalf("erin's password and code at server 1: exit %d", got)
	}
	// Far longer than replication takes (milliseconds, README.md), within
	// the code's window.
	time.Sleep(2 * time.Second)
	if _, err := b.Bind("erin", "erin-password-1"+code); !errors.Is(err, info.ErrWrongPassword) {
		t.Errorf("the code already used at server 1, replayed at a station on server 2 = %v, want ErrWrongPassword (refused)", err)
	}
}

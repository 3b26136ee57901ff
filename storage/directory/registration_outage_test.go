package directory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// An authenticator app whose registration AddMethod reported as failed
// must not be registered, nor enforced at every LDAP service, once the
// directory is back: the directory applied the link and went down before
// answering it, so AddMethod's own clean-up failed too. The person, told
// it failed, may delete the entry from their phone; their password alone
// must still work. The token was added marked "adding" and the mark is
// cleared only as the registration's last write, so the next read of the
// person's methods takes it back (here with the mark's staleness made
// immediate).
func TestFailedRegistrationStandsAfterAnOutage(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	defer directory.SetStaleMark(0)()
	// The directory applies the link and goes down before answering it.
	defer directory.SetTestHook(once("add: linked", func() error {
		s.Stop()
		return errors.New("unable to read LDAP response packet: connection lost")
	}))()
	err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed)
	if err == nil {
		t.Fatal("AddMethod succeeded: the outage was not simulated")
	}
	t.Logf("AddMethod told the wizard: %v", err)
	s.Start()
	ms, merr := d.Methods("alice")
	if merr != nil {
		t.Fatal(merr)
	}
	if len(ms) != 0 {
		t.Errorf("after the directory came back alice has %d method(s) %+v, though her registration was reported failed", len(ms), ms)
	}
	if got := whoami(t, s, dn, "alice-password-1"); got != 0 {
		t.Errorf("after the failed registration alice's password alone is refused at every LDAP service: exit %d, want 0 (the app is enforced)", got)
	}
}

// registrationWrites are the steps after each write of an authenticator
// app's registration (AddMethod): the token added marked "adding", the
// person linked to it, the mark cleared.
var registrationWrites = []string{"add: added", "add: linked", "add: registered"}

// killedAt registers alice's app on d with the directory killed (SIGKILL)
// right after the write before step was applied, its answer lost, and
// starts it again; it returns AddMethod's error.
func killedAt(t *testing.T, d *directory.Directory, s *slapdtest.Server, step string) error {
	t.Helper()
	killed := false
	restore := directory.SetTestHook(once(step, func() error {
		s.Kill()
		killed = true
		return errors.New("unable to read LDAP response packet: connection lost")
	}))
	err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed)
	restore()
	if !killed {
		t.Fatalf("AddMethod = %v and never reached %q", err, step)
	}
	s.Start()
	if err == nil {
		t.Fatalf("AddMethod with the directory killed after %q succeeded", step)
	}
	return err
}

// The directory killed after each write of a registration. The station
// that was told the registration failed carries on: the next read of the
// person's methods leaves nothing of it, whatever the write, even the
// last one, applied unanswered (an error means nothing changed).
func TestRegistrationKilledAtEachWriteLeavesNothingAtTheStation(t *testing.T) {
	for _, step := range registrationWrites {
		t.Run(step, func(t *testing.T) {
			d, s := open(t)
			dn := s.AddPerson("alice", "alice-password-1", false)
			killedAt(t, d, s, step)
			if ms, err := d.Methods("alice"); err != nil || len(ms) != 0 {
				t.Errorf("Methods after the failed registration = %+v, %v, want none", ms, err)
			}
			if got := whoami(t, s, dn, "alice-password-1"); got != 0 {
				t.Errorf("alice's password alone: exit %d, want 0 (a registration reported failed is enforced)", got)
			}
			if exists(t, s, slapdtest.MethodDN("alice", "app1")) {
				t.Error("the token of the failed registration, secret and all, is still in the directory")
			}
		})
	}
}

// The directory killed after each write of a registration and the
// station gone with it (it remembers nothing): another station finds
// either a registered app, once its last write was applied, or, once the
// mark is stale, nothing enforced and nothing left. Before then a token
// linked but not registered is enforced, not listed: the person signs in
// with the code the registration had verified.
func TestRegistrationKilledAtEachWriteLeavesNothingHalfRegistered(t *testing.T) {
	for _, step := range registrationWrites {
		t.Run(step, func(t *testing.T) {
			d, s := open(t)
			dn := s.AddPerson("alice", "alice-password-1", false)
			killedAt(t, d, s, step)
			other := secondStation(t, s)
			registered := step == "add: registered"
			ms, err := other.Methods("alice")
			if err != nil {
				t.Fatal(err)
			}
			if registered != (len(ms) == 1) || len(ms) > 1 {
				t.Fatalf("Methods at another station = %+v, want the app listed only once its registration's last write applied", ms)
			}
			if step == "add: linked" {
				if got := whoami(t, s, dn, "alice-password-1"+oathtool(t)); got != 0 {
					t.Errorf("while the cut-off registration's mark is fresh, alice's password and code: exit %d, want 0", got)
				}
			}
			defer directory.SetStaleMark(0)()
			if !registered {
				// A bind refused by the cut-off token's link takes it off.
				if _, err := other.Bind("alice", "alice-password-1"); err != nil {
					t.Errorf("Bind with the password alone once the mark is stale = %v, want signed in", err)
				}
			}
			if ms, err = other.Methods("alice"); err != nil || registered != (len(ms) == 1) || len(ms) > 1 {
				t.Errorf("Methods at another station once the mark is stale = %+v, %v", ms, err)
			}
			want := 0
			if registered {
				want = 49 // registered: enforced
			}
			if got := whoami(t, s, dn, "alice-password-1"); got != want {
				t.Errorf("alice's password alone once the mark is stale: exit %d, want %d", got, want)
			}
			if registered != exists(t, s, slapdtest.MethodDN("alice", "app1")) {
				t.Errorf("the token is left in the directory: %v, want %v", !registered, registered)
			}
		})
	}
}

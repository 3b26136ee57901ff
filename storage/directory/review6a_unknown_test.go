package directory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// review6a: a name that names nobody now locks at the total of its three
// counts, as a person does, but the try after the lock costs different
// requests: a person locked by the total is refused before any bind
// (SignIn.bind: AccountLocked), while the unknown name is still bound to
// its slot (a BIND that slapd checks, argon2), read back (three
// searches) and its pass looked up and hashed by the app. So once a name
// is locked, one more sign-in tells a person from a name that names
// nobody by its requests and by its time (no hash against two).
func TestReview6a_LockedByTheTotalCostsWhatAPersonDoes(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{Debug: "stats"})
	d := openOn(t, s)
	s.AddPerson("bob", "bob-password-1", false)
	const unknown = "nobody@contoso.example"
	// Both locked by 100 wrong app passwords (an hour apart: past every
	// back-off), no bind among them.
	now := time.Now().Add(-200 * time.Hour)
	for i := 0; i < regulation.MaxFailures; i++ {
		now = now.Add(time.Hour)
		if err := regulation.Default.ReserveFactor(d, "bob", regulation.AppPassword, now); err != nil {
			t.Fatalf("bob: failure %d: %v", i+1, err)
		}
		if err := regulation.Default.ReserveUnknown(d, unknown, regulation.AppPassword, now); err != nil {
			t.Fatalf("%s: failure %d: %v", unknown, i+1, err)
		}
	}
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: (&tap.Verifier{Passes: d, Audit: d}).SignIn}
	var got [2]map[string]int
	for i, name := range []string{"bob", unknown} {
		_, _, before := logOps(t, s, 0)
		if _, err := in.Check(name, "not-the-password"); !errors.Is(err, wizard.ErrLocked) && !errors.Is(err, regulation.ErrLocked) {
			t.Fatalf("%s: sign-in after the lock = %v, want locked", name, err)
		}
		got[i], _, _ = logOps(t, s, before)
	}
	if !sameOps(got[0], got[1]) {
		t.Errorf("a sign-in at a locked person costs %v, at a locked name that names nobody %v", got[0], got[1])
	}
}

// review6a: the first failed sign-in at a name never tried before is what
// an enumeration makes at every name, and it costs different requests at
// a person (a counted bind) and at a name that names nobody: the slot is
// added (an ADD, whose random password slapd hashes with argon2), the
// slots counted (a search of ou=tries), and, new with the three counts
// in one slot, the name's two slots of the version before read (two more
// searches). One try per name then tells which names are people.
func TestReview6a_FirstTryAtANameCostsWhatAPersonsDoes(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{Debug: "stats"})
	d := openOn(t, s)
	s.AddPerson("carol", "carol-password-1", false)
	const unknown = "nobody@contoso.example"
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: (&tap.Verifier{Passes: d, Audit: d}).SignIn}
	var got [2]map[string]int
	for i, name := range []string{"carol", unknown} {
		_, _, before := logOps(t, s, 0)
		if _, err := in.Check(name, "not-the-password"); !errors.Is(err, wizard.ErrBadCredentials) {
			t.Fatalf("%s: first sign-in = %v", name, err)
		}
		got[i], _, _ = logOps(t, s, before)
	}
	if !sameOps(got[0], got[1]) {
		t.Errorf("a first failed sign-in at a person costs %v, at a name that names nobody %v", got[0], got[1])
	}
}

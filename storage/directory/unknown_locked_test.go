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

// A name that names nobody locks at the total of its three counts, as a
// person does, and the try after the lock costs the same requests: a
// person locked by the total is refused before any bind
// (SignIn.bind: AccountLocked), and so is the name (bindUnknown, on the
// slot Account read): no bind, which slapd would check (argon2), and no
// pass looked up and hashed. Otherwise one more sign-in at a locked name
// would tell a person from a name that names nobody by its requests and
// by its time.
func TestLockedByTheTotalCostsWhatAPersonDoes(t *testing.T) {
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

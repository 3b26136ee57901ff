package directory_test

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// regulation.Reserve promises that the gate and the count are one
// transaction ("so that a hundred guesses sent at once can't all pass the
// gate before any of them is counted"). A second check whose read comes
// before the first one's write (nested here, to make the interleaving
// deterministic) must not pass the gate too: the directory's write is a
// compare-and-swap, and the first check runs again on a fresh read.
func TestDirectoryReserveIsAtomic(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	now := time.Now()
	// Three failures 10 s ago: the gate is open (1 s wait long over), and
	// one more failure shuts it for 2 s.
	for i := 0; i < 3; i++ {
		if err := regulation.RecordAttempt(d, "alice", false, now.Add(-10*time.Second+time.Duration(i)*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	var inner error
	outer := d.UpdateAccount("alice", func(a *info.Account) error {
		// Another station's (or process's) Reserve runs between this
		// one's read and its write.
		inner = regulation.Default.Reserve(d, "alice", now)
		st := regulation.AccountState(*a)
		if err := regulation.Default.Check(st, now.Add(time.Millisecond)); err != nil {
			return err
		}
		a.Failures, a.LastFailure = a.Failures+1, now.Add(time.Millisecond)
		return nil
	})
	if inner == nil && outer == nil {
		t.Errorf("two checks passed a gate that lets one through: the directory's count is not a compare-and-swap")
	}
	if a, _ := d.Account("alice"); a.Failures != 4 {
		t.Errorf("failures %d, want 4 (three, and the one check that passed)", a.Failures)
	}
}

// The same where the station that counts meanwhile has a clock behind
// the one that counted before: its failure is written later than the
// latest it read, so the compare-and-swap still sees it.
func TestDirectoryReserveIsAtomicAcrossClocks(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	other := openOn(t, s)
	now := time.Now()
	// Two failures just now: no wait before the third, which shuts the
	// gate for 1 s.
	for i := 2; i > 0; i-- {
		if err := regulation.RecordAttempt(d, "alice", false, now.Add(-time.Duration(i)*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	var inner error
	innerRan := false
	outer := d.UpdateAccount("alice", func(a *info.Account) error {
		if !innerRan {
			innerRan = true
			// A station whose clock is a minute behind.
			inner = regulation.Default.Reserve(other, "alice", now.Add(-time.Minute))
		}
		if err := regulation.Default.Check(regulation.AccountState(*a), now); err != nil {
			return err
		}
		a.Failures, a.LastFailure = a.Failures+1, now
		return nil
	})
	if inner != nil {
		t.Fatalf("the first check to write: %v", inner)
	}
	var w *regulation.WaitError
	if !errors.As(outer, &w) {
		t.Errorf("the second check: %v, want a wait: two checks passed a gate that lets one through", outer)
	}
	if a, _ := d.Account("alice"); a.Failures != 3 {
		t.Errorf("failures %d, want 3 (two, and the one check that passed)", a.Failures)
	}
}

// The same for the counts Security Info keeps on the person's entry: two
// app password checks that read the same count can't both pass its gate.
func TestDirectoryAppPasswordReserveIsAtomic(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	now := time.Now()
	for i := 0; i < 3; i++ {
		if err := regulation.RecordFactor(d, "alice", regulation.AppPassword, false, now.Add(-10*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	var inner error
	outer := d.UpdateAccount("alice", func(a *info.Account) error {
		inner = regulation.Default.ReserveFactor(d, "alice", regulation.AppPassword, now)
		if err := regulation.Default.CheckAccount(*a, regulation.AppPassword, now.Add(time.Millisecond)); err != nil {
			return err
		}
		a.AppPasswordTries = info.Tries{Failures: a.AppPasswordTries.Failures + 1, LastFailure: now.Add(time.Millisecond)}
		return nil
	})
	if inner == nil && outer == nil {
		t.Errorf("two app password checks passed a gate that lets one through")
	}
	a, _ := d.Account("alice")
	if a.AppPasswordTries.Failures != 4 || a.Failures != 0 {
		t.Errorf("app password failures %d, password failures %d; want 4, 0", a.AppPasswordTries.Failures, a.Failures)
	}
}

// For a person whose directory enforces an app, a try with no code is
// answered ErrCodeRequired; the Temporary Access Pass check (argon2id)
// that ran first is counted, on the password's count, so guesses at a
// pass back off and lock as guesses at the password do.
func TestPassGuessesWithoutACodeAreCounted(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	if _, err := tap.Issue(d, "alice", time.Hour, false, time.Now(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	guesses := 0
	v := &tap.Verifier{Passes: d}
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: func(a, typed string, now time.Time) (bool, error) {
		guesses++
		return v.SignIn(a, typed, now)
	}}
	var last error
	for i := 0; i < 8; i++ {
		_, last = in.CheckWithCode("alice", "GUES-SATP-ASSX", "") // shaped like a pass (tap.Shaped)
	}
	a, _ := d.Account("alice")
	var w *regulation.WaitError
	if a.Failures == 0 || !errors.As(last, &w) {
		t.Errorf("%d wrong pass guesses were checked (last answer %v), %d counted; want them counted and a back-off", guesses, last, a.Failures)
	}
	if guesses > regulation.Default.Free+1 {
		t.Errorf("%d pass guesses checked in a burst: the back-off after %d lets fewer through", guesses, regulation.Default.Free)
	}
}

// A right pass with no code signs in, and takes back the failure counted
// before it was checked: the password's count stays as it was, neither
// raised nor cleared (a pass proves nothing of the password).
func TestRightPassWithoutACodeKeepsThePasswordCount(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	pass, err := tap.Issue(d, "alice", time.Hour, false, time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "wrong-password"); got != 49 {
		t.Fatalf("wrong password: exit %d", got)
	}
	v := &tap.Verifier{Passes: d}
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: v.SignIn}
	if _, err := in.CheckWithCode("alice", pass, ""); err != nil {
		t.Fatalf("a right pass with no code: %v", err)
	}
	if a, _ := d.Account("alice"); a.Failures != 1 {
		t.Errorf("password failures %d after a wrong bind and a right pass, want 1", a.Failures)
	}
}

// A right app password (apppassword.Verify, e.g. a mail server checking
// through `app-password verify`) clears the app passwords' count only,
// never ppolicy's count of wrong passwords at LDAP binds: a mail client
// polling with its app password must not reset that count, or someone
// guessing the person's password at any LDAP service is never locked out
// (pwdMaxFailure 5 in this test's directory, 100 as shipped): here 8 wrong
// passwords lock.
func TestAppPasswordSuccessKeepsPPolicyFailures(t *testing.T) {
	d, s := open(t, slapdtest.Options{MaxFailure: 5})
	dn := s.AddPerson("alice", "alice-password-1", false)
	pw, _, err := apppassword.Create(d, "alice@contoso.example", "Mail", time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		for i := 0; i < 4; i++ {
			if got := whoami(t, s, dn, "guess-"+string(rune('a'+i))); got != 49 {
				t.Fatalf("wrong password: exit %d", got)
			}
		}
		// The mail client checks in, a while later (past the back-off).
		if err := apppassword.Verify(d, "alice@contoso.example", pw, time.Now().Add(time.Duration(round+1)*time.Hour)); err != nil {
			t.Fatalf("round %d: the right app password: %v", round, err)
		}
	}
	if a, _ := d.Account("alice"); !a.Locked {
		t.Errorf("8 wrong passwords at LDAP binds and no lock-out (ppolicy locks at 5): the app password's success cleared ppolicy's count (failures now %d)", a.Failures)
	}
}

// Wrong app passwords are counted on the person's entry, in the app
// passwords' own count, and a right one clears that count alone.
func TestAppPasswordFailuresHaveTheirOwnCount(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	pw, _, err := apppassword.Create(d, "alice@contoso.example", "Mail", time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if got := whoami(t, s, dn, "wrong-password"); got != 49 {
		t.Fatalf("wrong password: exit %d", got)
	}
	now := time.Now()
	for i := 0; i < 2; i++ {
		if err := apppassword.Verify(d, "alice@contoso.example", "aaaa bbbb cccc dddd", now); !errors.Is(err, apppassword.ErrNoMatch) {
			t.Fatalf("a wrong app password: %v", err)
		}
	}
	a, _ := d.Account("alice")
	if a.AppPasswordTries.Failures != 2 || a.Failures != 1 {
		t.Fatalf("app password failures %d, password failures %d; want 2, 1", a.AppPasswordTries.Failures, a.Failures)
	}
	if err := apppassword.Verify(d, "alice@contoso.example", pw, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	a, _ = d.Account("alice")
	if a.AppPasswordTries.Failures != 0 || a.Failures != 1 {
		t.Errorf("after a right app password: app password failures %d, password failures %d; want 0, 1", a.AppPasswordTries.Failures, a.Failures)
	}
	if err := d.Unlock("alice"); err != nil {
		t.Fatal(err)
	}
	if a, _ := d.Account("alice"); a.Failures != 0 || a.AppPasswordTries != (info.Tries{}) || a.SecondFactorTries != (info.Tries{}) {
		t.Errorf("after unlock: %+v", a)
	}
}

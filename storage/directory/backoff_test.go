package directory_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// afterTheWait is a station's clock past any back-off
// (regulation.Default.Max) of failures slapd stamped just now, for tests
// of what many failed tries in a row do: each try then comes after the
// last one's wait.
func afterTheWait() time.Time { return time.Now().Add(regulation.Default.Max + time.Minute) }

// fixedClock is a SignIn.Now that reads at, or the real time while at is
// zero (the failures before the wait are stamped by slapd's clock).
func fixedClock(at *time.Time) func() time.Time {
	return func() time.Time {
		if at.IsZero() {
			return time.Now()
		}
		return *at
	}
}

// passwordLast is when the directory last counted a wrong password of
// name, a person's or a name's that names nobody (its try slot).
func passwordLast(t *testing.T, d *directory.Directory, name string, person bool) (int, time.Time) {
	t.Helper()
	if person {
		a, err := d.Account(name)
		if err != nil {
			t.Fatal(err)
		}
		return a.Failures, a.LastFailure
	}
	st, err := regulation.UnknownState(d, name, regulation.Password)
	if err != nil {
		t.Fatal(err)
	}
	return st.Failures, st.Last
}

// The password try at the directory waits out the app's back-off (NIST
// 800-63B §5.2.2; DESIGN.md): ppolicy counts wrong passwords but makes
// nobody wait, so without the app's gate a hundred guesses could be fired
// at a kiosk in seconds. After Free quick wrong passwords the next try is
// refused with a *WaitError before any bind (slapd's log shows no BIND,
// and nothing more is counted), the same for a person and for a name that
// names nobody: the same wait, the same words, the same requests. After
// the wait a right password signs the person in, and clears the wait.
func TestSignIn_DirectoryPasswordWaitsOutTheBackoff(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{Debug: "stats"})
	d := openOn(t, s)
	s.AddPerson("bob", "bob-password-1", false)
	const unknown = "nobody@contoso.example"
	var at time.Time
	in := &wizard.SignIn{Dir: d, Now: fixedClock(&at)}
	want := regulation.Default.Backoff(regulation.Default.Free)
	var ops [2]map[string]int
	var last [2]time.Time
	for i, name := range []string{"bob", unknown} {
		at = time.Time{}
		for try := 1; try <= regulation.Default.Free; try++ {
			if _, err := in.Check(name, "not-the-password"); !errors.Is(err, wizard.ErrBadCredentials) {
				t.Fatalf("%s: wrong password %d = %v, want ErrBadCredentials (no wait yet)", name, try, err)
			}
		}
		n, lastFailure := passwordLast(t, d, name, i == 0)
		if n != regulation.Default.Free {
			t.Fatalf("%s: the directory counted %d wrong passwords, want %d", name, n, regulation.Default.Free)
		}
		last[i] = lastFailure
		at = lastFailure // the next try at once: a station's clock, not the wall's
		_, _, before := logOps(t, s, 0)
		_, err := in.Check(name, "another-guess")
		var log string
		ops[i], log, _ = logOps(t, s, before)
		var w *wizard.WaitError
		if !errors.As(err, &w) {
			t.Fatalf("%s: a wrong password right after %d = %v, want a *WaitError", name, regulation.Default.Free, err)
		}
		if w.Wait != want {
			t.Errorf("%s: wait %v, want %v", name, w.Wait, want)
		}
		if got := w.Words(); got != "Too many failed attempts. Wait a second before trying again." {
			t.Errorf("%s: the words are %q", name, got)
		}
		if ops[i]["BIND"] != 0 || ops[i]["MOD"] != 0 || ops[i]["ADD"] != 0 {
			t.Errorf("%s: a try during the wait reached the directory's bind or wrote: %v\n%s", name, ops[i], log)
		}
		if regexp.MustCompile(`BIND dn="(uid=bob|cn=[0-9a-f]{4},` + dirassets.TriesDN + `)`).MatchString(log) {
			t.Errorf("%s: slapd saw a bind during the wait:\n%s", name, log)
		}
		if n, _ := passwordLast(t, d, name, i == 0); n != regulation.Default.Free {
			t.Errorf("%s: the try during the wait was counted: %d failures, want %d", name, n, regulation.Default.Free)
		}
	}
	if !sameOps(ops[0], ops[1]) {
		t.Errorf("a wait costs a person %v, a name that names nobody %v", ops[0], ops[1])
	}

	// After the wait: the person's right password signs in, and ppolicy's
	// count goes with the wait; the name's try is bound (and counted).
	at = last[0].Add(want)
	if a, err := in.Check("bob", "bob-password-1"); err != nil || a.Name != "bob@contoso.example" {
		t.Fatalf("bob's right password after the wait = %+v, %v", a, err)
	}
	if n, _ := passwordLast(t, d, "bob", true); n != 0 {
		t.Errorf("a sign-in left %d failures counted", n)
	}
	if _, err := in.Check("bob", "not-the-password"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Errorf("a wrong password after a sign-in = %v, want ErrBadCredentials (no wait)", err)
	}
	at = last[1].Add(want)
	_, _, before := logOps(t, s, 0)
	if _, err := in.Check(unknown, "another-guess"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Errorf("the unknown name after the wait = %v, want ErrBadCredentials", err)
	}
	if got, log, _ := logOps(t, s, before); got["BIND"] == 0 {
		t.Errorf("the unknown name's try after the wait was not bound:\n%s", log)
	}
}

// The helpdesk's unlock clears the wait with the failures: the directory
// forgets ppolicy's pwdFailureTime, which the back-off is counted from.
func TestSignIn_DirectoryUnlockClearsTheWait(t *testing.T) {
	d, s := open(t)
	s.AddPerson("bob", "bob-password-1", false)
	var at time.Time
	in := &wizard.SignIn{Dir: d, Now: fixedClock(&at)}
	for try := 0; try < regulation.Default.Free+1; try++ {
		_, _ = in.Check("bob", "not-the-password")
	}
	_, at = passwordLast(t, d, "bob", true)
	var w *wizard.WaitError
	if _, err := in.Check("bob", "bob-password-1"); !errors.As(err, &w) {
		t.Fatalf("the right password during the wait = %v, want a *WaitError", err)
	}
	if err := d.Unlock("bob"); err != nil {
		t.Fatal(err)
	}
	if a, err := in.Check("bob", "bob-password-1"); err != nil || a.Name != "bob@contoso.example" {
		t.Errorf("the right password after the helpdesk's unlock = %+v, %v, want signed in at once", a, err)
	}
}

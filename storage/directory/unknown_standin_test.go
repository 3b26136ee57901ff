package directory_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// answerOf sorts a sign-in's answer into what the person at the kiosk
// sees.
func answerOf(err error) string {
	switch {
	case errors.Is(err, wizard.ErrCodeRequired):
		return "asked for the code"
	case errors.Is(err, wizard.ErrBadCredentialsOrCode):
		return "wrong name, password or code"
	case errors.Is(err, wizard.ErrBadCredentials):
		return "wrong name or password"
	case errors.Is(err, wizard.ErrLocked):
		return "locked"
	}
	var w *wizard.WaitError
	if errors.As(err, &w) {
		return "wait"
	}
	return fmt.Sprintf("other: %v", err)
}

// Where the policy allows authenticator apps, a person with an app is
// asked for the code and a person without one is refused at once. Names
// that name nobody must answer both ways: if they all asked for the code,
// "That account name or password isn't right" at the first try, with no
// code and nothing locked, would tell that a name names a person (without
// an app), one try per name.
func TestSignIn_PersonWithoutAnAppAnswersAsSomeUnknownNames(t *testing.T) {
	d, s := open(t)
	s.AddPerson("alice", "alice-password-1", false)
	s.AddPerson("bob", "bob-password-1", false)
	if err := d.AddMethod("alice", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	in := &wizard.SignIn{Dir: d, Now: time.Now, AppAtBind: true}
	unknown := map[string]int{}
	for i := 0; i < 24; i++ {
		_, err := in.Check(fmt.Sprintf("nobody-%02d", i), "a-guess-1")
		unknown[answerOf(err)]++
	}
	for _, name := range []string{"alice", "bob"} {
		_, err := in.Check(name, "a-guess-1")
		if got := answerOf(err); unknown[got] == 0 {
			t.Errorf("%s with a wrong password and no code is answered %q; 24 names that name nobody were answered %v: the answer tells that %s exists", name, got, unknown, name)
		}
	}
}

// withApp counts the names of names that UnknownCodeAtBind answers as
// people with an app.
func withApp(t *testing.T, d *directory.Directory, names []string) (map[string]bool, int) {
	t.Helper()
	out, n := map[string]bool{}, 0
	for _, name := range names {
		v, err := d.UnknownCodeAtBind(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = v
		if v {
			n++
		}
	}
	return out, n
}

// A name that names nobody answers as a person with an app or as one
// without in the share of the directory's people who have an app (so
// neither answer makes a name likelier to name a person), the same every
// time and at every station (a second try, or a try at another kiosk,
// must not tell it from a person, whose answer never changes), and as
// people register apps, names only turn to asking for the code, as those
// people's own answers do.
func TestDirectory_UnknownNamesAnswerInTheShareOfPeopleWithAnApp(t *testing.T) {
	d, s := open(t)
	other := openOn(t, s)
	people := []string{"p1", "p2", "p3", "p4"}
	for _, p := range people {
		s.AddPerson(p, p+"-password-1", false)
	}
	names := make([]string, 4000)
	for i := range names {
		names[i] = fmt.Sprintf("nobody-%04d@contoso.example", i)
	}
	share := func(n int) float64 { return float64(n) / float64(len(names)) }

	// Nobody has an app: every name answers as a person without one.
	if _, n := withApp(t, d, names[:200]); n != 0 {
		t.Errorf("with no app registered, %d of 200 names ask for the code", n)
	}
	var before map[string]bool
	for i, p := range people[:3] {
		if err := d.AddMethod(p, info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
			t.Fatal(err)
		}
		directory.ExpireShare(d) // as an hour later
		directory.ExpireShare(other)
		got, n := withApp(t, d, names)
		// A binomial share of 4,000: its standard deviation is under
		// 0.8 points; 4 points is five of them.
		if want := float64(i+1) / 4; share(n) < want-0.04 || share(n) > want+0.04 {
			t.Errorf("%d of 4 people have an app; %.3f of the names ask for the code", i+1, share(n))
		}
		again, _ := withApp(t, d, names)
		there, _ := withApp(t, other, names)
		for _, name := range names {
			if again[name] != got[name] || there[name] != got[name] {
				t.Fatalf("%s answers %v, then %v, and %v at another station", name, got[name], again[name], there[name])
			}
			if before != nil && before[name] && !got[name] {
				t.Fatalf("%s asked for the code, and no longer does after one more person registered an app", name)
			}
		}
		before = got
	}
	if err := d.AddMethod("p4", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	directory.ExpireShare(d)
	if _, n := withApp(t, d, names); n != len(names) {
		t.Errorf("everybody has an app; %d of %d names answer as people without one", len(names)-n, len(names))
	}
}

// A name that names nobody and answers as a person without an app is
// refused as such a person is, with or without a code, at the cost of
// such a person's refusal: the same bind (which ppolicy counts), searches
// and writes.
func TestDirectory_UnknownNamesCostWhatPeopleWithoutAnAppDo(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{Debug: "stats"})
	d := openOn(t, s)
	s.AddPerson("bob", "bob-password-1", false)
	s.AddPerson("carol", "carol-password-1", false)
	if err := d.AddMethod("carol", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	unknown := ""
	for i := 0; unknown == "" && i < 200; i++ {
		name := fmt.Sprintf("nobody-%03d@contoso.example", i)
		if app, err := d.UnknownCodeAtBind(name); err != nil {
			t.Fatal(err)
		} else if !app {
			unknown = name
		}
	}
	if unknown == "" {
		t.Fatal("of 200 names, none answers as a person without an app, where one person of two has none")
	}
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: (&tap.Verifier{Passes: d, Audit: d}).SignIn, AppAtBind: true}
	tries := map[string]func(name string) error{
		"no code": func(name string) error { _, err := in.Check(name, "not-the-password"); return err },
		"a code": func(name string) error {
			_, err := in.CheckWithCode(name, "not-the-password", "000000")
			return err
		},
	}
	// The first tries make the slot and the person's count (as in
	// TestDirectory_UnknownNamesCostWhatPeopleDo).
	for _, name := range []string{"bob", unknown} {
		if err := tries["no code"](name); !errors.Is(err, wizard.ErrBadCredentials) {
			t.Fatalf("%s: first sign-in = %v", name, err)
		}
	}
	for _, what := range []string{"no code", "a code"} {
		var got [2]map[string]int
		for i, name := range []string{"bob", unknown} {
			_, _, before := logOps(t, s, 0)
			if err := tries[what](name); !errors.Is(err, wizard.ErrBadCredentials) || errors.Is(err, wizard.ErrBadCredentialsOrCode) {
				t.Fatalf("%s, %s: sign-in = %v, want ErrBadCredentials", name, what, err)
			}
			got[i], _, _ = logOps(t, s, before)
		}
		if !sameOps(got[0], got[1]) {
			t.Errorf("%s: a person without an app costs %v, a name that names nobody %v", what, got[0], got[1])
		}
		if got[1]["BIND"] != 1 {
			t.Errorf("%s: a name that names nobody made %d binds, want 1 (to its slot, as the person's)", what, got[1]["BIND"])
		}
		t.Logf("%s: %v each", what, got[0])
	}
}

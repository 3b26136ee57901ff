package directory_test

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// openOn opens another Directory on s, as another station or CLI process
// (or this one after a restart) would.
func openOn(t *testing.T, s *slapdtest.Server) *directory.Directory {
	t.Helper()
	d, err := directory.Open(configFor(s), []byte(s.StationPassword), stationKeyring(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func countTry(t *info.Counts) error { t.Failures++; t.LastFailure = time.Now(); return nil }

// triesOf reads name's Tries through d, changing nothing.
func triesOf(t *testing.T, d *directory.Directory, name string) info.Tries {
	t.Helper()
	st, err := regulation.UnknownState(d, name, regulation.Password)
	if err != nil {
		t.Fatalf("UnknownState: %v", err)
	}
	return info.Tries{Failures: st.Failures, LastFailure: st.Last}
}

// The failures of a name that names nobody are in the directory: a new
// store (a restarted app) on a restarted slapd finds them.
func TestDirectory_TriesSurviveARestart(t *testing.T) {
	d, s := open(t)
	if note := d.TriesNote(); note != "" {
		t.Fatalf("a fresh directory has no place for tries: %s", note)
	}
	for i := 0; i < 3; i++ {
		if err := d.UpdateTries("nobody@contoso.example", countTry); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	s.Stop()
	s.Start()
	if got := triesOf(t, openOn(t, s), " Nobody@Contoso.example "); got.Failures != 3 {
		t.Errorf("after a restart: %d failures, want 3", got.Failures)
	}
}

// Two stations count the same failures, also when they count at once.
func TestDirectory_TriesAreSharedByStations(t *testing.T) {
	_, s := open(t)
	a, b := openOn(t, s), openOn(t, s)
	const name = "nobody@contoso.example"
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := 0; i < 10; i++ {
		d := a
		if i%2 == 1 {
			d = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- d.UpdateTries(name, countTry)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if ga, gb := triesOf(t, a, name), triesOf(t, b, name); ga.Failures != 10 || gb.Failures != 10 {
		t.Errorf("station a sees %d failures, station b %d; want 10 (5 each)", ga.Failures, gb.Failures)
	}
	// A success at one clears them at the other.
	if err := regulation.RecordUnknown(a, name, regulation.Password, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := triesOf(t, b, name); got.Failures != 0 {
		t.Errorf("after a success at a: b sees %d failures", got.Failures)
	}
}

// opRE matches an operation's request line in slapd's stats log.
var opRE = regexp.MustCompile(`conn=\d+ op=\d+ (SRCH|MOD|BIND|ADD|DEL|MODRDN|CMP) (?:base|dn)=|conn=\d+ op=\d+ (EXT) oid=`)

// logOps counts the operations slapd (at Debug "stats") logged after
// offset, by kind, and returns the log's new length. slapd logs a request
// as it takes it, before it answers, so every request answered so far is
// in the log.
func logOps(t *testing.T, s *slapdtest.Server, offset int) (map[string]int, string, int) {
	t.Helper()
	b, err := os.ReadFile(s.LogFile)
	if err != nil {
		t.Fatalf("slapd's log: %v", err)
	}
	n := map[string]int{}
	for _, m := range opRE.FindAllStringSubmatch(string(b[offset:]), -1) {
		n[m[1]+m[2]]++
	}
	return n, string(b[offset:]), len(b)
}

func sameOps(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

// A failed sign-in and a failed app password check at a name that names
// nobody make the directory requests that they make at a person: as many
// searches, and the same write (a bind that ppolicy counts; a modify).
func TestDirectory_UnknownNamesCostWhatPeopleDo(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{Debug: "stats"})
	d := openOn(t, s)
	s.AddPerson("bob", "bob-password-1", false)
	const unknown = "nobody@contoso.example"
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: (&tap.Verifier{Passes: d, Audit: d}).SignIn}
	tries := map[string]func(name string) error{
		"sign-in": func(name string) error { _, err := in.Check(name, "not-the-password"); return err },
		"app password": func(name string) error {
			return apppassword.Verify(d, name, "abcd efgh ijkl mnop", time.Now())
		},
	}
	// Each name's first try of each factor first: a slot's first failure
	// adds it (and counts the slots), and a person's first failure of a
	// factor of Security Info's own adds the class siAccount; the measured
	// tries below are at slots in use, as at a person.
	for _, name := range []string{"bob", unknown} {
		if err := tries["sign-in"](name); !errors.Is(err, wizard.ErrBadCredentials) {
			t.Fatalf("%s: first sign-in = %v", name, err)
		}
		if err := tries["app password"](name); !errors.Is(err, apppassword.ErrNoMatch) {
			t.Fatalf("%s: first app password = %v", name, err)
		}
	}
	for _, what := range []string{"sign-in", "app password"} {
		var got [2]map[string]int
		for i, name := range []string{"bob", unknown} {
			var before int
			_, _, before = logOps(t, s, 0)
			err := tries[what](name)
			if err == nil {
				t.Fatalf("%s at %s succeeded", what, name)
			}
			var log string
			got[i], log, _ = logOps(t, s, before)
			if what == "sign-in" && i == 1 && !regexp.MustCompile(`BIND dn="cn=[0-9a-f]{4},`+dirassets.TriesDN+`"`).MatchString(log) {
				t.Errorf("the unknown name's bind was not to its slot:\n%s", log)
			}
		}
		if !sameOps(got[0], got[1]) {
			t.Errorf("%s: a person costs %v, a name that names nobody %v", what, got[0], got[1])
		}
		if got[1]["BIND"]+got[1]["MOD"] == 0 {
			t.Errorf("%s at a name that names nobody wrote nothing: %v", what, got[1])
		}
		t.Logf("%s: %v each", what, got[0])
	}
	// The slot counted them, as ppolicy and the app counted bob's: each
	// factor in its own count.
	for f, what := range map[regulation.Factor]string{regulation.Password: "sign-ins", regulation.AppPassword: "app passwords"} {
		if st, err := regulation.UnknownState(d, unknown, f); err != nil || st.Failures != 2 {
			t.Errorf("the slot counts %d %s (%v), want 2", st.Failures, what, err)
		}
	}
}

// A name that names nobody locks at the try a person locks at: ppolicy
// counts binds to the slot as to a person's entry.
func TestDirectory_UnknownNamesLockAsPeopleDo(t *testing.T) {
	d, s := open(t, slapdtest.Options{MaxFailure: 5}) // ppolicy locks at 5 here, at 100 as shipped
	s.AddPerson("bob", "bob-password-1", false)
	in := &wizard.SignIn{Dir: d, Now: afterTheWait} // each try after the last one's back-off
	var seq [2][]error
	for i, name := range []string{"bob", "nobody"} {
		for try := 0; try < 6; try++ {
			_, err := in.Check(name, "wrong-password")
			seq[i] = append(seq[i], err)
		}
	}
	for try := range seq[0] {
		if !errors.Is(seq[1][try], seq[0][try]) && seq[0][try] != seq[1][try] {
			t.Errorf("try %d: bob %v, nobody %v", try+1, seq[0][try], seq[1][try])
		}
	}
	if !errors.Is(seq[1][5], wizard.ErrLocked) {
		t.Errorf("the sixth try at nobody = %v, want ErrLocked", seq[1][5])
	}
}

// Neither the name nor the password typed is kept anywhere under
// ou=tries: a slot is four hex digits of a keyed hash.
func TestDirectory_SlotsNeverHoldTheName(t *testing.T) {
	d, s := open(t)
	const name, password = "Jane.Typed-Her-Password@contoso.example", "hunter2-typed-password"
	in := &wizard.SignIn{Dir: d, Now: time.Now}
	for i := 0; i < 2; i++ {
		if _, err := in.Check(name, password); !errors.Is(err, wizard.ErrBadCredentials) {
			t.Fatalf("sign-in = %v", err)
		}
	}
	if err := apppassword.Verify(d, name, password, time.Now()); err == nil {
		t.Fatal("Verify succeeded")
	}
	res, err := s.Root().Search(ldap.NewSearchRequest(dirassets.TriesDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"*", "+"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	slots := 0
	for _, e := range res.Entries {
		if regexp.MustCompile(`^cn=[0-9a-f]{4},`).MatchString(e.DN) {
			slots++
		}
		dump := e.DN
		for _, a := range e.Attributes {
			dump += "\n" + a.Name + ": " + strings.Join(a.Values, " | ")
		}
		for _, secret := range []string{name, "jane", "typed-her", password, "hunter2"} {
			if strings.Contains(strings.ToLower(dump), strings.ToLower(secret)) {
				t.Errorf("%q is kept under ou=tries:\n%s", secret, dump)
			}
		}
	}
	if slots != 1 {
		t.Errorf("%d slots, want 1 (one name: its three counts in one slot, as on a person's entry)", slots)
	}
	if got := triesOf(t, d, name); got.Failures != 2 {
		t.Errorf("the password's slot counts %d failures, want 2", got.Failures)
	}
	if st, err := regulation.UnknownState(d, name, regulation.AppPassword); err != nil || st.Failures != 1 {
		t.Errorf("the slot counts %d app password failures (%v), want 1", st.Failures, err)
	}
}

// A directory set up before ou=tries keeps working: Open says why the
// failures of unknown names stay in memory, and sign-in answers as before.
func TestDirectory_WithoutTriesFallsBackToMemory(t *testing.T) {
	_, s := open(t)
	if err := s.Root().Del(ldap.NewDelRequest(dirassets.TriesDN, nil)); err != nil {
		t.Fatal(err)
	}
	d := openOn(t, s)
	if note := d.TriesNote(); !strings.Contains(note, "memory") || !strings.Contains(note, "ou=tries") {
		t.Errorf("TriesNote = %q, want it to say the tries are in memory and what is missing", note)
	}
	if err := d.UpdateTries("nobody-in-memory", countTry); !errors.Is(err, info.ErrNotSupported) {
		t.Errorf("UpdateTries = %v, want ErrNotSupported", err)
	}
	in := &wizard.SignIn{Dir: d, Now: time.Now}
	if _, err := in.Check("nobody-in-memory", "x"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Errorf("sign-in at an unknown name = %v, want ErrBadCredentials", err)
	}
	if st, err := regulation.UnknownState(d, "nobody-in-memory", regulation.Password); err != nil || st.Failures != 1 {
		t.Errorf("the memory fallback counts %d (%v), want 1", st.Failures, err)
	}
}

// An ou=tries made by hand without the schema's siTries class is no
// place for tries either: the note says so, nothing fails.
func TestDirectory_TriesWithoutTheClassFallBack(t *testing.T) {
	_, s := open(t)
	mod := ldap.NewModifyRequest(dirassets.TriesDN, nil)
	mod.Delete("siTryKey", nil)
	mod.Delete("objectClass", []string{"siTries"})
	if err := s.Root().Modify(mod); err != nil {
		t.Fatal(err)
	}
	d := openOn(t, s)
	if note := d.TriesNote(); !strings.Contains(note, "ou=tries") {
		t.Errorf("TriesNote = %q, want it to name ou=tries", note)
	}
	if err := d.UpdateTries("nobody", countTry); !errors.Is(err, info.ErrNotSupported) {
		t.Errorf("UpdateTries = %v, want ErrNotSupported", err)
	}
}

// Only stations see ou=tries: a person who signs in to the directory
// reads nothing there, not even that slots exist, and nobody reads a
// slot's password hash.
func TestDirectory_TriesAreStationsOnly(t *testing.T) {
	d, s := open(t)
	dn := s.AddPerson("alice", "alice-password-1", false)
	if err := d.UpdateTries("nobody", countTry); err != nil {
		t.Fatal(err)
	}
	alice, err := s.Dial(dn, "alice-password-1")
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	res, err := alice.Search(ldap.NewSearchRequest(dirassets.TriesDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"*", "+"}, nil))
	if err == nil && len(res.Entries) > 0 {
		t.Errorf("a person reads %d entries under ou=tries", len(res.Entries))
	}
	res, err = s.Station().Search(ldap.NewSearchRequest(dirassets.TriesDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=siTrySlot)", []string{"userPassword", "pwdFailureTime"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("the station's read of the slots = %v, %v", res, err)
	}
	if v := res.Entries[0].GetAttributeValue("userPassword"); v != "" {
		t.Errorf("a station reads a slot's password hash %q", v)
	}
	if len(res.Entries[0].GetAttributeValues("pwdFailureTime")) != 1 {
		t.Errorf("the station reads no failure on the slot")
	}
}

// ReserveUnknown's gate and count are one transaction, as Reserve's are
// for a person (TestDirectoryReserveIsAtomic): a second station's check
// whose read comes before the first one's write (nested here, to make the
// interleaving deterministic) must not pass the gate too. The slot's write
// is a compare-and-swap, and the first check runs again on a fresh read.
func TestDirectory_UnknownReserveIsAtomic(t *testing.T) {
	d, s := open(t)
	other := openOn(t, s)
	const name = "nobody@contoso.example"
	now := time.Now()
	// Three failures 10 s ago: the gate is open (1 s wait long over), and
	// one more failure shuts it for 2 s.
	for i := 0; i < 3; i++ {
		at := now.Add(-10*time.Second + time.Duration(i)*time.Millisecond)
		if err := regulation.RecordUnknown(d, name, regulation.Password, false, at); err != nil {
			t.Fatal(err)
		}
	}
	var inner error
	innerRan := false
	outer := d.UpdateTries(name, func(tr *info.Counts) error {
		// The other station's check runs between this one's first read
		// and its write.
		if !innerRan {
			innerRan = true
			inner = regulation.Default.ReserveUnknown(other, name, regulation.Password, now)
		}
		st := regulation.State{Failures: tr.Failures, Last: tr.LastFailure}
		if err := regulation.Default.Check(st, now.Add(time.Millisecond)); err != nil {
			return err
		}
		tr.Failures, tr.LastFailure = tr.Failures+1, now.Add(time.Millisecond)
		return nil
	})
	if inner != nil {
		t.Fatalf("the first check to write: %v", inner)
	}
	var w *regulation.WaitError
	if !errors.As(outer, &w) {
		t.Errorf("the second check: %v, want a wait: two checks passed a gate that lets one through (the slot's count is not a compare-and-swap)", outer)
	}
	if got := triesOf(t, d, name); got.Failures != 4 {
		t.Errorf("failures %d, want 4 (three, and the one check that passed)", got.Failures)
	}
}

// A count written by a station whose clock is behind the others' is still
// a change the others' compare-and-swap sees: a failure is always written
// later than the latest one read.
func TestDirectory_UnknownReserveIsAtomicAcrossClocks(t *testing.T) {
	d, s := open(t)
	other := openOn(t, s)
	const name = "nobody@contoso.example"
	now := time.Now()
	// Two failures just now: the gate is open (no wait before the
	// third), and a third shuts it for 1 s.
	for i := 2; i > 0; i-- {
		if err := regulation.RecordUnknown(d, name, regulation.Password, false, now.Add(-time.Duration(i)*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	var inner error
	innerRan := false
	outer := d.UpdateTries(name, func(tr *info.Counts) error {
		// The other station, whose clock is a minute behind, checks
		// between this one's read and its write.
		if !innerRan {
			innerRan = true
			inner = regulation.Default.ReserveUnknown(other, name, regulation.Password, now.Add(-time.Minute))
		}
		st := regulation.State{Failures: tr.Failures, Last: tr.LastFailure}
		if err := regulation.Default.Check(st, now); err != nil {
			return err
		}
		tr.Failures, tr.LastFailure = tr.Failures+1, now
		return nil
	})
	if inner != nil {
		t.Fatalf("the first check to write: %v", inner)
	}
	var w *regulation.WaitError
	if !errors.As(outer, &w) {
		t.Errorf("the second check: %v, want a wait: two checks passed a gate that lets one through", outer)
	}
	if got := triesOf(t, d, name); got.Failures != 3 {
		t.Errorf("failures %d, want 3 (two, and the one check that passed)", got.Failures)
	}
}

// Where people's apps are enforced at bind, a failed sign-in with a code
// at a name that names nobody makes the requests one makes at a person
// whose app is enforced: the code page is asked of both, so the number
// of requests (and the time they take) must not tell them apart either.
func TestDirectory_UnknownNamesCostWhatPeopleWithAnAppDo(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{Debug: "stats"})
	d := openOn(t, s)
	s.AddPerson("carol", "carol-password-1", false)
	if err := d.AddMethod("carol", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	const unknown = "nobody@contoso.example"
	in := &wizard.SignIn{Dir: d, Now: time.Now, Pass: (&tap.Verifier{Passes: d, Audit: d}).SignIn, AppAtBind: true}
	try := func(name string) error {
		_, err := in.CheckWithCode(name, "not-the-password", "000000")
		return err
	}
	// The first tries make the slot and the person's count (as above).
	for _, name := range []string{"carol", unknown} {
		if err := try(name); !errors.Is(err, wizard.ErrBadCredentialsOrCode) {
			t.Fatalf("%s: first sign-in = %v", name, err)
		}
	}
	var got [2]map[string]int
	for i, name := range []string{"carol", unknown} {
		_, _, before := logOps(t, s, 0)
		if err := try(name); !errors.Is(err, wizard.ErrBadCredentialsOrCode) {
			t.Fatalf("%s: sign-in = %v", name, err)
		}
		got[i], _, _ = logOps(t, s, before)
	}
	if !sameOps(got[0], got[1]) {
		t.Errorf("a person with an app costs %v, a name that names nobody %v", got[0], got[1])
	}
	t.Logf("%v each", got[0])
}

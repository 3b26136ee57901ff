package directory_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	dirassets "github.com/securityinfo/securityinfo/assets/directory"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/regulation"
)

// A name that names nobody locks at the total of its three counts, as a
// person does, whichever factors the failures were of: 3 wrong sign-ins
// (binds, which ppolicy counts), 57 wrong passwords the app counts (a
// pass guessed without a code) and 40 wrong app passwords, each factor
// far from the lock-out by itself, lock both at the 100th failure, and
// then every gate refuses both. Were a name's factors counted apart, the
// name that names nobody would not lock, and tell that bob exists.
func TestDirectory_UnknownNamesLockAtTheTotalAsPeopleDo(t *testing.T) {
	d, s := open(t)
	s.AddPerson("bob", "bob-password-1", false)
	in := &wizard.SignIn{Dir: d, Now: time.Now}
	for _, name := range []string{"bob", "nobody@contoso.example"} {
		reserve := func(f regulation.Factor, now time.Time) error {
			if name == "bob" {
				return regulation.Default.ReserveFactor(d, name, f, now)
			}
			return regulation.Default.ReserveUnknown(d, name, f, now)
		}
		for i := range 3 {
			if _, err := in.Check(name, "wrong-password"); !errors.Is(err, wizard.ErrBadCredentials) {
				t.Fatalf("%s: sign-in %d = %v", name, i+1, err)
			}
		}
		now := time.Now()
		for i := 3; i < regulation.MaxFailures; i++ {
			f := regulation.Password
			if i >= 60 {
				f = regulation.AppPassword
			}
			now = now.Add(time.Hour) // past every back-off
			if err := reserve(f, now); err != nil {
				t.Fatalf("%s: failure %d (factor %d): %v", name, i+1, f, err)
			}
		}
		now = now.Add(time.Hour)
		if _, err := in.Check(name, "wrong-password"); !errors.Is(err, wizard.ErrLocked) {
			t.Errorf("%s: sign-in after 60 wrong passwords and 40 wrong app passwords = %v, want ErrLocked", name, err)
		}
		if err := apppassword.Verify(d, name, "abcd efgh ijkl mnop", now); !errors.Is(err, regulation.ErrLocked) {
			t.Errorf("%s: app password = %v, want ErrLocked", name, err)
		}
		if err := reserve(regulation.SecondFactor, now); !errors.Is(err, regulation.ErrLocked) {
			t.Errorf("%s: second factor = %v, want ErrLocked", name, err)
		}
	}
}

// A directory that holds the slots of the version before (the password's
// count in the name's slot, the second factor's and app passwords' in
// slots of their own, none with siAccount) keeps every failure: a name's
// old counts are carried into its one slot (by a station opened on
// them), and lock it with the password's at their total.
func TestDirectory_OldTrySlotsAreCarriedOver(t *testing.T) {
	d, s := open(t)
	const name = "Nobody@Contoso.example"
	// The first failure makes the slot key; then the old layout is
	// written as the version before wrote it.
	if err := regulation.Default.ReserveUnknown(d, name, regulation.Password, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := s.Root().Search(ldap.NewSearchRequest(dirassets.TriesDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(objectClass=*)", []string{"siTryKey"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("read the slot key: %v", err)
	}
	key := res.Entries[0].GetRawAttributeValue("siTryKey")
	slotDN := func(n string) string { return fmt.Sprintf("cn=%04x,%s", info.TrySlot(key, n), dirassets.TriesDN) }
	if err := s.Root().Del(ldap.NewDelRequest(slotDN(name), nil)); err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(-time.Minute).UTC()
	oldSlot := func(n string, failures int) {
		t.Helper()
		add := ldap.NewAddRequest(slotDN(n), []ldap.Control{ldap.NewControlString("1.3.6.1.4.1.4203.666.5.12", true, "")})
		add.Attribute("objectClass", []string{"siTrySlot"})
		add.Attribute("cn", []string{fmt.Sprintf("%04x", info.TrySlot(key, n))})
		add.Attribute("userPassword", []string{"nobody-keeps-this"})
		var times []string
		for i := range failures {
			times = append(times, start.Add(time.Duration(i)*time.Millisecond).Format("20060102150405.000000Z"))
		}
		add.Attribute("pwdFailureTime", times)
		if err := s.Root().Add(add); err != nil {
			t.Fatalf("add the old slot: %v", err)
		}
	}
	second, app := info.OldFactorSlotNames(name)
	oldSlot(name, 2)
	oldSlot(second, 30)
	oldSlot(app, 67)
	// The new version starts on them: Open finds the old layout.
	d = openOn(t, s)
	want := map[regulation.Factor]int{regulation.Password: 2, regulation.SecondFactor: 30, regulation.AppPassword: 67}
	for f, n := range want {
		if st, err := regulation.UnknownState(d, name, f); err != nil || st.Failures != n || st.Others != 99-n {
			t.Errorf("factor %d: %+v (%v), want %d failures and %d others", f, st, err, n, 99-n)
		}
	}
	// The 100th failure, a wrong sign-in, locks the name; it stays
	// locked once the counts are in the slot alone.
	in := &wizard.SignIn{Dir: d, Now: time.Now}
	if _, err := in.Check(name, "wrong-password"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Fatalf("the 100th failure = %v, want ErrBadCredentials", err)
	}
	for _, n := range []string{second, app} {
		if err := s.Root().Del(ldap.NewDelRequest(slotDN(n), nil)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := in.Check(name, "wrong-password"); !errors.Is(err, wizard.ErrLocked) {
		t.Errorf("after 100 failures = %v, want ErrLocked", err)
	}
	if st, err := regulation.UnknownState(d, name, regulation.AppPassword); err != nil || st.Failures != 67 {
		t.Errorf("the slot's app password count: %+v (%v), want 67", st, err)
	}
}

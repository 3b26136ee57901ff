package wizard

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// On a directory that enforces authenticator apps at bind, tries without
// a code at a person with an app and at a name that names nobody read
// alike, however many come quickly: nothing is checked or counted before
// the code (the person's tries once backed off, nobody's didn't).
func TestSignIn_NoCodeTriesReadAlike(t *testing.T) {
	answer := info.ErrWrongPassword
	store := testkit.NewStore(t)
	if err := store.CreateAccount(info.Account{Name: "bob@contoso.example", CodeAtBind: true}); err != nil {
		t.Fatal(err)
	}
	dir := &bindingStore{WorkStore: &testkit.WorkStore{Store: store}, answer: &answer}
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	s := &SignIn{Dir: dir, Now: c.Now, AppAtBind: true, Pass: func(account, typed string, _ time.Time) (bool, error) {
		_, _ = dir.GetPass(account)
		dummyHash(typed)
		return false, nil
	}}
	for _, name := range []string{"bob@contoso.example", "nobody@contoso.example"} {
		for try := 1; try <= 6; try++ {
			if _, err := s.CheckWithCode(name, "guess", ""); !errors.Is(err, ErrCodeRequired) {
				t.Fatalf("%s, try %d without a code: %v, want ErrCodeRequired", name, try, err)
			}
		}
	}
}

// A directory set up before ou=tries (its Bind of a name that names
// nobody answers ErrNoAccount): a name that names nobody is still asked
// for the code, and refused with one as a person with an app is.
func TestSignIn_OlderDirectoryAsksEveryNameForTheCode(t *testing.T) {
	answer := info.ErrNoAccount
	store := testkit.NewStore(t)
	if err := store.CreateAccount(info.Account{Name: "bob@contoso.example", CodeAtBind: true}); err != nil {
		t.Fatal(err)
	}
	dir := &bindingStore{WorkStore: &testkit.WorkStore{Store: store}, answer: &answer}
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	s := &SignIn{Dir: noTries{dir}, Now: c.Now, AppAtBind: true, Pass: func(account, typed string, _ time.Time) (bool, error) {
		return false, nil
	}}
	if _, err := s.CheckWithCode("nobody-old-dir@contoso.example", "guess", ""); !errors.Is(err, ErrCodeRequired) {
		t.Errorf("without a code: %v, want ErrCodeRequired", err)
	}
	if _, err := s.CheckWithCode("nobody-old-dir@contoso.example", "guess", "000000"); !errors.Is(err, ErrBadCredentialsOrCode) {
		t.Errorf("with a code: %v, want ErrBadCredentialsOrCode", err)
	}
}

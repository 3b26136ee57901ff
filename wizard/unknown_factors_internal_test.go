package wizard

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// A person has a count per factor (three wrong sign-ins leave the app
// passwords' count as it is), and so has a name that names nobody: after
// three wrong sign-ins an app password is checked at once for both, not
// made to wait for a name that names nobody only, which would tell which
// names exist.
func TestUnknownName_CountsEachFactorOnItsOwn(t *testing.T) {
	local, _ := openLocal(t)
	const known, unknown = "alice@contoso.example", "nobody@contoso.example"
	if err := local.CreateAccount(info.Account{Name: known, PasswordHash: testkit.CheapHash(t, "correct-horse")}); err != nil {
		t.Fatal(err)
	}
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	s := &SignIn{Dir: local, Now: c.Now}
	got := map[string]error{}
	for _, name := range []string{known, unknown} {
		for range 3 {
			if _, err := s.Check(name, "wrong password"); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("%s: %v", name, err)
			}
		}
		got[name] = apppassword.Verify(local, name, "abcdabcdabcdabcd", c.Now())
	}
	for name, err := range got {
		if !errors.Is(err, apppassword.ErrNoMatch) {
			t.Errorf("%s: an app password after 3 wrong sign-ins: %v, want ErrNoMatch at once", name, err)
		}
	}
}

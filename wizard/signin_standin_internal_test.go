package wizard

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// standIns is a directory whose names that name nobody all answer as
// people with an app (withApp) or all as people without one, and which
// counts how often it is asked.
type standIns struct {
	*bindingStore
	withApp bool
	asked   int
}

func (s *standIns) UnknownCodeAtBind(string) (bool, error) {
	s.asked++
	return s.withApp, nil
}

// Where people's apps are enforced at bind, a name that names nobody and
// answers as a person without an app is refused as such a person is,
// with or without a code typed: the same words, the same bind, reads,
// writes and hashes. How a name answers is asked of every name, a
// person's too, so that what asking costs tells no name from another.
func TestSignIn_UnknownNameAnswersAsAPersonWithoutAnApp(t *testing.T) {
	hashes := countHashes(t)
	answer := info.ErrWrongPassword
	store := testkit.NewStore(t, "bob@contoso.example") // no app: CodeAtBind is false
	dir := &standIns{bindingStore: &bindingStore{WorkStore: &testkit.WorkStore{Store: store}, answer: &answer}}
	s := &SignIn{Dir: dir, Now: time.Now, AppAtBind: true, Pass: func(account, typed string, _ time.Time) (bool, error) {
		_, _ = dir.GetPass(account) // as tap.Verifier: the read, a hash
		dummyHash(typed)
		return false, nil
	}}
	type cost struct {
		work                 testkit.Work
		binds, hashes, asked int
	}
	for _, code := range []string{"", "000000"} {
		var got [2]cost
		for i, name := range []string{"bob@contoso.example", "nobody@contoso.example"} {
			dir.Reset()
			dir.binds, dir.asked, *hashes = 0, 0, 0
			if _, err := s.CheckWithCode(name, "guess", code); !errors.Is(err, ErrBadCredentials) {
				t.Errorf("%s, code %q: %v, want ErrBadCredentials", name, code, err)
			}
			got[i] = cost{dir.Work(), dir.binds, *hashes, dir.asked}
		}
		if got[0] != got[1] {
			t.Errorf("code %q: a person without an app cost %+v, a name that names nobody %+v", code, got[0], got[1])
		}
		if got[1].binds != 1 || got[1].asked != 1 {
			t.Errorf("code %q: a name that names nobody: %+v, want one bind and one ask", code, got[1])
		}
	}

	// Answering as a person with an app, the same name is asked for the
	// code, with nothing bound.
	dir.withApp, dir.binds = true, 0
	if _, err := s.Check("nobody@contoso.example", "guess"); !errors.Is(err, ErrCodeRequired) || dir.binds != 0 {
		t.Errorf("as a person with an app: %v after %d binds, want ErrCodeRequired and none", err, dir.binds)
	}
}

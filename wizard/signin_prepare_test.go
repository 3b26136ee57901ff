package wizard_test

import (
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// shareCounter is a store that counts the asks for how names that name
// nobody answer (the directory counts its people with an app then).
type shareCounter struct {
	info.Store
	asks int
}

func (c *shareCounter) UnknownCodeAtBind(string) (bool, error) {
	c.asks++
	return false, nil
}

// TestSignIn_PrepareCountsAheadWhereUnknownNamesStandIn: Prepare asks the
// store ahead of the first sign-in where names that name nobody answer as
// stand-in people (AppAtBind), so that the first person doesn't wait for
// the directory to count its people; elsewhere it asks nothing.
func TestSignIn_PrepareCountsAheadWhereUnknownNamesStandIn(t *testing.T) {
	for _, tc := range []struct {
		appAtBind bool
		want      int
	}{{true, 1}, {false, 0}} {
		c := &shareCounter{Store: newStore(t)}
		(&wizard.SignIn{Dir: c, AppAtBind: tc.appAtBind}).Prepare()
		if c.asks != tc.want {
			t.Errorf("AppAtBind %v: Prepare asked the store %d time(s), want %d", tc.appAtBind, c.asks, tc.want)
		}
	}
}

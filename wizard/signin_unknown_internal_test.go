package wizard

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
)

// Names typed at sign-in that name no account (often a password typed in
// the wrong field) are kept bounded, never as typed, and dropped by a
// kiosk wipe.
func TestSignIn_UnknownNamesBoundedHiddenAndWiped(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC)
	c := testkit.NewClock(t0)
	pol, err := ParsePolicy("test.toml", []byte("organisation = \"Contoso\"\nmode = \"kiosk\"\nallowed = [\"authenticator-app\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	f := New(Config{Policy: pol, Dir: testkit.NewStore(t), Now: c.Now, Rand: testkit.Seeded(1)})
	s := f.signIn
	for i := range 3 * maxUnknownNames {
		c.Add(time.Second)
		s.countUnknown(fmt.Sprintf("Canary-Pw-%d", i), false, c.Now())
	}
	s.mu.Lock()
	n := len(s.unknown)
	for k := range s.unknown {
		if strings.Contains(strings.ToLower(k), "canary") {
			t.Errorf("a typed name is kept as typed: %q", k)
			break
		}
	}
	s.mu.Unlock()
	if n > maxUnknownNames {
		t.Errorf("%d unknown names kept, want at most %d", n, maxUnknownNames)
	}
	// The latest are the ones kept.
	if st := s.unknownState(fmt.Sprintf("canary-pw-%d", 3*maxUnknownNames-1)); st.Failures != 1 {
		t.Errorf("the latest name's state: %+v", st)
	}

	if err := f.SignIn("Canary-Pw-typed-as-name", "x"); err == nil {
		t.Fatal("an unknown name signed in")
	}
	f.Wipe()
	s.mu.Lock()
	left := len(s.unknown)
	s.mu.Unlock()
	if left != 0 {
		t.Errorf("%d unknown names survived a kiosk wipe", left)
	}
}

// A burst of tries with a name that names no account is gated like one
// with an account: only the tries the back-off allows are counted.
func TestSignIn_UnknownNameBurstIsGated(t *testing.T) {
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	s := &SignIn{Dir: testkit.NewStore(t), Now: c.Now}
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() { defer wg.Done(); s.Check("nobody@contoso.example", "guess") }()
	}
	wg.Wait()
	if st := s.unknownState("nobody@contoso.example"); st.Failures != 3 {
		t.Errorf("40 tries at one instant counted %d failures, want 3", st.Failures)
	}
}

package wizard

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
)

// Names typed at sign-in that name no account are kept bounded, the
// latest kept.
func TestSignIn_UnknownNamesBounded(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC)
	c := testkit.NewClock(t0)
	s := &SignIn{Dir: testkit.NewStore(t), Now: c.Now}
	for i := range 3 * maxUnknownNames {
		c.Add(time.Second)
		s.countUnknown(fmt.Sprintf("Canary-Pw-%d", i), false, c.Now())
	}
	s.mu.Lock()
	n := len(s.unknown)
	s.mu.Unlock()
	if n > maxUnknownNames {
		t.Errorf("%d unknown names kept, want at most %d", n, maxUnknownNames)
	}
	// The latest are the ones kept (it may share its slot with another
	// name: its failure is the latest there).
	if st := s.unknownState(fmt.Sprintf("canary-pw-%d", 3*maxUnknownNames-1)); st.Failures < 1 || !st.Last.Equal(c.Now()) {
		t.Errorf("the latest name's state: %+v", st)
	}
}

// TestSignIn_UnknownNamesCantBeRecovered: what SignIn keeps of a name
// that names no account (often a password typed in the wrong field) can't
// tell it from other candidates, even to someone who reads the memory,
// key and all, before a kiosk wipe and after it; and it is still kept
// after the wipe, so its back-off lasts.
func TestSignIn_UnknownNamesCantBeRecovered(t *testing.T) {
	c := testkit.NewClock(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC))
	pol, err := ParsePolicy("test.toml", []byte("organisation = \"Contoso\"\nmode = \"kiosk\"\nallowed = [\"authenticator-app\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	f := New(Config{Policy: pol, Dir: testkit.NewStore(t), Now: c.Now, Rand: testkit.Seeded(1)})
	s := f.signIn
	// A fixed key, so that the count below is the same at every run; the
	// real key is as random, and the count the same on average.
	s.key = []byte("a fixed key, 32 bytes long......")
	const typed = "Canary-Pw-4711"
	if err := f.SignIn(typed, "x"); err == nil {
		t.Fatal("an unknown name signed in")
	}
	// guesses is what someone reading the memory would try: 2^18 in the
	// typed name's own form (the typed one among them), counted by slot.
	const pool = 1 << 18
	guesses := map[any]int{}
	s.mu.Lock()
	for i := range pool {
		guesses[s.slot("Canary-Pw-"+strconv.Itoa(i))]++
	}
	s.mu.Unlock()
	// sharing checks that the typed name's failure is kept, and counts
	// the guesses that fit where it is; 1 would confirm the typed name.
	sharing := func(when string) {
		t.Helper()
		s.mu.Lock()
		defer s.mu.Unlock()
		if len(s.unknown) != 1 {
			t.Fatalf("%s: %d slots kept, want the typed name's", when, len(s.unknown))
		}
		for k, st := range s.unknown {
			if st.Failures != 1 {
				t.Fatalf("%s: %+v kept, want the typed name's one failure", when, st)
			}
			// 2^18 guesses over 2^16 slots: about 4 each, never 1.
			if n := guesses[k]; n < 2 {
				t.Errorf("%s: %d of %d guesses fit what is kept: it tells the typed name apart", when, n, pool)
			} else {
				t.Logf("%s: %d of %d guesses fit what is kept", when, n, pool)
			}
		}
	}
	sharing("before the wipe")
	f.Wipe()()
	sharing("after the wipe")
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

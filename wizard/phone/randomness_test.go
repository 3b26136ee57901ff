package phone

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// TestNewSetup_DefaultRandomnessIsUnpredictable: without ctx.Rand, a setup
// draws its key and codes from crypto/rand, so two setups never agree (a
// constant seed would make them equal).
func TestNewSetup_DefaultRandomnessIsUnpredictable(t *testing.T) {
	clocks := map[*Setup]*testkit.Clock{}
	start := func() (*Setup, *testkit.Phone) {
		send := &testkit.Phone{}
		c := newClock(t0)
		ws, err := NewSetup(method.Context{Account: testAccount, Dir: testkit.NewStore(t, testAccount), Now: c.Now, Send: send})
		if err != nil {
			t.Fatal(err)
		}
		s := ws.(*Setup)
		clocks[s] = c
		s.SetLimiter(NewLimiter(MaxSendsPerHour, SendWindow))
		if err := s.SetRegion("US"); err != nil {
			t.Fatal(err)
		}
		if err := s.Send(testNumber, method.ChannelSMS); err != nil {
			t.Fatal(err)
		}
		return s, send
	}
	a, sa := start()
	b, sb := start()
	// That the keys differ is sentcode's test.
	// Codes: one pair may agree by chance (1e-6); three pairs in a row
	// may not (1e-18).
	same := 0
	for i := range 3 {
		if i > 0 {
			for _, e := range []*Setup{a, b} {
				clocks[e].Add(time.Hour) // now t0 + i hours
				if err := e.Resend(); err != nil {
					t.Fatal(err)
				}
			}
		}
		if sa.LastCode(t) == sb.LastCode(t) {
			same++
		}
	}
	if same == 3 {
		t.Error("two setups sent the same three codes: the default randomness is not crypto/rand")
	}
}

// TestCodeLifetime_TenMinutes pins the rule as written (10 minutes), not
// as the constant says: a code sent is good until just before 10 minutes
// and refused at 10.
func TestCodeLifetime_TenMinutes(t *testing.T) {
	for _, tc := range []struct {
		after time.Duration
		want  error
	}{
		{10*time.Minute - time.Nanosecond, nil},
		{10 * time.Minute, ErrCodeExpired},
	} {
		e := newEnv(t)
		e.toCode(t)
		e.clock.Add(tc.after)
		if err := e.s.Submit(e.send.LastCode(t)); !errors.Is(err, tc.want) {
			t.Errorf("after %v: %v, want %v", tc.after, err, tc.want)
		}
	}
	if CodeLifetime != 10*time.Minute {
		t.Errorf("CodeLifetime = %v, want 10m", CodeLifetime)
	}
}

package phone

import (
	"bytes"
	crand "crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// chiSquare9At1e10 is the chi-square value with 9 degrees of freedom that
// a fair draw exceeds with probability 1.4e-10 (P(χ²₉ > 64.68) = 1e-9/6;
// 65 is a little further out). Six positions are tested, so a fair code
// generator fails TestNewCode_EveryDigitEquallyLikely with probability
// below 1e-9 (union bound): it never flakes in practice.
const chiSquare9At1e10 = 65.0

// TestNewCode_EveryDigitEquallyLikely draws 20,000 codes from crypto/rand
// and checks, position by position, that each of the ten digits comes up
// as often as chance allows (chi-square, threshold above). A generator
// drawing from fewer values (10^5: the first digit always 0) scores in the
// hundred thousands.
func TestNewCode_EveryDigitEquallyLikely(t *testing.T) {
	const n = 20000
	var counts [CodeDigits][10]int
	for range n {
		c, err := NewCode(crand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != CodeDigits {
			t.Fatalf("code %q is not %d digits", c, CodeDigits)
		}
		for i, d := range []byte(c) {
			if d < '0' || d > '9' {
				t.Fatalf("code %q has a non-digit", c)
			}
			counts[i][d-'0']++
		}
	}
	const want = n / 10.0
	for pos, cs := range counts {
		chi := 0.0
		for _, got := range cs {
			chi += (float64(got) - want) * (float64(got) - want) / want
		}
		if chi > chiSquare9At1e10 {
			t.Errorf("digit %d of the code: chi-square %.1f over %d codes (counts %v), want at most %.0f", pos+1, chi, n, cs, chiSquare9At1e10)
		}
	}
}

// TestNewSetup_DefaultRandomnessIsUnpredictable: without ctx.Rand, a setup
// draws its key and codes from crypto/rand, so two setups never agree (a
// constant seed would make them equal).
func TestNewSetup_DefaultRandomnessIsUnpredictable(t *testing.T) {
	start := func() (*Setup, *testkit.Phone) {
		send := &testkit.Phone{}
		ws, err := NewSetup(method.Context{Account: testAccount, Dir: testkit.NewStore(t, testAccount), Now: newClock(t0).Now, Send: send})
		if err != nil {
			t.Fatal(err)
		}
		s := ws.(*Setup)
		s.limiter = NewLimiter(MaxSendsPerHour, SendWindow)
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
	if bytes.Equal(a.key, b.key) {
		t.Error("two setups made the same key: the default randomness is not crypto/rand")
	}
	// Codes: one pair may agree by chance (1e-6); three pairs in a row
	// may not (1e-18).
	same := 0
	for i := range 3 {
		if i > 0 {
			for _, e := range []*Setup{a, b} {
				e.ctx.Now = newClock(t0.Add(time.Duration(i) * time.Hour)).Now
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

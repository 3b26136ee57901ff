package sentcode

import (
	"bytes"
	crand "crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
)

// t0 is the fixed time tests start from.
var t0 = time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)

func TestNewCode(t *testing.T) {
	// 0xFFFFFFFF is above codeLimit and drawn again; 0x00000007 gives
	// "000007" (leading zeros kept).
	r := bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 7})
	if c, err := NewCode(r); err != nil || c != "000007" {
		t.Fatalf("NewCode = %q, %v", c, err)
	}
	if _, err := NewCode(bytes.NewReader([]byte{1, 2})); err == nil {
		t.Fatal("a short read gave a code")
	}
	seen := map[string]bool{}
	rd := testkit.Seeded(3)
	for i := 0; i < 1000; i++ {
		c, err := NewCode(rd)
		if err != nil || len(c) != CodeDigits || strings.Trim(c, "0123456789") != "" {
			t.Fatalf("code %q, %v", c, err)
		}
		seen[c] = true
	}
	if len(seen) < 990 {
		t.Fatalf("only %d distinct codes in 1000", len(seen))
	}
}

func TestNormaliseCode(t *testing.T) {
	for in, want := range map[string]string{
		"123456":    "123456",
		" 123 456 ": "123456",
		"123-456":   "123456",
		"１２３４５６":    "123456",
		"١٢٣٤٥٦":    "123456",
	} {
		if got, err := NormaliseCode(in); err != nil || got != want {
			t.Errorf("NormaliseCode(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "12345", "1234567", "12345a", "123.456", "१२३४५६", "+123456"} {
		if _, err := NormaliseCode(in); !errors.Is(err, ErrCodeFormat) {
			t.Errorf("NormaliseCode(%q): %v", in, err)
		}
	}
}

func TestCooldown(t *testing.T) {
	for k, want := range map[int]time.Duration{0: 0, 1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute,
		4: 4 * time.Minute, 5: 8 * time.Minute, 8: MaxCooldown, 1000: MaxCooldown} {
		if got := Cooldown(k); got != want {
			t.Errorf("Cooldown(%d) = %v, want %v", k, got, want)
		}
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(2, time.Hour)
	cancel1, err := l.Reserve("+1", "alice@contoso.example", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Reserve("+1", "alice@contoso.example", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	_, err = l.Reserve("+1", "alice@contoso.example", t0.Add(2*time.Minute))
	var le *LimitError
	if !errors.As(err, &le) || le.Wait != 58*time.Minute {
		t.Fatalf("third: %v", err)
	}
	if _, err := l.Reserve("+2", "alice@contoso.example", t0.Add(2*time.Minute)); err != nil {
		t.Fatalf("another number: %v", err)
	}
	cancel1()
	cancel1() // twice is harmless
	if n := l.Count("+1", t0.Add(2*time.Minute)); n != 1 {
		t.Fatalf("count after cancel %d", n)
	}
	if _, err := l.Reserve("+1", "alice@contoso.example", t0.Add(3*time.Minute)); err != nil {
		t.Fatalf("after cancel: %v", err)
	}
	if n := l.Count("+1", t0.Add(61*time.Minute)); n != 1 {
		t.Fatalf("count after the window %d", n)
	}
	if n := l.Count("+1", t0.Add(3*time.Hour)); n != 0 || len(l.sends) != 0 {
		t.Fatalf("old sends not forgotten: %d, %d numbers", n, len(l.sends))
	}
	if got := (&LimitError{Wait: 30 * time.Second}).Error(); got != "this number has had 5 codes in the last hour: try again in 1 minute, or choose a different method" {
		t.Fatal(got)
	}
}

func TestCooldown_StartingOverDoesNotSkipIt(t *testing.T) {
	lim := NewLimiter(MaxSendsPerHour, SendWindow)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if _, err := lim.Reserve("+12015550123", "alice@contoso.example", now); err != nil {
		t.Fatal(err)
	}
	if got := lim.CooldownLeft("+12015550123", now.Add(10*time.Second)); got != 20*time.Second {
		t.Errorf("after one send: %v left, want 20s", got)
	}
	lim.Reserve("+12015550123", "alice@contoso.example", now.Add(30*time.Second))
	if got := lim.CooldownLeft("+12015550123", now.Add(30*time.Second)); got != time.Minute {
		t.Errorf("after two sends: %v left, want 1m (doubled)", got)
	}
	if got := lim.CooldownLeft("+442079460018", now); got != 0 {
		t.Errorf("another number waits %v", got)
	}
}

// One account typing number after number can't pump texts: the account's
// cap stops it whatever the numbers, and the station's cap stops many
// accounts together; a failed send gives its reservations back.
func TestLimiter_AccountAndStationCaps(t *testing.T) {
	l := NewLimiter(MaxSendsPerHour, SendWindow)
	sent := 0
	for i := 0; i < 200; i++ {
		if _, err := l.Reserve(fmt.Sprintf("+1201555%04d", i), "mallory@contoso.example", t0.Add(time.Duration(i)*time.Second)); err == nil {
			sent++
		} else if !errors.Is(err, ErrAccountSends) || !errors.Is(err, ErrTooManySends) {
			t.Fatalf("send %d: %v, want the account's cap", i, err)
		}
	}
	if sent != MaxSendsPerAccount {
		t.Errorf("one account sent %d codes to 200 numbers in 200 s, want %d", sent, MaxSendsPerAccount)
	}
	if _, err := l.Reserve("+447400123456", "mallory@contoso.example", t0.Add(SendWindow+time.Minute)); err != nil {
		t.Errorf("an hour later: %v", err)
	}

	l = NewLimiter(MaxSendsPerHour, SendWindow)
	sent = 0
	for i := 0; i < 3*MaxSendsPerStation; i++ {
		if _, err := l.Reserve(fmt.Sprintf("+1201555%04d", i), fmt.Sprintf("user%d@contoso.example", i), t0); err == nil {
			sent++
		} else if !errors.Is(err, ErrStationSends) {
			t.Fatalf("send %d: %v, want the station's cap", i, err)
		}
	}
	if sent != MaxSendsPerStation {
		t.Errorf("the station sent %d codes in a minute, want %d", sent, MaxSendsPerStation)
	}

	l = NewLimiter(MaxSendsPerHour, SendWindow)
	for i := 0; i < 2*MaxSendsPerAccount; i++ {
		cancel, err := l.Reserve(fmt.Sprintf("+1201555%04d", i), "alice@contoso.example", t0)
		if err != nil {
			t.Fatalf("send %d after failed ones: %v (a failed send must give its place back)", i, err)
		}
		cancel() // the send failed
	}
}

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

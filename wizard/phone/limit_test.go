package phone

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// sendTimes are the five fastest sends to one number: 0, then each after
// its cooldown (30, 60, 120, 240 s).
var sendTimes = []time.Duration{0, 30 * time.Second, 90 * time.Second, 210 * time.Second, 450 * time.Second}

func TestSetup_FivePerHourPerSetup(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	for _, at := range sendTimes[1:] {
		e.clock.Add(at - e.clock.Now().Sub(t0))
		if err := e.s.Resend(); err != nil {
			t.Fatalf("send at %v: %v", at, err)
		}
	}
	e.clock.Add(450*time.Second + 480*time.Second - e.clock.Now().Sub(t0)) // cooldown over
	err := e.s.Resend()
	var le *LimitError
	if !errors.As(err, &le) || !errors.Is(err, ErrTooManySends) || le.Wait != time.Hour-930*time.Second {
		t.Fatalf("sixth send: %v", err)
	}
	if err.Error() != "this number has had 5 codes in the last hour: try again in 45 minutes, or choose a different method" {
		t.Fatalf("text %q", err)
	}
	if e.send.Attempts() != 5 {
		t.Fatalf("%d sends", e.send.Attempts())
	}
	// The limit is on this Setup too, not only the shared limiter.
	e.s.limiter = NewLimiter(MaxSendsPerHour, SendWindow)
	if err := e.s.Resend(); !errors.Is(err, ErrTooManySends) {
		t.Fatalf("sixth send with a fresh shared limiter: %v", err)
	}
	// Another number is not limited.
	e.s.ChangeNumber()
	if err := e.s.Send("+1 212 555 0199", method.ChannelSMS); err != nil {
		t.Fatal(err)
	}
	// An hour after the first send, one more may go.
	e.s.ChangeNumber()
	e.clock.Add(time.Hour - e.clock.Now().Sub(t0))
	if err := e.s.Send(testNumber, method.ChannelSMS); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
}

// Two Setups sharing a limiter (as all do through SharedLimiter) count the
// same number's sends together.
func TestSetup_FivePerHourAcrossSetups(t *testing.T) {
	e := newEnv(t)
	other := e.start(t)
	shared := NewLimiter(MaxSendsPerHour, SendWindow)
	e.s.limiter, other.limiter = shared, shared
	for i := 0; i < 3; i++ {
		e.clock.Add(10 * time.Minute)
		e.s.ChangeNumber()
		if err := e.s.Send(testNumber, method.ChannelSMS); err != nil {
			t.Fatalf("setup 1 send %d: %v", i+1, err)
		}
	}
	for i := 0; i < 2; i++ {
		e.clock.Add(10 * time.Minute)
		other.ChangeNumber()
		if err := other.Send(testNumber, method.ChannelSMS); err != nil {
			t.Fatalf("setup 2 send %d: %v", i+1, err)
		}
	}
	if n := shared.Count(testE164, e.clock.Now()); n != 5 {
		t.Fatalf("shared count %d", n)
	}
	e.clock.Add(10 * time.Minute) // 60 min after the start, 50 after the first send
	other.ChangeNumber()
	err := other.Send(testNumber, method.ChannelSMS)
	var le *LimitError
	if !errors.As(err, &le) || le.Wait != 10*time.Minute {
		t.Fatalf("sixth send across setups: %v", err)
	}
	e.clock.Add(le.Wait)
	if err := other.Send(testNumber, method.ChannelSMS); err != nil {
		t.Fatalf("after the wait: %v", err)
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

func TestCooldown_ANewSetupForTheSameNumberWaits(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	again := e.start(t)
	again.limiter = e.s.limiter // both in one process, as in the app
	err := again.Send(testNumber, method.ChannelSMS)
	var cd *CooldownError
	if !errors.As(err, &cd) || cd.Wait != FirstCooldown {
		t.Fatalf("a fresh setup sending at once: %v, want a %v cooldown", err, FirstCooldown)
	}
	if e.send.Count() != 1 {
		t.Errorf("%d codes sent", e.send.Count())
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

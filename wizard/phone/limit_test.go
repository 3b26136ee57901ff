package phone

import (
	"errors"
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
	e.s.SetLimiter(NewLimiter(MaxSendsPerHour, SendWindow))
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
	e.s.SetLimiter(shared)
	other.SetLimiter(shared)
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

func TestCooldown_ANewSetupForTheSameNumberWaits(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	again := e.start(t)
	again.SetLimiter(e.s.Limiter()) // both in one process, as in the app
	err := again.Send(testNumber, method.ChannelSMS)
	var cd *CooldownError
	if !errors.As(err, &cd) || cd.Wait != FirstCooldown {
		t.Fatalf("a fresh setup sending at once: %v, want a %v cooldown", err, FirstCooldown)
	}
	if e.send.Count() != 1 {
		t.Errorf("%d codes sent", e.send.Count())
	}
}

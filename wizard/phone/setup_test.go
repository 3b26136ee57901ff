package phone

import (
	"context"
	"encoding/hex"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

func TestNewSetup(t *testing.T) {
	e := newEnv(t)
	s := e.s
	if s.Kind() != info.KindPhone || s.Screen() != ScreenNumber || s.Done() {
		t.Fatalf("start: kind %s screen %s", s.Kind(), s.Screen())
	}
	if s.Limiter() == nil {
		t.Fatal("no limiter")
	}
	if s.Back() {
		t.Fatal("Back on the number screen must return false")
	}
	if err := s.Submit("123456"); !errors.Is(err, ErrWrongScreen) {
		t.Fatalf("Submit on the number screen: %v", err)
	}
	if err := s.Resend(); !errors.Is(err, ErrWrongScreen) {
		t.Fatalf("Resend on the number screen: %v", err)
	}
	if err := s.Send(testNumber, method.ChannelEmail); !errors.Is(err, ErrChannel) {
		t.Fatalf("Send by email: %v", err)
	}
	if s.Masked() != "" || s.Number() != "" || s.CooldownLeft() != 0 || s.AttemptsLeft() != 0 {
		t.Fatal("a number before any send")
	}

	ctx := e.ctx
	ctx.Send = nil
	if _, err := NewSetup(ctx); !errors.Is(err, ErrNoDelivery) {
		t.Fatalf("no sender: %v", err)
	}
	// By default a Setup counts its sends in the shared limiter.
	fresh, err := NewSetup(e.ctx)
	if err != nil || fresh.(*Setup).Limiter() != SharedLimiter {
		t.Fatalf("fresh setup: %v, shares the limiter %v", err, fresh.(*Setup).Limiter() == SharedLimiter)
	}
	// One phone per account.
	if err := e.dir.AddMethod(testAccount, info.Method{ID: "p1", Kind: info.KindPhone}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = NewSetup(e.ctx)
	if !errors.Is(err, ErrPhoneExists) || err.Error() != "you already have a phone registered: to use another number, ask your helpdesk to remove the old one" {
		t.Fatalf("second phone: %v", err)
	}
}

func TestSetup_SMSRegistersOnlyAfterVerify(t *testing.T) {
	e := newEnv(t)
	s := e.s
	e.toCode(t)
	m := e.send.Last(t)
	code := e.send.LastCode(t)
	if m.To != testE164 || m.Channel != method.ChannelSMS ||
		m.Text != "Use verification code "+code+" for Contoso security info registration." {
		t.Fatalf("message %+v", m)
	}
	if e.send.Deadline() <= 9*time.Second || e.send.Deadline() > SendTimeout {
		t.Fatalf("send deadline %v, want 10 s", e.send.Deadline())
	}
	if s.SentText() != "We just sent a 6 digit code to +1 ••• ••• 0123. Enter the code below." {
		t.Fatalf("SentText %q", s.SentText())
	}
	if s.Masked() != testMasked || s.Number() != testE164 || s.Channel() != method.ChannelSMS ||
		s.AttemptsLeft() != MaxAttempts || !s.Expires().Equal(t0.Add(CodeLifetime)) {
		t.Fatalf("after send: %q %q %s %d %v", s.Masked(), s.Number(), s.Channel(), s.AttemptsLeft(), s.Expires())
	}
	err := s.Submit(wrong(code))
	var wc *WrongCodeError
	if !errors.Is(err, ErrWrongCode) || !errors.As(err, &wc) || wc.Left != 4 ||
		err.Error() != "that code isn't right: check it and try again (4 tries left)" {
		t.Fatalf("wrong code: %v", err)
	}
	if e.dir.Adds() != 0 || len(e.stored(t)) != 0 {
		t.Fatal("the phone was stored before its code verified")
	}
	e.clock.Add(time.Minute)
	if err := s.Submit(code[:3] + " " + code[3:]); err != nil {
		t.Fatalf("right code: %v", err)
	}
	if !s.Done() || s.Screen() != ScreenDone || s.DoneText() != "SMS verified. Your phone was registered successfully." {
		t.Fatalf("after success: done %v screen %s %q", s.Done(), s.Screen(), s.DoneText())
	}
	ms := e.stored(t)
	if len(ms) != 1 || e.dir.Adds() != 1 || e.dir.SecretCount() != 0 {
		t.Fatalf("stored %d methods in %d calls, %d secrets", len(ms), e.dir.Adds(), e.dir.SecretCount())
	}
	got := ms[0]
	if _, err := hex.DecodeString(got.ID); err != nil || len(got.ID) != 32 {
		t.Errorf("method id %q", got.ID)
	}
	if got.Kind != info.KindPhone || got.Label != testMasked || !got.Created.Equal(t0.Add(time.Minute)) ||
		got.HasSecret || got.Phone != testE164 || got.Channel != "sms" {
		t.Fatalf("stored %+v", got)
	}
	// The code is spent: the setup is done and holds no code (that the key
	// is zeroed is sentcode's test).
	if err := s.Submit(code); !errors.Is(err, ErrWrongScreen) || s.AttemptsLeft() != 0 {
		t.Fatalf("second Submit: %v; code with %d tries", err, s.AttemptsLeft())
	}
	if s.Back() || s.Resend() == nil {
		t.Fatal("Back or Resend after done")
	}
}

func TestSetup_Voice(t *testing.T) {
	e := newEnv(t)
	if err := e.s.Send("+44 7400 123456", method.ChannelVoice); err != nil {
		t.Fatal(err)
	}
	m := e.send.Last(t)
	code := e.send.LastCode(t)
	spoken := strings.Join(strings.Split(code, ""), ", ")
	want := "Hello. Your Contoso verification code is " + spoken + ". Again, your code is " + spoken + "."
	if m.Channel != method.ChannelVoice || m.To != "+447400123456" || m.Text != want {
		t.Fatalf("call %+v; want text %q", m, want)
	}
	if strings.Count(m.Text, spoken) != 2 {
		t.Fatalf("the call does not say the code twice: %q", m.Text)
	}
	if e.s.SentText() != "We're calling +44 ••• ••• 3456 now. Enter the code you hear below." {
		t.Fatalf("SentText %q", e.s.SentText())
	}
	if err := e.s.Submit(code); err != nil {
		t.Fatal(err)
	}
	if e.s.DoneText() != "Call answered. Your phone was registered successfully." {
		t.Fatalf("DoneText %q", e.s.DoneText())
	}
	if ms := e.stored(t); len(ms) != 1 || ms[0].Channel != "voice" || ms[0].Label != "+44 ••• ••• 3456" ||
		ms[0].Phone != "+447400123456" {
		t.Fatalf("stored %+v", ms)
	}
}

func TestSetup_RefusedNumberSendsNothing(t *testing.T) {
	e := newEnv(t)
	for in, want := range map[string]error{
		"+1 900 234 5678":  ErrNumberPremium,
		"+44 909 879 0000": ErrNumberPremium,
		"1-800-FLOWERS":    ErrNumberLetters,
		"555 0123":         ErrNumberTooShort,
		"+1 099 555 0123":  ErrNumberInvalid,
		"":                 ErrNumberEmpty,
	} {
		if err := e.s.Send(in, method.ChannelSMS); !errors.Is(err, want) {
			t.Errorf("Send(%q): %v, want %v", in, err, want)
		}
	}
	if e.send.Attempts() != 0 || e.s.Screen() != ScreenNumber || e.s.Limiter().Count("+19002345678", t0) != 0 {
		t.Fatalf("%d sends for refused numbers", e.send.Attempts())
	}
}

func TestSetup_CodeExpires(t *testing.T) {
	for _, tc := range []struct {
		after time.Duration
		want  error
	}{
		{CodeLifetime - time.Second, nil},
		{CodeLifetime, ErrCodeExpired},
		{time.Hour, ErrCodeExpired},
	} {
		e := newEnv(t)
		e.toCode(t)
		code := e.send.LastCode(t)
		e.clock.Add(tc.after)
		if err := e.s.Submit(code); !errors.Is(err, tc.want) {
			t.Fatalf("after %v: %v, want %v", tc.after, err, tc.want)
		}
		if tc.want == nil {
			continue
		}
		// Still expired, even with the right code; nothing stored.
		if err := e.s.Submit(code); !errors.Is(err, ErrCodeExpired) || len(e.stored(t)) != 0 || e.s.AttemptsLeft() != 0 {
			t.Fatalf("again after expiry: %v", err)
		}
		// A resend gives a fresh 10 minutes.
		if err := e.s.Resend(); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(CodeLifetime - time.Second)
		if err := e.s.Submit(e.send.LastCode(t)); err != nil {
			t.Fatalf("fresh code: %v", err)
		}
	}
}

func TestSetup_ResendInvalidatesOld(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	old := e.send.LastCode(t)
	e.clock.Add(FirstCooldown)
	if err := e.s.Resend(); err != nil {
		t.Fatal(err)
	}
	code := e.send.LastCode(t)
	if code == old {
		t.Skip("seeded codes happen to be equal")
	}
	if err := e.s.Submit(old); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("old code after resend: %v", err)
	}
	if err := e.s.Submit(code); err != nil {
		t.Fatalf("new code: %v", err)
	}
}

// The code is bound to the number it was sent to: after Change number the
// first number's code does nothing for the second.
func TestSetup_CodeBoundToNumber(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	first := e.send.LastCode(t)
	e.s.ChangeNumber()
	if e.s.Screen() != ScreenNumber || e.s.AttemptsLeft() != 0 {
		t.Fatal("Change number kept the code")
	}
	if err := e.s.Send("+1 212 555 0199", method.ChannelSMS); err != nil {
		t.Fatal(err)
	}
	second := e.send.LastCode(t)
	if first == second {
		t.Skip("seeded codes happen to be equal")
	}
	if err := e.s.Submit(first); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("first number's code: %v", err)
	}
	// That even a MAC made for the right code but another number fails is
	// sentcode's test.
	if err := e.s.Submit(second); err != nil {
		t.Fatal(err)
	}
	if ms := e.stored(t); ms[0].Phone != "+12125550199" {
		t.Fatalf("stored %+v", ms[0])
	}
}

func TestSetup_FiveWrongEndTheCode(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	code := e.send.LastCode(t)
	for _, bad := range []string{"12345", "12a456", "1234567", ""} {
		if err := e.s.Submit(bad); !errors.Is(err, ErrCodeFormat) {
			t.Fatalf("Submit(%q): %v", bad, err)
		}
	}
	if e.s.AttemptsLeft() != MaxAttempts {
		t.Fatal("badly formed codes counted as attempts")
	}
	for left := MaxAttempts - 1; left >= 1; left-- {
		var wc *WrongCodeError
		if err := e.s.Submit(wrong(code)); !errors.As(err, &wc) || wc.Left != left || e.s.AttemptsLeft() != left {
			t.Fatalf("wrong code, %d left: %v", left, err)
		}
	}
	if err := e.s.Submit(wrong(code)); !errors.Is(err, ErrCodeUsedUp) || errors.Is(err, ErrWrongCode) {
		t.Fatalf("fifth wrong code: %v", err)
	}
	if err := e.s.Submit(code); !errors.Is(err, ErrCodeUsedUp) {
		t.Fatalf("right code after five wrong: %v", err)
	}
	if e.s.AttemptsLeft() != 0 || len(e.stored(t)) != 0 {
		t.Fatal("the code survived five wrong entries")
	}
	// The person must resend (after the cooldown).
	if err := e.s.Resend(); !errors.Is(err, ErrCooldown) {
		t.Fatalf("immediate resend: %v", err)
	}
	e.clock.Add(FirstCooldown)
	if err := e.s.Resend(); err != nil {
		t.Fatal(err)
	}
	if e.s.AttemptsLeft() != MaxAttempts {
		t.Fatal("a new code without fresh attempts")
	}
	if err := e.s.Submit(e.send.LastCode(t)); err != nil {
		t.Fatal(err)
	}
}

func TestSetup_CooldownDoubles(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	elapsed := time.Duration(0)
	for i, wait := range []time.Duration{30 * time.Second, 60 * time.Second, 120 * time.Second, 240 * time.Second} {
		if got := e.s.CooldownLeft(); got != wait {
			t.Fatalf("send %d: cooldown %v, want %v", i+1, got, wait)
		}
		e.clock.Add(wait - time.Second)
		elapsed += wait
		err := e.s.Resend()
		var ce *CooldownError
		if !errors.As(err, &ce) || !errors.Is(err, ErrCooldown) || ce.Wait != time.Second ||
			err.Error() != "wait a second before asking for another code" {
			t.Fatalf("resend 1 s early after send %d: %v", i+1, err)
		}
		if e.s.CooldownLeft() != time.Second {
			t.Fatalf("countdown %v", e.s.CooldownLeft())
		}
		e.clock.Add(time.Second)
		if err := e.s.Resend(); err != nil {
			t.Fatalf("resend on time after send %d: %v", i+1, err)
		}
	}
	if e.send.Count() != 5 {
		t.Fatalf("%d sends", e.send.Count())
	}
	if got := (&CooldownError{Wait: 90 * time.Second}).Error(); got != "wait 1 minute 30 seconds before asking for another code" {
		t.Fatal(got)
	}
}

// Change number and back to the same number does not skip the cooldown; a
// different number has none.
func TestSetup_CooldownPerNumber(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	e.s.ChangeNumber()
	if err := e.s.Send(testNumber, method.ChannelVoice); !errors.Is(err, ErrCooldown) {
		t.Fatalf("same number again: %v", err)
	}
	if err := e.s.Send("+1 212 555 0199", method.ChannelSMS); err != nil {
		t.Fatalf("another number: %v", err)
	}
}

func TestSetup_FailedSend(t *testing.T) {
	e := newEnv(t)
	e.send.SetFail(errProvider)
	err := e.s.Send(testNumber, method.ChannelSMS)
	var se *SendError
	if !errors.Is(err, ErrSendFailed) || !errors.Is(err, errProvider) || !errors.As(err, &se) {
		t.Fatalf("failed send: %v", err)
	}
	if err.Error() != "we couldn't send the code: try again, or choose a different method (provider said no)" {
		t.Fatalf("failed send text %q", err)
	}
	// That the setup's own count is not kept either is sentcode's test.
	if e.s.Screen() != ScreenNumber || e.s.AttemptsLeft() != 0 || e.s.CooldownLeft() != 0 ||
		e.s.Limiter().Count(testE164, t0) != 0 {
		t.Fatal("a failed send left a code, a cooldown or a count")
	}
	// Try again at once.
	e.send.SetFail(nil)
	e.toCode(t)
	first := e.send.LastCode(t)

	// A failed resend: the old code stops working, the new one never
	// worked, no cooldown starts.
	e.clock.Add(FirstCooldown)
	e.send.SetFail(errProvider)
	if err := e.s.Resend(); !errors.Is(err, ErrSendFailed) {
		t.Fatalf("failed resend: %v", err)
	}
	failed := e.send.LastTried(t)
	for _, c := range []string{first, failed} {
		if err := e.s.Submit(c); !errors.Is(err, ErrNoCode) {
			t.Fatalf("Submit(%s) after a failed resend: %v", c, err)
		}
	}
	if e.s.Screen() != ScreenCode || e.s.CooldownLeft() != 0 || e.s.Limiter().Count(testE164, e.clock.Now()) != 1 {
		t.Fatalf("after failed resend: screen %s cooldown %v", e.s.Screen(), e.s.CooldownLeft())
	}
	e.send.SetFail(nil)
	if err := e.s.Resend(); err != nil {
		t.Fatalf("resend after failure: %v", err)
	}
	if e.s.CooldownLeft() != 60*time.Second {
		t.Fatalf("cooldown %v after the second successful send, want 60 s", e.s.CooldownLeft())
	}
	if err := e.s.Submit(e.send.LastCode(t)); err != nil {
		t.Fatal(err)
	}
}

// A sender that puts the message into its error does not reveal the code.
func TestSetup_FailedSendHidesCode(t *testing.T) {
	e := newEnv(t)
	e.s = e.startWith(t, leakySender{})
	err := e.s.Send(testNumber, method.ChannelSMS)
	if !errors.Is(err, ErrSendFailed) || regexp.MustCompile(`\d{6}`).MatchString(err.Error()) {
		t.Fatalf("error %q", err)
	}
}

type leakySender struct{}

func (leakySender) Send(_ context.Context, m method.Message) error {
	return errors.New("rejected: " + m.Text)
}

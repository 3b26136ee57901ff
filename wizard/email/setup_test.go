package email

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/words"
)

func TestParseAddress(t *testing.T) {
	for typed, want := range map[string]string{
		testTyped:                          testAddr,
		"bob@example.com":                  "bob@example.com",
		"o'brien_x-y{z}@sub.example.co.uk": "o'brien_x-y{z}@sub.example.co.uk",
		"carl@Bücher.Example":              "carl@xn--bcher-kva.example",
		"dana@example.com.":                "dana@example.com",
	} {
		a, err := ParseAddress(typed)
		if err != nil || a.Addr != want {
			t.Errorf("ParseAddress(%q) = %+v, %v; want %q", typed, a, err, want)
		}
	}
	if _, err := ParseAddress("  "); !errors.Is(err, ErrAddressEmpty) {
		t.Errorf("empty: %v", err)
	}
	for _, typed := range []string{"alice", "@example.com", "alice@", "alice@localhost", "alice@@example.com",
		"al ice@example.com", ".alice@example.com", "al..ice@example.com", "alice.@example.com", "\"al ice\"@example.com",
		"Alice <alice@example.com>", "alice@[10.0.0.1]", "alice@10.0.0.1", "alice@exa mple.com", "élise@example.com",
		"alice@-example.com", strings.Repeat("a", 65) + "@example.com", "alice@" + strings.Repeat("a.", 130) + "com",
		"alice@example.com\nBcc: eve@example.com", "alice@exam\u200bple.com"} {
		if a, err := ParseAddress(typed); !errors.Is(err, ErrAddressInvalid) {
			t.Errorf("ParseAddress(%q) = %+v, %v; want ErrAddressInvalid", typed, a, err)
		}
	}
	for addr, want := range map[string]string{
		testAddr:                     testMasked,
		"b@example.com":              "b•••@example.com",
		"carl@xn--bcher-kva.example": "c•••@bücher.example",
		"nonsense":                   "•••",
	} {
		if got := Mask(addr); got != want {
			t.Errorf("Mask(%q) = %q, want %q", addr, got, want)
		}
	}
	a, _ := ParseAddress("bob@Mail.Contoso.Example")
	var re *RefusedError
	if err := a.Refused([]string{"contoso.example"}); !errors.As(err, &re) || re.Domain != "contoso.example" || !errors.Is(err, ErrAddressRefused) {
		t.Errorf("a subdomain of a refused domain: %v", err)
	}
	a, _ = ParseAddress("bob@notcontoso.example")
	if err := a.Refused([]string{"contoso.example"}); err != nil {
		t.Errorf("a domain that only ends like a refused one: %v", err)
	}
}

func TestSetup_SendAndRegister(t *testing.T) {
	e := newEnv(t)
	s := e.setup(t)
	if s.Screen() != ScreenAddress || s.CanBack() {
		t.Fatalf("starts on %s", s.Screen())
	}
	if err := s.Send(testTyped); err != nil {
		t.Fatal(err)
	}
	m := e.box.Last(t)
	code := e.box.LastCode(t)
	if m.To != testAddr || m.Channel != method.ChannelEmail || m.Subject != "Your Contoso verification code" || strings.Contains(m.Subject, code) {
		t.Fatalf("sent %+v", m)
	}
	if !strings.HasPrefix(m.Text, "Use verification code "+code+" for Contoso security info registration.") {
		t.Errorf("text %q", m.Text)
	}
	if s.Screen() != ScreenCode || s.SentText() != "We just sent a 6 digit code to "+testMasked+". Enter the code below." || !s.CanBack() {
		t.Fatalf("screen %s, %q", s.Screen(), s.SentText())
	}
	if len(e.stored(t)) != 0 {
		t.Fatal("stored before the code was entered")
	}
	var wce *WrongCodeError
	if err := s.Submit(wrong(code)); !errors.As(err, &wce) || wce.Left != 4 || s.AttemptsLeft() != 4 {
		t.Fatalf("wrong code: %v", err)
	}
	if err := s.Submit("12345"); !errors.Is(err, ErrCodeFormat) || s.AttemptsLeft() != 4 {
		t.Fatalf("5 digits: %v (counted: %d left)", err, s.AttemptsLeft())
	}
	if err := s.Submit(code[:3] + " " + code[3:]); err != nil {
		t.Fatal(err)
	}
	if !s.Done() || s.Screen() != ScreenDone || s.CanBack() || s.Back() {
		t.Fatal("not done")
	}
	ms := e.stored(t)
	if len(ms) != 1 || ms[0].Kind != info.KindEmail || ms[0].Email != testAddr || ms[0].Label != testMasked || ms[0].HasSecret {
		t.Fatalf("stored %+v", ms)
	}
	if _, err := Factory(e.cfg)(e.ctx(1)); !errors.Is(err, ErrEmailExists) {
		t.Errorf("a second email: %v", err)
	}
}

func TestSetup_RefusedAndInvalidSendNothing(t *testing.T) {
	e := newEnv(t)
	s := e.setup(t)
	for typed, want := range map[string]error{
		"bob@contoso.example":    ErrAddressRefused,
		"bob@HR.Contoso.Example": ErrAddressRefused,
		"bob":                    ErrAddressInvalid,
		"":                       ErrAddressEmpty,
	} {
		err := s.Send(typed)
		if !errors.Is(err, want) {
			t.Errorf("Send(%q) = %v, want %v", typed, err, want)
		}
		if w, ok := words.Of(err); !ok || w == "" {
			t.Errorf("Send(%q): no words for the person", typed)
		}
	}
	var re *RefusedError
	if err := s.Send("bob@contoso.example"); !errors.As(err, &re) || !strings.Contains(re.Words(), "contoso.example") {
		t.Errorf("refused: %v", err)
	}
	if e.box.Attempts() != 0 || s.Screen() != ScreenAddress {
		t.Errorf("%d sends, screen %s", e.box.Attempts(), s.Screen())
	}
}

func TestSetup_CodeRules(t *testing.T) {
	e := newEnv(t)
	s := e.setup(t)
	if err := s.Send(testTyped); err != nil {
		t.Fatal(err)
	}
	first := e.box.LastCode(t)

	// The resend waits 30 s, then 60 s, counted from the last send.
	if err := s.Resend(); !errors.Is(err, ErrCooldown) || s.CooldownLeft() != 30*time.Second {
		t.Fatalf("resend at once: %v, %v left", err, s.CooldownLeft())
	}
	e.clock.Add(30 * time.Second)
	if err := s.Resend(); err != nil {
		t.Fatal(err)
	}
	second := e.box.LastCode(t)
	if s.CooldownLeft() != time.Minute {
		t.Errorf("cooldown after the second send %v", s.CooldownLeft())
	}
	// The resend replaced the first code.
	if first != second {
		if err := s.Submit(first); !errors.Is(err, ErrWrongCode) {
			t.Errorf("the replaced code: %v", err)
		}
	}

	// A code works for 10 minutes.
	e.clock.Add(CodeLifetime)
	if err := s.Submit(second); !errors.Is(err, ErrCodeExpired) {
		t.Fatalf("after 10 minutes: %v", err)
	}
	if err := s.Submit(second); !errors.Is(err, ErrCodeExpired) {
		t.Errorf("the expired code again: %v", err)
	}

	// 5 wrong codes end one.
	if err := s.Resend(); err != nil {
		t.Fatal(err)
	}
	third := e.box.LastCode(t)
	for i := 1; i < MaxAttempts; i++ {
		if err := s.Submit(wrong(third)); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	if err := s.Submit(wrong(third)); !errors.Is(err, ErrCodeUsedUp) {
		t.Fatalf("fifth wrong code: %v", err)
	}
	if err := s.Submit(third); !errors.Is(err, ErrCodeUsedUp) || len(e.stored(t)) != 0 {
		t.Fatalf("the right code after the fifth wrong one: %v", err)
	}
}

func TestSetup_SendCapAndFailures(t *testing.T) {
	e := newEnv(t)
	s := e.setup(t)
	// A failed send: no code, no wait, not counted; the text is kept from the error.
	e.box.SetFail(errors.New("relay said no to the message"))
	err := s.Send(testTyped)
	var se *SendError
	if !errors.As(err, &se) || !errors.Is(err, delivery.ErrDeliveryFailed) || s.Screen() != ScreenAddress {
		t.Fatalf("failed send: %v, screen %s", err, s.Screen())
	}
	if e.limiter.Count(testAddr, e.clock.Now()) != 0 {
		t.Error("a failed send was counted")
	}
	e.box.SetFail(nil)
	for i := 0; i < MaxSendsPerHour; i++ {
		var err error
		if i == 0 {
			err = s.Send(testTyped)
		} else {
			err = s.Resend()
		}
		if err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
		e.clock.Add(MaxCooldown / 8)
	}
	// Change email and back to the same address: the cap holds, and so does a new Setup's.
	s.ChangeAddress()
	if s.Screen() != ScreenAddress || s.Typed() != strings.TrimSpace(testTyped) {
		t.Fatalf("after Change email: %s, %q", s.Screen(), s.Typed())
	}
	var le *LimitError
	if err := s.Send(testAddr); !errors.As(err, &le) || !errors.Is(err, ErrTooManySends) || !strings.Contains(le.Words(), "This address has had 5 codes") {
		t.Fatalf("sixth send within the hour: %v", err)
	}
	if err := e.setup(t).Send(testAddr); !errors.Is(err, ErrTooManySends) {
		t.Fatalf("sixth send from a new setup: %v", err)
	}
	if err := s.Send("other@fabrikam.example"); err != nil {
		t.Errorf("another address is not capped: %v", err)
	}
}

// A sender whose error quotes the message must not carry the code on.
func TestSetup_SendErrorHidesTheCode(t *testing.T) {
	e := newEnv(t)
	quoting := senderFunc(func(m method.Message) error { return errors.New("refused: " + m.Text) })
	ctx := e.ctx(42)
	ctx.Send = quoting
	ws, err := Factory(e.cfg)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := ws.(*Setup)
	err = s.Send(testTyped)
	code := testkitCode(t, quoteLast)
	if err == nil || strings.Contains(err.Error(), code) {
		t.Fatalf("error %v holds the code %s", err, code)
	}
}

func TestSetup_Abort(t *testing.T) {
	e := newEnv(t)
	s := e.setup(t)
	if err := s.Send(testTyped); err != nil {
		t.Fatal(err)
	}
	// That the code's hash and the key are zeroed is sentcode's test.
	s.Abort()
	if s.AttemptsLeft() != 0 {
		t.Fatal("Abort left the code")
	}
	if err := s.Submit(e.box.LastCode(t)); !errors.Is(err, ErrAborted) || len(e.stored(t)) != 0 {
		t.Fatalf("Submit after Abort: %v", err)
	}
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return len(b) > 0
}

// quoteLast keeps the text of the last message a quoting sender refused.
var quoteLast string

type senderFunc func(method.Message) error

func (f senderFunc) Send(_ context.Context, m method.Message) error { quoteLast = m.Text; return f(m) }

// testkitCode reads a code out of a message text.
func testkitCode(t *testing.T, text string) string {
	t.Helper()
	return testkit.CodeOf(t, method.Message{Text: text})
}

func TestSetup_BusyAndChangeAddressWhileSending(t *testing.T) {
	e := newEnv(t)
	s := e.setup(t)
	release := make(chan struct{})
	e.box.Block(release)
	done := make(chan error, 1)
	go func() { done <- s.Send(testTyped) }()
	for i := 0; e.box.Attempts() == 0; i++ {
		if i > 5000 {
			t.Fatal("the sender was never called")
		}
		time.Sleep(time.Millisecond)
	}
	if err := s.Send(testTyped); !errors.Is(err, ErrBusy) {
		t.Errorf("a second Send while sending: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	e.clock.Add(FirstCooldown)
	release = make(chan struct{})
	e.box.Block(release)
	e.box.ResetAttempts()
	go func() { done <- s.Resend() }()
	for e.box.Attempts() == 0 {
		time.Sleep(time.Millisecond)
	}
	s.ChangeAddress()
	if err := <-done; !errors.Is(err, ErrCancelled) || s.Screen() != ScreenAddress || s.AttemptsLeft() != 0 {
		t.Fatalf("Change email while resending: %v, screen %s", err, s.Screen())
	}
	close(release)
}

package phone

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// startBlockedSend starts Send in the background with a sender that waits
// for release (or its context); it returns the result channel once the
// sender has the message.
func startBlockedSend(t *testing.T, e *env, send func() error) (release chan struct{}, result chan error) {
	t.Helper()
	release, result = make(chan struct{}), make(chan error, 1)
	e.send.Block(release)
	go func() { result <- send() }()
	for i := 0; ; i++ {
		n := e.send.Attempts()
		if n > 0 {
			return release, result
		}
		if i > 5000 {
			t.Fatal("the sender was never called")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSetup_BusyWhileSending(t *testing.T) {
	e := newEnv(t)
	release, result := startBlockedSend(t, e, func() error { return e.s.Send(testNumber, method.ChannelSMS) })
	// Reads do not block; input is refused.
	if e.s.CooldownLeft() != 0 || e.s.Screen() != ScreenNumber {
		t.Fatal("state changed before the send finished")
	}
	if err := e.s.Send(testNumber, method.ChannelSMS); !errors.Is(err, ErrBusy) {
		t.Fatalf("second Send while sending: %v", err)
	}
	close(release)
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	if e.s.Screen() != ScreenCode {
		t.Fatal("not on the code screen")
	}
	e.clock.Add(FirstCooldown)
	e.send.ResetAttempts()
	release, result = startBlockedSend(t, e, e.s.Resend)
	if err := e.s.Submit("123456"); !errors.Is(err, ErrBusy) {
		t.Fatalf("Submit while resending: %v", err)
	}
	close(release)
	if err := <-result; err != nil {
		t.Fatal(err)
	}
}

func TestSetup_ChangeNumberCancelsSend(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	e.clock.Add(FirstCooldown)
	e.send.ResetAttempts()
	_, result := startBlockedSend(t, e, e.s.Resend)
	e.s.ChangeNumber()
	if err := <-result; !errors.Is(err, ErrCancelled) {
		t.Fatalf("cancelled resend: %v", err)
	}
	if e.s.Screen() != ScreenNumber || e.s.AttemptsLeft() != 0 || e.s.Limiter().Count(testE164, e.clock.Now()) != 1 {
		t.Fatalf("after cancel: screen %s, code with %d tries, count %d", e.s.Screen(), e.s.AttemptsLeft(),
			e.s.Limiter().Count(testE164, e.clock.Now()))
	}
}

func TestSetup_Abort(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	// That the code's MAC and the key are zeroed is sentcode's test.
	e.s.Abort()
	if e.s.AttemptsLeft() != 0 {
		t.Fatal("Abort left the code")
	}
	if err := e.s.Submit(e.send.LastCode(t)); !errors.Is(err, ErrAborted) {
		t.Fatalf("Submit after Abort: %v", err)
	}
	if err := e.s.Resend(); !errors.Is(err, ErrAborted) {
		t.Fatalf("Resend after Abort: %v", err)
	}
	if e.s.Back() || e.s.Done() || len(e.stored(t)) != 0 {
		t.Fatal("aborted setup moved or stored")
	}

	// Abort during a send.
	e = newEnv(t)
	_, result := startBlockedSend(t, e, func() error { return e.s.Send(testNumber, method.ChannelSMS) })
	e.s.Abort()
	if err := <-result; !errors.Is(err, ErrAborted) || e.s.AttemptsLeft() != 0 {
		t.Fatalf("send during Abort: %v", err)
	}
}

func TestSetup_StoreFailure(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	code := e.send.LastCode(t)
	e.dir.FailAdd(errFake)
	if err := e.s.Submit(code); !errors.Is(err, errFake) {
		t.Fatalf("Submit with a failing store: %v", err)
	}
	if e.s.Done() || e.s.Screen() != ScreenCode || len(e.stored(t)) != 0 || e.s.AttemptsLeft() != MaxAttempts {
		t.Fatal("a failed save changed the setup or stored something")
	}
	e.dir.FailAdd(nil)
	if err := e.s.Submit(code); err != nil || !e.s.Done() {
		t.Fatalf("retry: %v", err)
	}
}

func TestSetup_PhoneAddedMeanwhile(t *testing.T) {
	e := newEnv(t)
	e.toCode(t)
	if err := e.dir.AddMethod(testAccount, info.Method{ID: "other", Kind: info.KindPhone}, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Submit(e.send.LastCode(t)); !errors.Is(err, ErrPhoneExists) {
		t.Fatalf("Submit with a phone registered meanwhile: %v", err)
	}
	if len(e.stored(t)) != 1 || e.s.Done() {
		t.Fatal("a second phone was stored")
	}
}

// The whole registration against the real local store and the demo
// outbox: nothing stored until the code verifies; no keyring secret.
func TestSetup_WithLocalStoreAndOutbox(t *testing.T) {
	keyring := storage.NewMemoryKeyring()
	dir, err := storage.OpenLocal(t.TempDir(), keyring)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	if err := dir.CreateAccount(info.Account{Name: testAccount, Created: t0}); err != nil {
		t.Fatal(err)
	}
	c := newClock(t0)
	outbox := filepath.Join(t.TempDir(), "outbox.jsonl")
	ws, err := NewSetup(method.Context{Organisation: "Contoso", Account: testAccount,
		Dir: dir, Now: c.Now, Rand: seeded(7), Send: &delivery.Outbox{Path: outbox, Now: c.Now}})
	if err != nil {
		t.Fatal(err)
	}
	s := ws.(*Setup)
	s.SetLimiter(NewLimiter(MaxSendsPerHour, SendWindow))
	if err := s.SetRegion("GB"); err != nil {
		t.Fatal(err)
	}
	if err := s.Send("07400 123456", method.ChannelSMS); err != nil {
		t.Fatal(err)
	}
	entries, err := delivery.ReadOutbox(outbox)
	if err != nil || len(entries) != 1 || entries[0].To != "+447400123456" {
		t.Fatalf("outbox %+v, %v", entries, err)
	}
	code := codeOf(t, method.Message{Text: entries[0].Text})
	if ms, _ := dir.Methods(testAccount); len(ms) != 0 {
		t.Fatal("stored before verifying")
	}
	if err := s.Submit(code); err != nil {
		t.Fatal(err)
	}
	ms, err := dir.Methods(testAccount)
	if err != nil || len(ms) != 1 || ms[0].Kind != info.KindPhone || ms[0].Label != "+44 ••• ••• 3456" ||
		ms[0].Phone != "+447400123456" || ms[0].HasSecret || keyring.Len() != 0 {
		t.Fatalf("stored %+v, %v, %d secrets", ms, err, keyring.Len())
	}
	if _, err := NewSetup(method.Context{Account: testAccount, Dir: dir, Send: &delivery.Outbox{Path: outbox}}); !errors.Is(err, ErrPhoneExists) {
		t.Fatalf("second phone: %v", err)
	}
}

// A provider failure reaches the person as the delivery package's text,
// and leaves nothing behind.
func TestSetup_ProviderFailure(t *testing.T) {
	e := newEnv(t)
	e.s = e.startWith(t, &delivery.Webhook{URL: "http://hooks.contoso.example/sms", Key: []byte("k")})
	err := e.s.Send(testNumber, method.ChannelSMS)
	var de *delivery.Error
	if !errors.Is(err, ErrSendFailed) || !errors.Is(err, delivery.ErrDeliveryFailed) || !errors.As(err, &de) {
		t.Fatalf("provider failure: %v", err)
	}
	if err.Error() != "we couldn't send the code: try again, or choose a different method (webhook: the URL must use https)" {
		t.Fatalf("text %q", err)
	}
	if e.s.Screen() != ScreenNumber || e.s.AttemptsLeft() != 0 || e.s.CooldownLeft() != 0 {
		t.Fatal("a provider failure left state")
	}
}

package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

// heldGateway is a Sender that holds each send until released, as a slow
// SMS gateway does, and says when a send starts and when it returns.
type heldGateway struct {
	started, returned chan struct{}
	release           chan struct{}
}

func (g *heldGateway) Send(ctx context.Context, _ method.Message) error {
	g.started <- struct{}{}
	defer func() { g.returned <- struct{}{} }()
	select {
	case <-g.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A password reset left on its code page while the gateway still holds
// the code: the page showed without waiting for the send, the kiosk's
// wipe goes back to sign-in at once and empties the reset, and the send
// ending afterwards changes nothing on screen.
func TestKiosk_WipeWhileAResetCodeIsBeingSent(t *testing.T) {
	phone.SharedLimiter = phone.NewLimiter(phone.MaxSendsPerHour, phone.SendWindow)
	g := &heldGateway{started: make(chan struct{}, 1), returned: make(chan struct{}, 1), release: make(chan struct{})}
	h := newHarnessProving(t, kioskPolicy, withAuthApp, g, map[info.Kind]method.ProverFactory{info.KindPhone: phone.NewProver})
	if err := h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "phone1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: t0, Phone: "+12015550123", Channel: "sms"}, nil); err != nil {
		t.Fatal(err)
	}
	h.u.signIn.onForgot()
	h.wantTitle("Reset your password")
	r := h.u.reset
	test.Type(r.account, wizard.DemoAccount)
	test.Tap(r.next)
	h.u.Wait()
	send := keyButtonOn(t, h.w.Canvas(), "Send a code to my phone")
	test.Tap(send)
	h.u.Wait()
	<-g.started // held until released below
	select {
	case <-g.returned:
		t.Fatal("the code page waited for the send to end")
	default:
	}
	if len(r.panel.entries) != 1 {
		t.Fatalf("the code page is not shown while the code is sent: %d fields, %q", len(r.panel.entries), r.panel.message.Text)
	}
	test.Type(r.panel.entries[0], "12")

	h.idleOut()
	if len(r.panel.entries) != 0 || r.panel.prompt.Text != "" || r.account.Text != "" {
		t.Errorf("after the wipe: %d code fields, prompt %q, account %q", len(r.panel.entries), r.panel.prompt.Text, r.account.Text)
	}
	close(g.release)
	<-g.returned
	h.u.Wait()
	h.wantTitle("Sign in")
	if len(r.panel.entries) != 0 || r.panel.message.Text != "" {
		t.Errorf("after the send ended: %d code fields, message %q", len(r.panel.entries), r.panel.message.Text)
	}
}

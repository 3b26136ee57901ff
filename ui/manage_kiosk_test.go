package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// registerAppPhoneAndPassword gives account an app named appName, a phone
// and an app password named appPassword, so that it signs in to "You're
// all set".
func registerAppPhoneAndPassword(t *testing.T, h *harness, account, appName, appPassword string) {
	t.Helper()
	for _, m := range []info.Method{
		{ID: account + "-a", Kind: info.KindAuthenticatorApp, Label: appName, Created: t0},
		{ID: account + "-p", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: t0},
		{ID: account + "-w", Kind: info.KindAppPassword, Label: appPassword, Created: t0, Hash: secret.DummyHash},
	} {
		var s []byte
		if m.Kind == info.KindAuthenticatorApp {
			s = append([]byte(nil), appSeed...)
		}
		if err := h.dir.AddMethod(account, m, s); err != nil {
			t.Fatal(err)
		}
	}
}

// labelsContaining lists the texts of the window's labels that hold part.
func labelsContaining(h *harness, part string) []string {
	var out []string
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, part) {
			out = append(out, l.Text)
		}
	}
	return out
}

// TestKioskManagePageShowsNothingOfTheLastPerson: on a kiosk, Security
// info must not show the rows it had for the last person (their apps'
// and app passwords' names, their default) while the next person's
// methods are read, which takes up to seconds with a directory.
func TestKioskManagePageShowsNothingOfTheLastPerson(t *testing.T) {
	h := newHarness(t, kioskPolicy, nil)
	registerAppPhoneAndPassword(t, h, wizard.DemoAccount, "Alice's Pixel", "Alice's home laptop")
	const bob, bobPW = "bob@contoso.example", "bobs-own-password-1"
	h.dir.AddAccount(t, bob, bobPW)
	registerAppPhoneAndPassword(t, h, bob, "Bob's iPhone", "Bob's desktop")

	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("You're all set")
	tapLink(t, h.w.Canvas(), "Manage your security info")
	h.wantTitle("Security info")
	if len(labelsContaining(h, "Alice's home laptop")) == 0 {
		t.Fatal("the first person's app password isn't listed")
	}
	h.idleOut()
	// Nothing of theirs stays behind the sign-in page either.
	if n := len(h.u.manage.methods.Objects) + len(h.u.manage.passwords.Objects); n > 0 {
		t.Errorf("after the wipe the Security info page still holds %d rows of the last person's", n)
	}

	h.signIn(bob, bobPW)
	h.wantTitle("You're all set")
	// The next read is under way (as it is for a while with a directory).
	var queued []func()
	h.u.run.spawn = func(f func()) { queued = append(queued, f) }
	defer func() {
		for _, f := range queued {
			f()
		}
	}()
	tapLink(t, h.w.Canvas(), "Manage your security info")
	h.wantTitle("Security info")
	if got := labelsContaining(h, "Alice"); len(got) > 0 {
		t.Errorf("the next person's Security info page shows the last person's: %q", got)
	}
}

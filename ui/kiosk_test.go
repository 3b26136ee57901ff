package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
)

var kioskPolicy = strings.Replace(testPolicy, "demo = true", "demo = true\nmode = \"kiosk\"", 1)

// tickFor advances the clock a second at a time, as the station's ticker does.
func (h *harness) tickFor(d time.Duration) {
	for end := h.now.Add(d); h.now.Before(end); {
		h.elapse(time.Second)
		h.u.tick()
	}
}

func TestKiosk_IdleCountdownThenWipeForTheNextPerson(t *testing.T) {
	h := newHarness(t, kioskPolicy, withAuthApp)
	if err := h.dir.CreateAccount(info.Account{Name: "bob@contoso.example", PasswordHash: mustHash(t, "bobs-password"), Created: t0}); err != nil {
		t.Fatal(err)
	}
	// The first person gets as far as the key and copies it.
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	a := h.u.flow.Setup().(*authapp.Setup)
	test.Tap(h.u.host.next)
	test.Tap(h.u.host.next)
	tapLink(t, h.w.Canvas(), "Can't scan image?")
	if n := len(buttons(h.w.Canvas(), "Copy")); n != 0 {
		t.Fatalf("%d Copy buttons on a kiosk", n)
	}
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && l.Selectable {
			t.Fatalf("%q can be selected and copied on a kiosk", l.Text)
		}
	}
	h.u.copySecret("pretend the app copied this") // as any copy would
	key := a.ManualKey()

	h.tickFor(104 * time.Second)
	if h.u.kiosk.bannerBox.Visible() {
		t.Fatal("the countdown showed before the last 15 s")
	}
	h.tickFor(time.Second)
	if !h.u.kiosk.bannerBox.Visible() || !strings.Contains(h.u.kiosk.banner.Text, "15 s") {
		t.Fatalf("countdown = %v %q", h.u.kiosk.bannerBox.Visible(), h.u.kiosk.banner.Text)
	}
	test.AssertRendersToMarkup(t, "kiosk_countdown.xml", h.w.Canvas())
	h.tickFor(15 * time.Second)

	h.wantTitle("Sign in")
	if h.u.flow.Account() != "" || h.u.flow.Setup() != nil || a.URI() != "" {
		t.Fatal("the first person's session or pending key survived the wipe")
	}
	if !strings.Contains(strings.Join(h.audit, "|"), " kiosk-wipe "+wizard.DemoAccount) {
		t.Errorf("the wipe is not in the audit log: %v", h.audit)
	}
	if got := h.u.app.Clipboard().Content(); got != "" {
		t.Errorf("clipboard still holds %q", got)
	}
	if h.u.signIn.account.Text != "" || h.u.signIn.password.Text != "" {
		t.Error("sign-in fields not empty")
	}
	if ms, _ := h.dir.Methods(wizard.DemoAccount); len(ms) != 0 {
		t.Errorf("the abandoned registration left %v", ms)
	}

	// The next person sees nothing of the first.
	h.signIn("bob@contoso.example", "bobs-password")
	h.wantTitle("More information required")
	if h.u.moreInfo.account.Text != "bob@contoso.example" {
		t.Errorf("account shown = %q", h.u.moreInfo.account.Text)
	}
	test.Tap(h.u.moreInfo.next)
	test.Tap(h.u.host.next)
	test.Tap(h.u.host.next)
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && (strings.Contains(l.Text, key) || strings.Contains(l.Text, wizard.DemoAccount)) {
			t.Fatalf("the next person sees %q", l.Text)
		}
	}
	if buttonsWithLink(h, "Can't scan image?") != 1 {
		t.Error("the key is still revealed for the next person")
	}
}

func TestKiosk_InputResetsTheCountdown(t *testing.T) {
	h := newHarness(t, kioskPolicy, withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.tickFor(110 * time.Second)
	if !h.u.kiosk.bannerBox.Visible() {
		t.Fatal("no countdown")
	}
	h.u.onTypedKey(&fyneKeySpace)
	if h.u.kiosk.bannerBox.Visible() {
		t.Error("a key press did not hide the countdown")
	}
	h.tickFor(110 * time.Second)
	h.wantTitle("More information required")
}

func TestKiosk_QRHidesAfterTwoMinutes(t *testing.T) {
	h := newHarness(t, strings.Replace(kioskPolicy, "app_passwords = true", "app_passwords = true\nidle_timeout = \"10m\"", 1), withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	test.Tap(h.u.host.next)
	test.Tap(h.u.host.next)
	h.tickFor(QRHideAfter - time.Second)
	if len(buttons(h.w.Canvas(), "Show it again")) != 0 {
		t.Fatal("hidden too early")
	}
	h.tickFor(time.Second)
	show := buttons(h.w.Canvas(), "Show it again")
	if len(show) != 1 {
		t.Fatal("the QR code was not hidden after 2 minutes")
	}
	test.Tap(show[0])
	if len(buttons(h.w.Canvas(), "Show it again")) != 0 {
		t.Error("Show it again did not show it")
	}
}

func TestKiosk_CloseNeedsThePassphrase(t *testing.T) {
	h := newHarness(t, kioskPolicy, nil)
	for _, tc := range []struct {
		pass string
		quit int
	}{{"guess", 0}, {"open sesame now", 1}} {
		h.u.kiosk.interceptClose()
		var pass *widget.Entry
		for _, o := range objects(h.w.Canvas()) {
			if e, ok := asEntry(o); ok && e.Password && e.PlaceHolder == "Station passphrase" {
				pass = e
			}
		}
		if pass == nil {
			t.Fatal("no passphrase field")
		}
		test.Type(pass, tc.pass)
		test.Tap(buttons(h.w.Canvas(), "Close")[0])
		h.u.Wait()
		if h.quit != tc.quit {
			t.Errorf("passphrase %q: quit %d times, want %d", tc.pass, h.quit, tc.quit)
		}
		for _, o := range h.w.Canvas().Overlays().List() {
			h.w.Canvas().Overlays().Remove(o)
		}
	}
}

func TestKiosk_StaysFullScreen(t *testing.T) {
	h := newHarness(t, kioskPolicy, nil)
	h.w.SetFullScreen(false)
	h.u.kiosk.tick()
	if !h.w.FullScreen() {
		t.Error("the kiosk left full screen")
	}
}

func TestWipe_DropsWorkStartedForTheLastPerson(t *testing.T) {
	h := newHarness(t, kioskPolicy, nil)
	// Work that takes its time: it runs when the test says.
	var started []func()
	h.u.run.spawn = func(f func()) { started = append(started, f) }
	finish := func() {
		for len(started) > 0 {
			f := started[0]
			started = started[1:]
			f()
		}
	}
	landed := false
	background(h.u, func() int { return 1 }, func(int) { landed = true })
	h.u.wipe()
	finish()
	if landed {
		t.Error("background work of the last person landed after the wipe")
	}
	background(h.u, func() int { return 1 }, func(int) { landed = true })
	finish()
	if !landed {
		t.Error("background work of the new session was dropped")
	}
}

func TestKiosk_PassphraseGuessesSlowDown(t *testing.T) {
	h := newHarness(t, kioskPolicy, nil)
	try := func(pass string) {
		h.u.kiosk.interceptClose()
		test.Type(objectsEntry(h, "Station passphrase"), pass)
		test.Tap(buttons(h.w.Canvas(), "Close")[0])
		h.u.Wait()
		for _, o := range h.w.Canvas().Overlays().List() {
			h.w.Canvas().Overlays().Remove(o)
		}
	}
	for i := 0; i < 3; i++ {
		try("guess")
	}
	try("open sesame now") // right, but too soon after three wrong ones
	if h.quit != 0 {
		t.Fatal("the right passphrase was checked during the back-off")
	}
	h.now = h.now.Add(time.Second)
	try("open sesame now")
	if h.quit != 1 {
		t.Error("the right passphrase after the wait did not close the station")
	}
}

// A kiosk demo hides the outbox (the next person mustn't read it), but
// says where the code is, so the demo can be finished.
func TestKiosk_DemoSaysWhereThePhoneCodeIs(t *testing.T) {
	box := &testkit.Phone{}
	phone.SharedLimiter = phone.NewLimiter(phone.MaxSendsPerHour, phone.SendWindow)
	h := newHarnessProving(t, kioskPolicy, map[info.Kind]wizard.SetupFactory{info.KindPhone: phone.NewSetup}, box,
		map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver})
	h.u.opts.OutboxPath = "/var/lib/securityinfo/outbox.jsonl"
	h.dir.AddMethod(wizard.DemoAccount, info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0, HasSecret: true}, append([]byte(nil), appSeed...))
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	h.wantTitle("Verify your identity")
	test.Type(h.u.verify.panel.entries[0], authapp.Code(appSeed, h.now))
	h.u.Wait()
	test.Tap(h.u.moreInfo.next)
	v := h.u.host.views[info.KindPhone].(*phoneView)
	test.Type(v.number, "(201) 555-0123")
	test.Tap(h.u.host.next)
	h.u.Wait()
	if buttonsWithLink(h, "Demo: open the outbox to read the code") != 0 {
		t.Error("a kiosk offers the outbox")
	}
	found := false
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "/var/lib/securityinfo/outbox.jsonl") {
			found = true
		}
	}
	if !found {
		t.Error("the kiosk demo doesn't say where the code is")
	}
}

// The QR code stays while the person is using the page: moving the mouse
// or typing starts its 2 minutes again.
func TestKiosk_QRStaysWhileThePersonIsActive(t *testing.T) {
	h := newHarness(t, strings.Replace(kioskPolicy, "app_passwords = true", "app_passwords = true\nidle_timeout = \"10m\"", 1), withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	test.Tap(h.u.moreInfo.next)
	test.Tap(h.u.host.next)
	test.Tap(h.u.host.next)
	for range 4 {
		h.tickFor(time.Minute)
		h.u.touch() // the mouse moves over the page
	}
	if len(buttons(h.w.Canvas(), "Show it again")) != 0 {
		t.Fatal("the QR code was hidden while the person was moving the mouse")
	}
	h.tickFor(QRHideAfter)
	if len(buttons(h.w.Canvas(), "Show it again")) != 1 {
		t.Fatal("the QR code was not hidden after 2 minutes without input")
	}
}

// The idle banner appears over the page, not above it: nothing on the page
// moves when it shows.
func TestKiosk_BannerDoesntPushThePageDown(t *testing.T) {
	h := newHarness(t, kioskPolicy, withAuthApp)
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	next := h.u.moreInfo.next
	before := fyne.CurrentApp().Driver().AbsolutePositionForObject(next)
	h.tickFor(110 * time.Second)
	if !h.u.kiosk.bannerBox.Visible() {
		t.Fatal("no countdown")
	}
	h.u.relayout() // as the window does at its next layout
	if after := fyne.CurrentApp().Driver().AbsolutePositionForObject(next); after != before {
		t.Errorf("the page moved from %v to %v when the banner showed", before, after)
	}
}

// A passphrase tried too soon says how long to wait in words, and counts
// the wait down.
func TestKiosk_PassphraseWaitCountsDown(t *testing.T) {
	h := newHarness(t, kioskPolicy, nil)
	h.now = h.now.Add(time.Hour) // the harness set the passphrase at t0
	try := func(pass string) {
		for _, o := range h.w.Canvas().Overlays().List() {
			h.w.Canvas().Overlays().Remove(o)
		}
		h.u.kiosk.interceptClose()
		test.Type(objectsEntry(h, "Station passphrase"), pass)
		test.Tap(buttons(h.w.Canvas(), "Close")[0])
		h.u.Wait()
	}
	for range 3 {
		try("guess")
	}
	try("guess")
	wait := func(part string) *widget.Label {
		for _, o := range objects(h.w.Canvas()) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, part) {
				return l
			}
		}
		return nil
	}
	l := wait("Wait a second before trying again")
	if l == nil {
		t.Fatal("no words for the wait")
	}
	h.tickFor(time.Second)
	if !strings.Contains(l.Text, "You can try again now") {
		t.Errorf("after the wait: %q", l.Text)
	}
}

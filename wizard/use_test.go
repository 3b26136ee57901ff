package wizard_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/newpassword"
	phonemethod "github.com/securityinfo/securityinfo/wizard/phone"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/regulation"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

const (
	alice   = "alice@contoso.example"
	alicePW = "correct-horse"
)

// useRig is a station whose person has registered methods and signs in
// with them, on the in-memory store with a fixed clock.
type useRig struct {
	t     *testing.T
	dir   *testkit.Store
	c     *testkit.Clock
	phone *testkit.Phone
	flow  *wizard.Flow
	key   []byte // alice's authenticator app
	made  []*fakeSetup
	audit []string
	// auditMu guards audit: Audit may be called from any goroutine (a
	// reset sends its code in the background).
	auditMu sync.Mutex
}

var usePolicy = `
organisation = "Contoso"
required = ["authenticator-app", "phone"]
allowed = ["authenticator-app", "phone", "recovery-codes", "security-key"]
`

// newUseRig makes the station; with registers alice's authenticator app
// ("app"), phone ("phone") and recovery codes ("codes", returned).
func newUseRig(t *testing.T, policy string, with ...string) (*useRig, []string) {
	t.Helper()
	phonemethod.SharedLimiter = phonemethod.NewLimiter(phonemethod.MaxSendsPerHour, phonemethod.SendWindow)
	r := &useRig{t: t, dir: newStore(t), c: newClock(t0), phone: &testkit.Phone{}}
	addAccount(t, r.dir, alice, alicePW)
	var codes []string
	for _, w := range with {
		switch w {
		case "app":
			r.key = []byte("12345678901234567890")
			m := info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0, HasSecret: true}
			if err := r.dir.AddMethod(alice, m, append([]byte(nil), r.key...)); err != nil {
				t.Fatal(err)
			}
		case "phone":
			m := info.Method{ID: "phone1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: t0, Phone: "+12015550123", Channel: "sms"}
			if err := r.dir.AddMethod(alice, m, nil); err != nil {
				t.Fatal(err)
			}
		case "codes":
			var err error
			if codes, err = recovery.Regenerate(r.dir, alice, t0, testkit.Seeded(7)); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.flow = wizard.New(wizard.Config{
		Policy: mustPolicy(t, policy), Dir: r.dir, Now: r.c.Now, Rand: seeded(), Send: r.phone,
		Setups: withRecovery(fakes(&r.made, info.KindAuthenticatorApp, info.KindPhone, info.KindSecurityKey)),
		Provers: map[info.Kind]method.ProverFactory{
			info.KindAuthenticatorApp: authapp.NewProver,
			info.KindPhone:            phonemethod.NewProver,
			info.KindRecoveryCodes:    recovery.NewProver,
		},
		Audit: func(actor, action, account, detail string) error {
			r.auditMu.Lock()
			defer r.auditMu.Unlock()
			r.audit = append(r.audit, action+" "+account+" "+detail)
			return nil
		},
	})
	return r, codes
}

func (r *useRig) want(p wizard.Page) {
	r.t.Helper()
	if got := r.flow.Page(); got != p {
		r.t.Fatalf("page %s, want %s", got, p)
	}
}

// code is the authenticator app's code now.
func (r *useRig) code() string { return authapp.Code(r.key, r.c.Now()) }

// option finds the way to prove of kind.
func (r *useRig) option(kind info.Kind) wizard.ProofOption {
	r.t.Helper()
	opts, err := r.flow.ProofOptions()
	if err != nil {
		r.t.Fatal(err)
	}
	for _, o := range opts {
		if o.Kind == kind {
			return o
		}
	}
	r.t.Fatalf("no option of kind %s in %+v", kind, opts)
	return wizard.ProofOption{}
}

// prove starts kind and answers.
func (r *useRig) prove(kind info.Kind, answer func() string) error {
	r.t.Helper()
	if _, err := r.flow.StartProof(r.option(kind)); err != nil {
		r.t.Fatalf("StartProof(%s): %v", kind, err)
	}
	return r.flow.Prove([]string{answer()})
}

func (r *useRig) audited(action string) int {
	r.auditMu.Lock()
	defer r.auditMu.Unlock()
	n := 0
	for _, a := range r.audit {
		if strings.HasPrefix(a, action+" ") {
			n++
		}
	}
	return n
}

func TestUse_SecondFactorRequiredAtSignIn(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	if err := r.flow.SignIn(alice, alicePW); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageVerify)
	if r.flow.Account() != "" {
		t.Fatal("signed in on the password alone")
	}
	if _, err := r.flow.Registered(); !errors.Is(err, wizard.ErrNotSignedIn) {
		t.Fatalf("security info readable before the second factor: %v", err)
	}
	opts, _ := r.flow.ProofOptions()
	if len(opts) != 2 || opts[0].Kind != info.KindAuthenticatorApp || !opts[0].Default || opts[1].Title != "Text +1 ••• ••• 0123" {
		t.Fatalf("options %+v, want the app (default) then the phone", opts)
	}
	ch, err := r.flow.StartProof(opts[0])
	if err != nil || ch.Prompt != "Enter the code from your authenticator app (Pixel)." || len(ch.Fields) != 1 {
		t.Fatalf("challenge %+v, %v", ch, err)
	}
	if err := r.flow.Prove([]string{"000000"}); !errors.Is(err, authapp.ErrWrongCode) {
		t.Fatalf("wrong code: %v", err)
	}
	r.want(wizard.PageVerify)
	code := r.code()
	if err := r.flow.Prove([]string{code}); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageUpToDate)
	if r.flow.Account() != alice || !r.flow.Fresh() {
		t.Fatal("not signed in with a fresh second factor")
	}
	if r.audited(info.ActionSecondFactor) != 1 || r.audited(info.ActionSecondFactorFailed) != 1 {
		t.Fatalf("audit %q", r.audit)
	}
	// The same code a second time: single use, across sessions.
	r.flow.Cancel()
	if err := r.flow.SignIn(alice, alicePW); err != nil {
		t.Fatal(err)
	}
	if err := r.prove(info.KindAuthenticatorApp, func() string { return code }); !errors.Is(err, authapp.ErrReplayed) {
		t.Fatalf("replayed code: %v", err)
	}
}

func TestUse_SignInAnotherWayWithThePhone(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	_ = r.flow.SignIn(alice, alicePW)
	ch, err := r.flow.StartProof(r.option(info.KindPhone))
	if err != nil || ch.Prompt != "We texted a code to +1 ••• ••• 0123. Enter it below." {
		t.Fatalf("challenge %+v, %v", ch, err)
	}
	if r.phone.Count() != 1 || r.phone.Last(t).To != "+12015550123" {
		t.Fatalf("sent %+v", r.phone.Sent())
	}
	code := r.phone.LastCode(t)
	var wrong *phonemethod.WrongCodeError
	if err := r.flow.Prove([]string{"999999"}); !errors.As(err, &wrong) || wrong.Left != 4 {
		t.Fatalf("wrong code: %v", err)
	}
	if err := r.flow.Prove([]string{code}); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageUpToDate)
}

func TestUse_PhoneCodeExpiresAndIsUsedUp(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	_ = r.flow.SignIn(alice, alicePW)
	_, _ = r.flow.StartProof(r.option(info.KindPhone))
	r.c.Add(phonemethod.CodeLifetime)
	if err := r.flow.Prove([]string{r.phone.LastCode(t)}); !errors.Is(err, phonemethod.ErrCodeExpired) {
		t.Fatalf("expired code: %v", err)
	}
	r.c.Add(time.Minute)
	_, _ = r.flow.StartProof(r.option(info.KindPhone))
	for i := 0; i < phonemethod.MaxAttempts-1; i++ {
		_ = r.flow.Prove([]string{"999999"})
		r.c.Add(20 * time.Second) // past the back-off
	}
	if err := r.flow.Prove([]string{"999998"}); !errors.Is(err, phonemethod.ErrCodeUsedUp) {
		t.Fatalf("fifth wrong code: %v", err)
	}
	if err := r.flow.Prove([]string{r.phone.LastCode(t)}); err == nil {
		t.Fatal("a used-up code still works")
	}
	r.want(wizard.PageVerify)
}

func TestUse_WrongCodesBackOffAndLock(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	_ = r.flow.SignIn(alice, alicePW)
	_, _ = r.flow.StartProof(r.option(info.KindAuthenticatorApp))
	for i := 0; i < 3; i++ {
		if err := r.flow.Prove([]string{"000000"}); !errors.Is(err, authapp.ErrWrongCode) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	var wait *regulation.WaitError
	if err := r.flow.Prove([]string{r.code()}); !errors.As(err, &wait) {
		t.Fatalf("fourth try at once: %v, want a wait", err)
	}
	a, _ := r.dir.Account(alice)
	if a.SecondFactorTries.Failures != 3 || a.Failures != 0 {
		t.Fatalf("failures counted on the account: second factor %d, password %d", a.SecondFactorTries.Failures, a.Failures)
	}
	_ = r.dir.UpdateAccount(alice, func(a *info.Account) error { a.Failures = regulation.MaxFailures; return nil })
	r.c.Add(time.Hour)
	if err := r.flow.Prove([]string{r.code()}); !errors.Is(err, regulation.ErrLocked) {
		t.Fatalf("locked account: %v", err)
	}
	r.want(wizard.PageVerify)
}

func TestUse_RecoveryCodeWorksOnceInPlaceOfASecondFactor(t *testing.T) {
	r, codes := newUseRig(t, usePolicy, "app", "codes")
	_ = r.flow.SignIn(alice, alicePW)
	o := r.option(info.KindRecoveryCodes)
	if o.Title != "Use a recovery code (10 left)" {
		t.Fatalf("option %q", o.Title)
	}
	if err := r.prove(info.KindRecoveryCodes, func() string { return strings.ToUpper(recovery.Format(codes[3])) }); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMoreInfo) // the phone is still required
	ms, _ := r.dir.Methods(alice)
	if recovery.Left(ms) != 9 {
		t.Fatalf("%d codes left", recovery.Left(ms))
	}
	r.flow.Cancel()
	_ = r.flow.SignIn(alice, alicePW)
	if err := r.prove(info.KindRecoveryCodes, func() string { return codes[3] }); !errors.Is(err, recovery.ErrWrongCode) {
		t.Fatalf("the same code again: %v", err)
	}
	if err := r.prove(info.KindRecoveryCodes, func() string { return codes[4] }); err != nil {
		t.Fatalf("another code: %v", err)
	}
}

func TestUse_NoSecondFactorAskedWhenOffOrNoneOrAtBind(t *testing.T) {
	r, _ := newUseRig(t, usePolicy+`second_factor = "off"`+"\n", "app")
	if err := r.flow.SignIn(alice, alicePW); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMoreInfo)
	r2, _ := newUseRig(t, usePolicy) // nothing registered yet
	_ = r2.flow.SignIn(alice, alicePW)
	r2.want(wizard.PageMoreInfo)
	// A Temporary Access Pass is strong by itself.
	r3, _ := newUseRig(t, usePolicy, "app")
	pass, err := tap.Issue(r3.dir, alice, time.Hour, true, r3.c.Now(), seeded())
	if err != nil {
		t.Fatal(err)
	}
	f := wizard.New(wizard.Config{Policy: mustPolicy(t, usePolicy), Dir: r3.dir, Now: r3.c.Now, Rand: seeded(),
		Provers: map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver},
		Pass:    (&tap.Verifier{Passes: r3.dir, Audit: r3.dir}).SignIn})
	if err := f.SignIn(alice, pass); err != nil {
		t.Fatal(err)
	}
	if f.Page() != wizard.PageMoreInfo || !f.Fresh() {
		t.Fatalf("with a pass: page %s, fresh %v", f.Page(), f.Fresh())
	}
}

func TestUse_PasswordAloneCantAddAMethodToAnAccountWithASecondFactor(t *testing.T) {
	r, _ := newUseRig(t, usePolicy+`second_factor = "off"`+"\n", "app")
	_ = r.flow.SignIn(alice, alicePW)
	r.want(wizard.PageMoreInfo)
	if err := r.flow.Next(); !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Fatalf("Next on the password alone: %v", err)
	}
	// Even a setup that got started can't save.
	fake := &fakeSetup{kind: info.KindPhone}
	_ = fake
	if err := r.flow.OpenVerify(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageVerify)
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMoreInfo)
	if err := r.flow.Next(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMethod)
	// Eleven minutes later the proof is too old to save a method.
	r.c.Add(11 * time.Minute)
	s := r.made[len(r.made)-1]
	if err := s.Complete(); !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Fatalf("saving after 11 minutes: %v", err)
	}
	if ms, _ := r.dir.Methods(alice); len(ms) != 1 {
		t.Fatalf("methods %+v", ms)
	}
}

func TestUse_ManageNeedsARecentSecondFactor(t *testing.T) {
	r, _ := newUseRig(t, usePolicy+"app_passwords = true\n", "app", "phone")
	_ = r.flow.SignIn(alice, alicePW)
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.OpenManage(); err != nil {
		t.Fatal(err)
	}
	pw, err := r.flow.CreateAppPassword("Outlook")
	if err != nil {
		t.Fatal(err)
	}
	r.c.Add(10*time.Minute + time.Second)
	for name, change := range map[string]func() error{
		"delete app password": func() error { return r.flow.DeleteAppPassword(pw.Method) },
		"create app password": func() error { _, err := r.flow.CreateAppPassword("Thunderbird"); return err },
		"delete":              func() error { return r.flow.DeleteMethod("phone1") },
		"rename":              func() error { return r.flow.RenameMethod("app1", "Work phone") },
		"default":             func() error { return r.flow.SetDefaultMethod("phone1") },
		"add":                 func() error { return r.flow.AddMethod(info.KindSecurityKey) },
		"change phone":        func() error { return r.flow.ChangePhone("phone1") },
	} {
		if err := change(); !errors.Is(err, wizard.ErrReauthNeeded) && !errors.Is(err, wizard.ErrStepUpNeeded) {
			t.Errorf("%s with a second factor 10 minutes old: %v", name, err)
		}
	}
	if ms, _ := r.dir.Methods(alice); len(ms) != 3 {
		t.Fatalf("something changed: %+v", ms)
	}
	// Confirm again, then the changes go through.
	if err := r.flow.OpenVerify(); err != nil {
		t.Fatal(err)
	}
	if err := r.prove(info.KindPhone, func() string { return r.phone.LastCode(t) }); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageManage)
	if err := r.flow.SetDefaultMethod("phone1"); err != nil {
		t.Fatal(err)
	}
	if m, _, _ := r.flow.DefaultSignIn(); m.ID != "phone1" {
		t.Fatalf("default %+v", m)
	}
	if err := r.flow.RenameMethod("app1", "Work phone"); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.DeleteMethod("phone1"); !errors.Is(err, wizard.ErrRequiredMethod) {
		t.Fatalf("deleting the required phone: %v", err)
	}
	if err := r.flow.DeleteAppPassword(pw.Method); err != nil {
		t.Fatal(err)
	}
	// The default is asked first at the next sign-in.
	r.flow.Cancel()
	_ = r.flow.SignIn(alice, alicePW)
	if opts, _ := r.flow.ProofOptions(); opts[0].Kind != info.KindPhone || !opts[0].Default || opts[1].Title != "Use a code from my authenticator app (Work phone)" {
		t.Fatalf("options %+v", opts)
	}
}

func TestUse_DeleteKeepsThePolicy(t *testing.T) {
	r, _ := newUseRig(t, `
organisation = "Contoso"
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone", "recovery-codes"]
min_methods = 2
`, "app", "phone", "codes")
	_ = r.flow.SignIn(alice, alicePW)
	_ = r.prove(info.KindAuthenticatorApp, r.code)
	_ = r.flow.OpenManage()
	if err := r.flow.DeleteMethod("app1"); !errors.Is(err, wizard.ErrRequiredMethod) {
		t.Fatalf("deleting the required app: %v", err)
	}
	ms, _ := r.dir.Methods(alice)
	if err := r.flow.DeleteMethod(recovery.Codes(ms)[0].ID); err != nil {
		t.Fatal(err)
	}
	if ms, _ = r.dir.Methods(alice); recovery.Left(ms) != 0 {
		t.Fatal("the set was not deleted as one")
	}
	if err := r.flow.DeleteMethod("phone1"); !errors.Is(err, wizard.ErrTooFewMethods) {
		t.Fatalf("going below min_methods: %v", err)
	}
}

func TestUse_RegenerateRecoveryCodesInvalidatesTheOldSet(t *testing.T) {
	r, old := newUseRig(t, usePolicy, "app", "phone", "codes")
	_ = r.flow.SignIn(alice, alicePW)
	_ = r.prove(info.KindAuthenticatorApp, r.code)
	_ = r.flow.OpenManage()
	if err := r.flow.AddMethod(info.KindRecoveryCodes); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMethod)
	s := r.flow.Setup().(*recovery.Setup)
	if err := s.Make(); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range s.Codes() {
		codes = append(codes, strings.ReplaceAll(c, "-", ""))
	}
	if err := r.flow.Next(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageManage)
	ms, _ := r.dir.Methods(alice)
	if len(codes) != recovery.Count || recovery.Left(ms) != recovery.Count {
		t.Fatalf("%d codes shown, %d stored", len(codes), recovery.Left(ms))
	}
	if r.audited(info.ActionMethodAdded) != 1 {
		t.Fatalf("audit %q", r.audit)
	}
	if err := recovery.Use(r.dir, alice, old[0]); !errors.Is(err, recovery.ErrWrongCode) {
		t.Fatalf("an old code after a new set: %v", err)
	}
	if err := recovery.Use(r.dir, alice, codes[0]); err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if len(c) < 12 || strings.ContainsAny(c, "01ilo") {
			t.Fatalf("code %q", c)
		}
	}
}

func TestUse_SnoozeCountsAndExpires(t *testing.T) {
	r, _ := newUseRig(t, usePolicy+"snooze_times = 2\nsnooze_days = 3\n")
	for i, left := range []int{2, 1} {
		if err := r.flow.SignIn(alice, alicePW); err != nil {
			t.Fatal(err)
		}
		if got := r.flow.SnoozesLeft(); got != left {
			t.Fatalf("sign-in %d: %d skips left, want %d", i+1, got, left)
		}
		if err := r.flow.NotNow(); err != nil {
			t.Fatal(err)
		}
		r.want(wizard.PageUpToDate)
		r.flow.Cancel()
		r.c.Add(time.Hour)
	}
	_ = r.flow.SignIn(alice, alicePW)
	if r.flow.SnoozesLeft() != 0 {
		t.Fatal("a third skip offered")
	}
	if err := r.flow.NotNow(); !errors.Is(err, wizard.ErrNoSnoozeLeft) {
		t.Fatalf("third Not now: %v", err)
	}
	a, _ := r.dir.Account(alice)
	if a.Snoozes != 2 || !a.FirstSnooze.Equal(t0) || r.audited(info.ActionRegistrationSnooze) != 2 {
		t.Fatalf("stored %d skips since %v", a.Snoozes, a.FirstSnooze)
	}
	// Days: after snooze_days from the first skip, none are left.
	r2, _ := newUseRig(t, usePolicy+"snooze_times = 3\nsnooze_days = 3\n")
	_ = r2.flow.SignIn(alice, alicePW)
	_ = r2.flow.NotNow()
	r2.flow.Cancel()
	r2.c.Add(3 * 24 * time.Hour)
	_ = r2.flow.SignIn(alice, alicePW)
	if r2.flow.SnoozesLeft() != 0 {
		t.Fatal("a skip offered after the days ran out")
	}
}

// resetTo walks a reset to the proving stage for name. The codes the
// reset sends in the background are waited for when the test ends, so
// that none outlives it.
func resetTo(t *testing.T, r *useRig, name string) {
	t.Helper()
	t.Cleanup(func() { wizard.WaitForSends(r.flow) })
	if err := r.flow.OpenReset(); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.ResetName(name); err != nil {
		t.Fatal(err)
	}
	if r.flow.ResetStage() != wizard.ResetProve {
		t.Fatalf("stage %s", r.flow.ResetStage())
	}
}

func TestUse_ResetWithOneMethod(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	_, _ = tap.Issue(r.dir, alice, time.Hour, false, t0, seeded())
	_ = r.dir.UpdateAccount(alice, func(a *info.Account) error { a.Failures = 7; return nil })
	resetTo(t, r, alice)
	ch, err := r.flow.StartProof(r.option(info.KindPhone))
	if err != nil || !strings.Contains(ch.Prompt, "If a phone is registered") {
		t.Fatalf("challenge %+v, %v", ch, err)
	}
	wizard.WaitForSends(r.flow)
	if err := r.flow.Prove([]string{r.phone.LastCode(t)}); err != nil {
		t.Fatal(err)
	}
	if r.flow.ResetStage() != wizard.ResetPassword {
		t.Fatalf("stage %s", r.flow.ResetStage())
	}
	var short *newpassword.TooShortError
	if err := r.flow.SetNewPassword("short", "short"); !errors.As(err, &short) {
		t.Fatalf("short: %v", err)
	}
	if err := r.flow.SetNewPassword("password123", "password123"); !errors.Is(err, newpassword.ErrCommon) {
		t.Fatalf("breached: %v", err)
	}
	if err := r.flow.SetNewPassword("purple otters juggle", "purple otters juggles"); !errors.Is(err, newpassword.ErrMismatch) {
		t.Fatalf("mismatch: %v", err)
	}
	if err := r.flow.SetNewPassword("purple otters juggle", "purple otters juggle"); err != nil {
		t.Fatal(err)
	}
	if r.flow.ResetStage() != wizard.ResetDone {
		t.Fatalf("stage %s", r.flow.ResetStage())
	}
	a, _ := r.dir.Account(alice)
	if a.Failures != 0 {
		t.Fatal("failures not cleared")
	}
	if _, err := r.dir.GetPass(alice); !errors.Is(err, info.ErrNoPass) {
		t.Fatalf("the pass survived the reset: %v", err)
	}
	if r.audited(info.ActionPasswordReset) != 1 {
		t.Fatalf("audit %q", r.audit)
	}
	if err := r.flow.Done(); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.SignIn(alice, alicePW); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Fatalf("the old password: %v", err)
	}
	if err := r.flow.SignIn(alice, "purple otters juggle"); err != nil {
		t.Fatalf("the new password: %v", err)
	}
}

func TestUse_ResetWithTwoMethods(t *testing.T) {
	r, codes := newUseRig(t, usePolicy+"reset_methods = 2\n", "app", "codes")
	resetTo(t, r, alice)
	if err := r.prove(info.KindRecoveryCodes, func() string { return codes[0] }); err != nil {
		t.Fatal(err)
	}
	if r.flow.ResetStage() != wizard.ResetProve {
		t.Fatalf("one method of two: stage %s", r.flow.ResetStage())
	}
	if opts, _ := r.flow.ProofOptions(); len(opts) != 2 || opts[0].Kind != info.KindAuthenticatorApp {
		t.Fatalf("the second proof offers %+v", opts)
	}
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	if r.flow.ResetStage() != wizard.ResetPassword {
		t.Fatalf("stage %s", r.flow.ResetStage())
	}
}

func TestUse_ResetWithTooFewMethodsSendsToTheHelpdesk(t *testing.T) {
	r, _ := newUseRig(t, usePolicy+"reset_methods = 2\n", "app")
	resetTo(t, r, alice)
	if err := r.prove(info.KindAuthenticatorApp, r.code); err != nil {
		t.Fatal(err)
	}
	if r.flow.ResetStage() != wizard.ResetHelpdesk {
		t.Fatalf("stage %s", r.flow.ResetStage())
	}
}

func TestUse_ResetRevealsNothingOfUnknownAccounts(t *testing.T) {
	r, _ := newUseRig(t, usePolicy, "app", "phone")
	resetTo(t, r, alice)
	known, _ := r.flow.ProofOptions()
	ch1, _ := r.flow.StartProof(r.option(info.KindPhone))
	err1 := r.flow.Prove([]string{"123456"})
	r.flow.Cancel()
	resetTo(t, r, "mallory@contoso.example")
	unknown, _ := r.flow.ProofOptions()
	ch2, _ := r.flow.StartProof(r.option(info.KindPhone))
	err2 := r.flow.Prove([]string{"123456"})
	if len(known) != len(unknown) || ch1.Prompt != ch2.Prompt || strings.Join(ch1.Fields, ",") != strings.Join(ch2.Fields, ",") {
		t.Fatalf("pages differ: %+v %+v / %+v %+v", known, ch1, unknown, ch2)
	}
	if !errors.Is(err1, wizard.ErrResetProofFailed) || !errors.Is(err2, wizard.ErrResetProofFailed) || wizard.Words(err1) != wizard.Words(err2) {
		t.Fatalf("failures differ: %v / %v", err1, err2)
	}
	// An unknown account backs off like a real one.
	for i := 0; i < 2; i++ {
		_ = r.flow.Prove([]string{"123456"})
	}
	var wait *regulation.WaitError
	if err := r.flow.Prove([]string{"123456"}); !errors.As(err, &wait) {
		t.Fatalf("fourth try on an unknown account: %v", err)
	}
}

// withRecovery adds the real recovery codes setup to setups.
func withRecovery(setups map[info.Kind]wizard.SetupFactory) map[info.Kind]wizard.SetupFactory {
	setups[info.KindRecoveryCodes] = recovery.NewSetup
	return setups
}

func TestUse_PolicyKeys(t *testing.T) {
	p := mustPolicy(t, usePolicy)
	if p.SecondFactor != wizard.SecondFactorRequired || p.ResetMethods != 1 || p.MinPassword != 8 || p.SnoozeTimes != 0 {
		t.Fatalf("defaults %+v", p)
	}
	for _, bad := range []string{`second_factor = "sometimes"`, "reset_methods = 3", "min_password = 6", "snooze_times = 4", "snooze_days = 15"} {
		if _, err := wizard.ParsePolicy("p.toml", []byte(usePolicy+bad+"\n")); err == nil || !strings.Contains(err.Error(), "p.toml:5:") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	// Recovery codes aren't offered on a kiosk unless the policy says so.
	kiosk := wizard.New(wizard.Config{Policy: mustPolicy(t, usePolicy+`mode = "kiosk"`+"\n")})
	if containsKindTest(kiosk.Policy().Allowed, info.KindRecoveryCodes) {
		t.Error("recovery codes offered on a kiosk")
	}
	kiosk = wizard.New(wizard.Config{Policy: mustPolicy(t, usePolicy+`mode = "kiosk"`+"\nkiosk_recovery_codes = true\n")})
	if !containsKindTest(kiosk.Policy().Allowed, info.KindRecoveryCodes) {
		t.Error("kiosk_recovery_codes = true did not offer them")
	}
}

func containsKindTest(list []info.Kind, k info.Kind) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

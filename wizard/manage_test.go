package wizard_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// appSeed is the key of alice's authenticator app in these tests.
var appSeed = []byte("12345678901234567890")

// managing signs alice in with her authenticator app registered and opens
// Security info; log collects "actor action account detail".
func managing(t *testing.T) (*rig, *[]string) {
	t.Helper()
	r := newRig(t, `organisation = "C"
required = ["authenticator-app"]
app_passwords = true
`, app)
	log := &[]string{}
	r.flow = wizard.New(wizard.Config{Policy: r.flow.Policy(), Dir: r.dir, Now: r.c.Now, Rand: seeded(),
		Audit: func(actor, action, account, detail string) error {
			*log = append(*log, strings.TrimSpace(actor+" "+action+" "+account+" "+detail))
			return nil
		}})
	if err := r.dir.AddMethod("alice@contoso.example", info.Method{ID: "a1", Kind: app, Label: "Pixel", Created: t0}, appSeed); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.SignIn("alice@contoso.example", "correct-horse"); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.OpenManage(); err != nil {
		t.Fatal(err)
	}
	return r, log
}

func (r *rig) failures() int {
	r.t.Helper()
	a, err := r.dir.Account("alice@contoso.example")
	if err != nil {
		r.t.Fatal(err)
	}
	return a.SecondFactorTries.Failures
}

func TestFlow_AnAppPasswordNeedsASecondFactorAndIsAudited(t *testing.T) {
	r, log := managing(t)
	if _, err := r.flow.CreateAppPassword("Laptop"); !errors.Is(err, wizard.ErrStepUpNeeded) {
		t.Fatalf("without a second factor: %v", err)
	}
	if err := r.flow.StepUp("12a456"); !errors.Is(err, authapp.ErrCodeFormat) || r.failures() != 0 {
		t.Fatalf("letters: %v, %d failures counted", err, r.failures())
	}
	right := authapp.Code(appSeed, r.c.Now())
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	if err := r.flow.StepUp(wrong); !errors.Is(err, authapp.ErrWrongCode) || r.failures() != 1 || r.flow.Verified() {
		t.Fatalf("a wrong code: %v, %d failures, verified %v", err, r.failures(), r.flow.Verified())
	}
	if err := r.flow.StepUp(right); err != nil || !r.flow.Verified() || r.failures() != 0 {
		t.Fatalf("the right code: %v, %d failures, verified %v", err, r.failures(), r.flow.Verified())
	}
	if err := r.flow.StepUp(right); !errors.Is(err, authapp.ErrReplayed) {
		t.Fatalf("the same code again: %v", err)
	}
	pw, err := r.flow.CreateAppPassword(" Laptop ")
	if err != nil {
		t.Fatal(err)
	}
	if pw.Method.Label != "Laptop" || len(pw.Password) != apppassword.Length || pw.Formatted != apppassword.Format(pw.Password) {
		t.Fatalf("created %+v", pw)
	}
	if err := apppassword.Verify(r.dir, "alice@contoso.example", pw.Password, r.c.Now()); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	if err := r.flow.DeleteAppPassword(pw.Method); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.DeleteAppPassword(pw.Method); !errors.Is(err, apppassword.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
	if ms, _ := apppassword.List(r.dir, "alice@contoso.example"); len(ms) != 0 {
		t.Fatalf("left %v", ms)
	}
	got := strings.Join(*log, "|")
	want := "sign-in alice@contoso.example|app-password-created alice@contoso.example Laptop|app-password-deleted alice@contoso.example Laptop"
	if got != want {
		t.Errorf("audit = %s\nwant    %s", got, want)
	}
	// Elsewhere than Security info, nothing.
	r.flow.Back()
	if _, err := r.flow.CreateAppPassword("Desk"); !errors.Is(err, wizard.ErrNotNow) {
		t.Fatalf("on %v: %v", r.flow.Page(), err)
	}
}

// Step-up codes back off and lock like every other check, on the count
// sign-in keeps.
func TestFlow_StepUpBacksOffAndLocks(t *testing.T) {
	r, _ := managing(t)
	for i := 0; i < 3; i++ {
		if err := r.flow.StepUp("000000"); !errors.Is(err, authapp.ErrWrongCode) && !errors.Is(err, authapp.ErrClockSkew) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	var w *wizard.WaitError
	if err := r.flow.StepUp(authapp.Code(appSeed, r.c.Now())); !errors.As(err, &w) || w.Wait != time.Second || r.flow.Verified() {
		t.Fatalf("after 3 failures: %v", err)
	}
	r.c.Add(time.Second)
	if err := r.flow.StepUp(authapp.Code(appSeed, r.c.Now())); err != nil || r.failures() != 0 {
		t.Fatalf("after the wait: %v", err)
	}
	r.dir.UpdateAccount("alice@contoso.example", func(a *info.Account) error { a.Failures = wizard.MaxFailures; return nil })
	r.c.Add(time.Minute)
	if err := r.flow.StepUp(authapp.Code(appSeed, r.c.Now())); !errors.Is(err, wizard.ErrLocked) {
		t.Fatalf("a locked account: %v", err)
	}
}

func TestFlow_StepUpWithoutAnAuthenticatorApp(t *testing.T) {
	r, _ := managing(t)
	r.dir.RemoveAllMethods("alice@contoso.example")
	if err := r.flow.StepUp("123456"); !errors.Is(err, wizard.ErrNoAuthenticator) || r.failures() != 0 {
		t.Fatalf("%v, %d failures", err, r.failures())
	}
}

// wipingStore ends the session while the flow works, as an idle wipe on a
// kiosk can while a check runs in the background.
type wipingStore struct {
	info.Store
	flow   *wizard.Flow
	during string // the store call during which the session ends
}

func (w *wipingStore) wipe(call string) {
	if w.during == call {
		w.during = ""
		w.flow.Wipe()()
	}
}

func (w *wipingStore) Secret(account, id string) ([]byte, error) {
	w.wipe("Secret")
	return w.Store.Secret(account, id)
}

func (w *wipingStore) SetPass(account, replaces string, p info.Pass) error {
	w.wipe("SetPass")
	return w.Store.SetPass(account, replaces, p)
}

func (w *wipingStore) RemoveMethod(account, id string) error {
	w.wipe("RemoveMethod")
	return w.Store.RemoveMethod(account, id)
}

// A second factor checked for one person never counts for the next.
func TestFlow_StepUpFinishingAfterAWipeVerifiesNobody(t *testing.T) {
	r, _ := managing(t)
	ws := &wipingStore{Store: r.dir, during: "Secret"}
	r.flow = wizard.New(wizard.Config{Policy: r.flow.Policy(), Dir: ws, Now: r.c.Now, Rand: seeded()})
	ws.flow = r.flow
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.OpenManage()
	if err := r.flow.StepUp(authapp.Code(appSeed, r.c.Now())); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageSignIn)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	if r.flow.Verified() {
		t.Fatal("the code checked in the last session verified this one")
	}
}

// A method is in the audit log as soon as it is saved, even if the
// session ends before the person moves on.
func TestFlow_ARegistrationIsAuditedWhenItIsSaved(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone)
	var log []string
	r.flow = wizard.New(wizard.Config{Policy: r.flow.Policy(), Dir: r.dir, Now: r.c.Now, Rand: seeded(),
		Setups: fakes(&r.made, app, phone),
		Audit:  func(_, action, account, detail string) error { log = append(log, action+" "+detail); return nil }})
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	if err := r.setup().Complete(); err != nil {
		t.Fatal(err)
	}
	r.flow.Cancel()
	if got := strings.Join(log, "|"); got != "sign-in |method-added authenticator-app" {
		t.Errorf("audit = %s", got)
	}
}

// Deleting an app password removes only an app password: a method of
// another kind named by its ID (with the kind written over) stays.
func TestFlow_DeleteAppPasswordRemovesOnlyAnAppPassword(t *testing.T) {
	r, log := managing(t)
	if err := r.flow.StepUp(authapp.Code(appSeed, r.c.Now())); err != nil {
		t.Fatal(err)
	}
	forged := info.Method{ID: "a1", Kind: info.KindAppPassword, Label: "Pixel"} // a1 is alice's authenticator app
	if err := r.flow.DeleteAppPassword(forged); !errors.Is(err, apppassword.ErrNotFound) {
		t.Fatalf("deleting the authenticator app as an app password: %v", err)
	}
	if got := r.kinds(); len(got) != 1 || got[0] != app {
		t.Fatalf("alice's methods now %v, want her authenticator app", got)
	}
	for _, l := range *log {
		if strings.Contains(l, "deleted") {
			t.Errorf("audited %q", l)
		}
	}
}

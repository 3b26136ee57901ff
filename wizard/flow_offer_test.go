package wizard_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// plan names the flow's steps, in order.
func (r *rig) plan() string {
	var out []string
	for _, s := range r.flow.Steps() {
		out = append(out, string(s.Kind))
	}
	return strings.Join(out, ",")
}

// choiceNames names what the chooser offers.
func (r *rig) choiceNames() string {
	r.t.Helper()
	cs, err := r.flow.Choices()
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Kind))
	}
	return strings.Join(out, ",")
}

// A method this station can't register is never offered: not by the
// chooser, not as a step to fill up to the minimum, not as the App
// password section.
func TestFlow_MethodsWithoutASetupAreNeverOffered(t *testing.T) {
	r := newRig(t, `organisation = "C"
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone", "email", "security-questions"]
min_methods = 2
app_passwords = true
`, app, email) // no phone, no questions, no app passwords here
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	if got := r.plan(); got != "authenticator-app,email" {
		t.Errorf("plan = %s, want only what can be registered", got)
	}
	r.flow.OpenChooser()
	if got := r.choiceNames(); got != "authenticator-app,email" {
		t.Errorf("choices = %s", got)
	}
	if err := r.flow.Choose(phone); err == nil {
		t.Fatal("a method without a setup was chosen")
	}
	r.want(wizard.PageChooser)
}

// A method whose setup fails to start is refused at the chooser, which
// stays open and offers it no more; nothing of the plan changes.
func TestFlow_ChoosingAMethodThatFailsToStartLeavesThePersonWhereTheyWere(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone)
	boom := errors.New("no mail server")
	setups := fakes(&r.made, app, phone)
	setups[email] = func(wizard.SetupContext) (wizard.Setup, error) { return nil, boom }
	r.flow = wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy), Dir: r.dir, Now: r.c.Now, Rand: seeded(), Setups: setups})
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	before := r.plan()
	current := r.setup()
	r.flow.OpenChooser()
	err := r.flow.Choose(email)
	if !errors.Is(err, boom) || !wizard.HasWords(err) {
		t.Fatalf("Choose(email) = %v, want the factory's error with words", err)
	}
	r.want(wizard.PageChooser)
	if strings.Contains(r.choiceNames(), "email") {
		t.Error("the chooser still offers the method that failed")
	}
	r.flow.Back()
	if r.plan() != before || r.setup() != current || current.aborted {
		t.Errorf("plan %s (was %s), setup kept %v", r.plan(), before, r.setup() == current)
	}
}

// A method the person leaves for another one leaves the plan: it does not
// come back after the chosen one, unless nothing else can make up the
// organisation's minimum.
func TestFlow_AMethodLeftForAnotherLeavesThePlan(t *testing.T) {
	r := newRig(t, `organisation = "C"
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone", "email", "security-questions"]
min_methods = 3
`, app, phone, email, info.KindSecurityQuestions)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	r.setup().Complete()
	r.flow.Next()
	if got := r.plan(); got != "authenticator-app,phone,email" {
		t.Fatalf("plan = %s", got)
	}
	// On the phone, the person chooses email (a later step) instead.
	r.flow.OpenChooser()
	if err := r.flow.Choose(email); err != nil {
		t.Fatal(err)
	}
	if got := r.plan(); got != "authenticator-app,email,security-questions" {
		t.Errorf("plan = %s, want the phone gone and the minimum still met", got)
	}
	r.setup().Complete()
	r.flow.Next()
	if r.setup().Kind() != info.KindSecurityQuestions {
		t.Errorf("after email: %v", r.setup().Kind())
	}
	r.setup().Complete()
	r.flow.Next()
	r.want(wizard.PageSuccess)
}

// A step whose setup fails to start is dropped for one that can be
// registered, unless it is required.
func TestFlow_AFillerThatFailsToStartIsReplaced(t *testing.T) {
	const policy = `organisation = "C"
required = ["authenticator-app"]
allowed = ["authenticator-app", "phone", "email"]
min_methods = 2
`
	r := newRig(t, policy, app, email)
	setups := fakes(&r.made, app, email)
	setups[phone] = func(wizard.SetupContext) (wizard.Setup, error) { return nil, errors.New("no sender") }
	r.flow = wizard.New(wizard.Config{Policy: mustPolicy(t, policy), Dir: r.dir, Now: r.c.Now, Rand: seeded(), Setups: setups})
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	r.setup().Complete()
	r.flow.Next()
	if s, ok := r.flow.Setup().(*fakeSetup); !ok || s.Kind() != email {
		t.Fatalf("setup = %#v, want email instead of the phone that can't start", r.flow.Setup())
	}
	if got := r.plan(); got != "authenticator-app,email" {
		t.Errorf("plan = %s", got)
	}
}

// Progress counts what is registered: a person who registered the app and
// closed the window is on method 2 of 3 when they come back, with the app
// marked done.
func TestFlow_ProgressCountsWhatIsAlreadyRegistered(t *testing.T) {
	// The first method is email (no second factor), so coming back needs
	// no re-authentication: the test is about the plan.
	r := newRig(t, `organisation = "Contoso"
required = ["email", "phone"]
min_methods = 2
app_passwords = true
`, info.KindEmail, phone, info.KindAppPassword)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	if n, total := r.flow.Progress(); n != 1 || total != 3 {
		t.Fatalf("first visit: %d of %d", n, total)
	}
	r.setup().Complete()
	r.flow.Cancel() // the window closed
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	if n, total := r.flow.Progress(); n != 2 || total != 3 || r.setup().Kind() != phone {
		t.Fatalf("back again: %d of %d on %v, want 2 of 3 on the phone", n, total, r.setup().Kind())
	}
	var marks []string
	for _, j := range r.flow.Journey() {
		mark := "todo"
		switch {
		case j.Done:
			mark = "done"
		case j.Current:
			mark = "current"
		}
		marks = append(marks, string(j.Kind)+":"+mark)
	}
	if got := strings.Join(marks, " "); got != "email:done phone:current app-password:todo" {
		t.Errorf("journey = %s", got)
	}
	r.setup().Complete()
	r.flow.Next()
	if n, total := r.flow.Progress(); n != 3 || total != 3 {
		t.Errorf("last: %d of %d", n, total)
	}
}

// An app password created in the wizard is audited with its name.
func TestFlow_AppPasswordCreatedInTheWizardIsAuditedByName(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone)
	var details []string
	setups := fakes(&r.made, app, phone)
	setups[info.KindAppPassword] = apppassword.NewSetup
	r.flow = wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy), Dir: r.dir, Now: r.c.Now, Rand: seeded(), Setups: setups,
		Audit: func(_, action, _, detail string) error {
			if action == info.ActionAppPasswordCreated {
				details = append(details, detail)
			}
			return nil
		}})
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	for range 2 {
		r.setup().Complete()
		r.flow.Next()
	}
	a, ok := r.flow.Setup().(*apppassword.Setup)
	if !ok {
		t.Fatalf("setup = %T", r.flow.Setup())
	}
	if err := a.SetName("Outlook 2010"); err != nil {
		t.Fatal(err)
	}
	if err := a.Next(); err != nil {
		t.Fatal(err)
	}
	if len(details) != 1 || details[0] != "Outlook 2010" {
		t.Errorf("audited details %q, want the app password's name", details)
	}
}

// Choosing another method from the App password section keeps the
// section: it comes after the chosen method.
func TestFlow_ChoosingFromTheAppPasswordSectionKeepsIt(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone, email, info.KindAppPassword)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	for range 2 {
		r.setup().Complete()
		r.flow.Next()
	}
	if st, _ := r.flow.Step(); st.Kind != info.KindAppPassword {
		t.Fatalf("step %v", st.Kind)
	}
	r.flow.OpenChooser()
	if err := r.flow.Choose(email); err != nil {
		t.Fatal(err)
	}
	if got := r.plan(); got != "authenticator-app,phone,email,app-password" {
		t.Errorf("plan = %s", got)
	}
}

package wizard_test

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

const defaultPolicy = `organisation = "Contoso"
required = ["authenticator-app", "phone"]
allowed = ["authenticator-app", "phone", "email", "security-questions"]
min_methods = 2
app_passwords = true
`

type rig struct {
	t    *testing.T
	dir  info.Store
	flow *wizard.Flow
	made []*fakeSetup
	c    *testkit.Clock
}

func newRig(t *testing.T, policy string, built ...info.Kind) *rig {
	r := &rig{t: t, dir: newStore(t), c: newClock(t0)}
	addAccount(t, r.dir, "alice@contoso.example", "correct-horse")
	r.flow = wizard.New(wizard.Config{Policy: mustPolicy(t, policy), Dir: r.dir, Now: r.c.Now, Rand: seeded(), Setups: fakes(&r.made, built...)})
	return r
}

func (r *rig) setup() *fakeSetup {
	r.t.Helper()
	s, ok := r.flow.Setup().(*fakeSetup)
	if !ok {
		r.t.Fatalf("setup is %T, want a fake", r.flow.Setup())
	}
	return s
}

func (r *rig) want(p wizard.Page) {
	r.t.Helper()
	if got := r.flow.Page(); got != p {
		r.t.Fatalf("page = %v, want %v", got, p)
	}
}

func (r *rig) kinds() []info.Kind {
	ms, err := r.dir.Methods("alice@contoso.example")
	if err != nil {
		r.t.Fatal(err)
	}
	var out []info.Kind
	for _, m := range ms {
		out = append(out, m.Kind)
	}
	return out
}

func TestFlow_TheSeedsWalk(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone)
	r.want(wizard.PageSignIn)
	if err := r.flow.SignIn("alice@contoso.example", "nope"); !errors.Is(err, wizard.ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	r.want(wizard.PageSignIn)
	if err := r.flow.SignIn("alice@contoso.example", "correct-horse"); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMoreInfo)
	if err := r.flow.Next(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMethod)
	if n, total := r.flow.Progress(); n != 1 || total != 2 || r.setup().Kind() != app {
		t.Fatalf("progress %d of %d on %v", n, total, r.setup().Kind())
	}
	// Next before the method is registered does nothing.
	if err := r.flow.Next(); !errors.Is(err, wizard.ErrStepNotDone) {
		t.Fatalf("early Next: %v", err)
	}
	if err := r.flow.Skip(); !errors.Is(err, wizard.ErrStepRequired) {
		t.Fatalf("Skip of a required method: %v", err)
	}
	r.setup().Next()
	if !r.flow.CanBack() {
		t.Fatal("Back disabled on a method's second screen")
	}
	if err := r.flow.Back(); err != nil || r.setup().Screen() != "first" {
		t.Fatalf("Back inside the method: %v, screen %s", err, r.setup().Screen())
	}
	if err := r.setup().Complete(); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.Next(); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.flow.Progress(); n != 2 || r.setup().Kind() != phone {
		t.Fatalf("second method: %d %v", n, r.setup().Kind())
	}
	// A registered method can't be undone by Back from the next method's
	// first screen.
	if r.flow.CanBack() || r.flow.Back() == nil {
		t.Fatal("Back from the second method's first screen went back")
	}
	r.setup().Complete()
	r.flow.Next()
	// The App password section has no setup on this station: it is not
	// offered, and the wizard ends.
	r.want(wizard.PageSuccess)
	if got := fmt.Sprint(r.kinds()); got != "[authenticator-app phone]" {
		t.Errorf("stored = %s", got)
	}
	if got := fmt.Sprint(r.flow.RegisteredNow()); got != "[authenticator-app phone]" {
		t.Errorf("registered now = %s", got)
	}
	if err := r.flow.Done(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageSignIn)
	// Signing in again: nothing more is required.
	if err := r.flow.SignIn("alice@contoso.example", "correct-horse"); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageUpToDate)
}

func TestFlow_CancelLeavesNothingHalfRegistered(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	s := r.setup()
	s.Next()
	r.flow.Cancel()
	r.want(wizard.PageSignIn)
	if !s.aborted {
		t.Error("the pending setup was not aborted")
	}
	if len(r.kinds()) != 0 || r.flow.Account() != "" || r.flow.Setup() != nil {
		t.Errorf("after Cancel: stored %v, account %q", r.kinds(), r.flow.Account())
	}
}

func TestFlow_RequiredButNotBuiltIsNeverSkipped(t *testing.T) {
	r := newRig(t, defaultPolicy, app) // phone has no setup
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	r.setup().Complete()
	r.flow.Next()
	un, ok := r.flow.Setup().(*wizard.Unavailable)
	if !ok || un.Kind() != phone || un.Err != nil {
		t.Fatalf("setup = %#v, want phone unavailable", r.flow.Setup())
	}
	if r.flow.Next() == nil || r.flow.Skip() == nil {
		t.Fatal("a required method that isn't built was passed")
	}
	r.want(wizard.PageMethod)
}

func TestFlow_FactoryErrorShownAsUnavailable(t *testing.T) {
	r := newRig(t, defaultPolicy)
	boom := errors.New("too many devices")
	r.flow = wizard.New(wizard.Config{Policy: r.flow.Policy(), Dir: r.dir, Now: r.c.Now, Rand: seeded(),
		Setups: map[info.Kind]wizard.SetupFactory{app: func(wizard.SetupContext) (wizard.Setup, error) { return nil, boom }}})
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	if un, ok := r.flow.Setup().(*wizard.Unavailable); !ok || !errors.Is(un.Err, boom) {
		t.Fatalf("setup = %#v", r.flow.Setup())
	}
}

func TestFlow_ChooseADifferentMethod(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone, email)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	first := r.setup()
	if err := r.flow.OpenChooser(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageChooser)
	choices, _ := r.flow.Choices()
	var names []string
	for _, c := range choices {
		names = append(names, string(c.Kind))
		if c.UsedFor == "" {
			t.Errorf("%s has no 'used for'", c.Kind)
		}
	}
	// Security questions have no setup here: not offered.
	if got := strings.Join(names, ","); got != "authenticator-app,phone,email" {
		t.Errorf("choices = %s", got)
	}
	if err := r.flow.Choose(keyK); !errors.Is(err, wizard.ErrNotAllowed) {
		t.Errorf("choosing a method the policy doesn't allow: %v", err)
	}
	if err := r.flow.Choose(email); err != nil {
		t.Fatal(err)
	}
	if !first.aborted || r.setup().Kind() != email {
		t.Fatalf("after choosing email: first aborted %v, now %v", first.aborted, r.setup().Kind())
	}
	// The required app was current: email is added before it, not instead.
	var plan []string
	for _, s := range r.flow.Steps() {
		plan = append(plan, string(s.Kind))
	}
	if got := strings.Join(plan, ","); got != "email,authenticator-app,phone" {
		t.Errorf("plan = %s", got)
	}
	r.setup().Complete()
	r.flow.Next()
	if r.setup().Kind() != app {
		t.Fatalf("after email: %v", r.setup().Kind())
	}
	// The chooser no longer offers what is registered.
	r.flow.OpenChooser()
	if err := r.flow.Choose(email); !errors.Is(err, wizard.ErrAlreadyHave) {
		t.Errorf("choosing email again: %v", err)
	}
	r.flow.Back()
	r.want(wizard.PageMethod)
}

func TestFlow_KeyringPageReturnsWhereThePersonWas(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	r.flow.KeyringProblem(info.ErrKeyringLocked)
	r.want(wizard.PageKeyring)
	if err := r.flow.KeyringChecked(info.ErrKeyringUnavailable); !errors.Is(err, info.ErrKeyringUnavailable) {
		t.Fatal(err)
	}
	r.want(wizard.PageKeyring)
	if !errors.Is(r.flow.KeyringError(), info.ErrKeyringUnavailable) {
		t.Errorf("reason = %v", r.flow.KeyringError())
	}
	if err := r.flow.KeyringChecked(r.flow.CheckKeyring()); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMethod)
}

// TestFlow_EveryTransition explores every state reachable by any sequence
// of actions, the keyring failing and coming back included, and checks the
// invariants in each: no action panics, the store never holds a method
// whose test did not pass, leaving the wizard aborts whatever was pending,
// and Back from the chooser, keyring and manage pages always leads out of
// them.
func TestFlow_EveryTransition(t *testing.T) {
	type action struct {
		name string
		do   func(r *rig) error
	}
	acts := []action{
		{"next", func(r *rig) error { return r.flow.Next() }},
		{"back", func(r *rig) error { return r.flow.Back() }},
		{"skip", func(r *rig) error { return r.flow.Skip() }},
		{"chooser", func(r *rig) error { return r.flow.OpenChooser() }},
		{"choose-email", func(r *rig) error { return r.flow.Choose(email) }},
		{"choose-app", func(r *rig) error { return r.flow.Choose(app) }},
		{"cancel", func(r *rig) error { r.flow.Cancel(); return nil }},
		{"done", func(r *rig) error { return r.flow.Done() }},
		{"manage", func(r *rig) error { return r.flow.OpenManage() }},
		{"signin", func(r *rig) error { return r.flow.Begin(info.Account{Name: "alice@contoso.example"}) }},
		{"keyring-problem", func(r *rig) error { r.flow.KeyringProblem(info.ErrKeyringLocked); return nil }},
		{"keyring-still-locked", func(r *rig) error { return r.flow.KeyringChecked(info.ErrKeyringLocked) }},
		{"keyring-ok", func(r *rig) error { return r.flow.KeyringChecked(nil) }},
		{"method-next", func(r *rig) error {
			if s, ok := r.flow.Setup().(*fakeSetup); ok {
				s.Next()
			}
			return nil
		}},
		{"method-complete", func(r *rig) error {
			if s, ok := r.flow.Setup().(*fakeSetup); ok && !s.done {
				return s.Complete()
			}
			return nil
		}},
	}
	hash := testkit.CheapHash(t, "correct-horse")
	replay := func(path []int) *rig {
		r := &rig{t: t, dir: newStore(t), c: newClock(t0)}
		r.dir.CreateAccount(info.Account{Name: "alice@contoso.example", PasswordHash: hash})
		r.flow = wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy), Dir: r.dir, Now: r.c.Now, Rand: seeded(), Setups: fakes(&r.made, app, phone, email)})
		for _, a := range path {
			acts[a].do(r)
		}
		return r
	}
	overlay := map[wizard.Page]bool{wizard.PageChooser: true, wizard.PageKeyring: true, wizard.PageManage: true}
	// trail is where Back leads from an overlay page (chooser, keyring,
	// manage), page by page until a page that isn't one; ok is false if
	// Back gets stuck on overlays.
	trail := func(r *rig) (pages []wizard.Page, ok bool) {
		for i := 0; i < 4 && overlay[r.flow.Page()]; i++ {
			if err := r.flow.Back(); err != nil {
				return pages, false
			}
			pages = append(pages, r.flow.Page())
		}
		return pages, !overlay[r.flow.Page()]
	}
	key := func(r *rig, path []int) string {
		scr := ""
		if s := r.flow.Setup(); s != nil {
			scr = s.Screen()
		}
		var plan []string
		for _, s := range r.flow.Steps() {
			plan = append(plan, string(s.Kind))
		}
		st, _ := r.flow.Step()
		// The pages Back returns to are part of the state: walk them on a
		// replay of the same path.
		back, ok := trail(replay(path))
		if !ok {
			t.Fatalf("after %v: Back from %v gets stuck on %v", path, r.flow.Page(), back)
		}
		return fmt.Sprintf("%v|%v|%v|%v|%v|%v", r.flow.Page(), st.Kind, scr, plan, r.kinds(), back)
	}
	seen := map[string]bool{key(replay(nil), nil): true}
	queue := [][]int{nil}
	edges := 0
	const maxStates = 20000
	for len(queue) > 0 {
		if len(seen) > maxStates {
			t.Fatalf("more than %d states: the walk would not be exhaustive", maxStates)
		}
		path := queue[0]
		queue = queue[1:]
		for i := range acts {
			next := append(append([]int(nil), path...), i)
			r := replay(next)
			edges++
			// Invariant: whatever is stored was completed by its setup.
			completed := map[info.Kind]bool{}
			for _, s := range r.made {
				if s.done {
					completed[s.kind] = true
				}
			}
			for _, k := range r.kinds() {
				if !completed[k] {
					t.Fatalf("after %v: %s stored without passing its test", next, k)
				}
			}
			// Invariant: outside the method pages no setup is pending.
			if p := r.flow.Page(); p == wizard.PageSignIn || p == wizard.PageMoreInfo || p == wizard.PageSuccess {
				for _, s := range r.made {
					if !s.done && !s.aborted && s == r.flow.Setup() {
						t.Fatalf("after %v: a setup is still pending on %v", next, p)
					}
				}
				if r.flow.Setup() != nil {
					t.Fatalf("after %v: setup %T left on %v", next, r.flow.Setup(), p)
				}
			}
			if k := key(r, next); !seen[k] {
				seen[k] = true
				queue = append(queue, next)
			}
		}
	}
	pages := map[string]bool{}
	for k := range seen {
		pages[strings.Split(k, "|")[0]] = true
	}
	for _, p := range []string{"sign-in", "more-info", "method", "chooser", "success", "up-to-date", "manage", "keyring"} {
		if !pages[p] {
			t.Errorf("page %s never reached", p)
		}
	}
	t.Logf("%d states, %d transitions", len(seen), edges)
}

// TestNoFyneInWizard keeps the flow testable without a window.
func TestNoFyneInWizard(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/securityinfo/securityinfo/wizard/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "github.com/securityinfo/securityinfo/wizard/info") {
		t.Fatalf("go list output looks wrong:\n%s", out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "fyne.io/") {
			t.Errorf("wizard depends on %s", dep)
		}
	}
}

func TestFlow_AuditNeverLogsWhatWasTypedAsAName(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone)
	var log []string
	r.flow = wizard.New(wizard.Config{Policy: r.flow.Policy(), Dir: r.dir, Now: r.c.Now, Rand: seeded(),
		Setups: fakes(&r.made, app, phone),
		Audit:  func(_, action, account, detail string) error { log = append(log, action+" "+account); return nil }})
	r.flow.SignIn("correct-horse", "x") // a password typed as the name
	r.flow.SignIn("alice@contoso.example", "wrong")
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	r.setup().Complete()
	r.flow.Next()
	want := "sign-in-failed (unknown account)|sign-in-failed alice@contoso.example|sign-in alice@contoso.example|method-added alice@contoso.example"
	if got := strings.Join(log, "|"); got != want {
		t.Errorf("audit = %s\nwant    %s", got, want)
	}
}

func TestFlow_HelpdeskStationIsForOperatorsOnly(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, "alice@contoso.example", "correct-horse")
	dir.CreateAccount(info.Account{Name: "op@contoso.example", PasswordHash: testkit.CheapHash(t, "operator-pw"), Helpdesk: true})
	pol := mustPolicy(t, defaultPolicy+"mode = \"helpdesk\"\n")
	f := wizard.New(wizard.Config{Policy: pol, Dir: dir, Now: (newClock(t0)).Now, Rand: seeded()})
	if err := f.SignIn("alice@contoso.example", "correct-horse"); !errors.Is(err, wizard.ErrNotHelpdesk) || f.Page() != wizard.PageSignIn {
		t.Fatalf("a person on the helpdesk station: %v on %v", err, f.Page())
	}
	// An operator without a second factor is refused too (see
	// TestFlow_HelpdeskPowersNeedASecondFactorAndSpareOperators for one with).
	if err := f.SignIn("op@contoso.example", "operator-pw"); !errors.Is(err, wizard.ErrOperatorNeedsSecondFactor) || f.Page() != wizard.PageSignIn {
		t.Fatalf("operator without a second factor: %v on %v", err, f.Page())
	}
}

func TestFlow_ChoosingTheCurrentOrALaterMethodLosesNoStep(t *testing.T) {
	r := newRig(t, `organisation = "C"
allowed = ["authenticator-app", "phone"]
min_methods = 2
`, app, phone)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	r.flow.OpenChooser()
	if err := r.flow.Choose(app); err != nil { // the current one
		t.Fatal(err)
	}
	r.flow.OpenChooser()
	if err := r.flow.Choose(phone); err != nil { // a later one
		t.Fatal(err)
	}
	var plan []string
	for _, s := range r.flow.Steps() {
		plan = append(plan, string(s.Kind))
	}
	if got := strings.Join(plan, ","); got != "phone,authenticator-app" {
		t.Errorf("plan = %s, want both methods still there", got)
	}
}

func TestFlow_BackIsRefusedOnceAMethodIsRegistered(t *testing.T) {
	r := newRig(t, defaultPolicy, app, phone)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	r.setup().Complete()
	if r.flow.CanBack() || r.flow.Back() == nil {
		t.Fatal("Back offered on a registered method's last screen")
	}
	r.want(wizard.PageMethod)
}

// The pages Back returns to are a stack: a keyring problem on the Security
// info page, once solved, returns there, and Back then leaves it for the
// page it was opened from, not back to itself.
func TestFlow_BackUnwindsThePagesOpenedOnTopOfEachOther(t *testing.T) {
	r := newRig(t, `organisation = "C"
required = ["authenticator-app"]
`, app)
	r.dir.AddMethod("alice@contoso.example", info.Method{ID: "a1", Kind: app, Created: t0}, []byte("k"))
	if err := r.flow.SignIn("alice@contoso.example", "correct-horse"); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageUpToDate)
	if err := r.flow.OpenManage(); err != nil {
		t.Fatal(err)
	}
	r.flow.KeyringProblem(info.ErrKeyringLocked)
	r.want(wizard.PageKeyring)
	if !r.flow.CanBack() {
		t.Fatal("no Back on the keyring page")
	}
	if err := r.flow.KeyringChecked(nil); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageManage)
	if err := r.flow.Back(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageUpToDate)
	if err := r.flow.Back(); !errors.Is(err, wizard.ErrNotNow) {
		t.Fatalf("Back from up to date: %v", err)
	}
	r.want(wizard.PageUpToDate)

	// Chooser, then a keyring problem on it: Back twice is the method.
	r = newRig(t, defaultPolicy, app, phone, email)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	r.flow.OpenChooser()
	r.flow.KeyringProblem(info.ErrKeyringUnavailable)
	r.flow.Back()
	r.want(wizard.PageChooser)
	r.flow.Back()
	r.want(wizard.PageMethod)
	// Choosing leaves the chooser for good: Back is the method's own.
	r.flow.OpenChooser()
	if err := r.flow.Choose(email); err != nil {
		t.Fatal(err)
	}
	if err := r.flow.Back(); err != nil {
		t.Fatal(err)
	}
	r.want(wizard.PageMoreInfo)
}

// The seed: when the organisation requires app passwords, the section
// "must be filled out": no skipping it.
func TestFlow_RequiredAppPasswordCantBeSkipped(t *testing.T) {
	r := newRig(t, strings.Replace(defaultPolicy, "app_passwords = true", `app_passwords = "required"`, 1), app, phone, info.KindAppPassword)
	r.flow.SignIn("alice@contoso.example", "correct-horse")
	r.flow.Next()
	for range 2 {
		r.setup().Complete()
		r.flow.Next()
	}
	if st, _ := r.flow.Step(); st.Kind != info.KindAppPassword || st.Optional || !st.Required {
		t.Fatalf("step = %+v, want the app password, required", st)
	}
	if err := r.flow.Skip(); !errors.Is(err, wizard.ErrStepRequired) {
		t.Fatalf("Skip of a required app password: %v", err)
	}
	r.want(wizard.PageMethod)
}

package wizard_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// helpdesk signs an operator in on a helpdesk station; alice has an app
// and a phone. log collects "actor action account detail".
func helpdesk(t *testing.T, dir info.Store) (*wizard.Flow, *[]string) {
	t.Helper()
	addAccount(t, dir, "alice@contoso.example", "correct-horse")
	addAccount(t, dir, "op@contoso.example", "operator-pw")
	dir.UpdateAccount("op@contoso.example", func(a *info.Account) error { a.Helpdesk = true; return nil })
	// An operator proves a second factor at every sign-in.
	dir.AddMethod("op@contoso.example", info.Method{ID: "o1", Kind: app, Label: "Operator's phone", Created: t0}, opKey)
	dir.AddMethod("alice@contoso.example", info.Method{ID: "a1", Kind: app, Label: "Pixel", Created: t0}, []byte("seed"))
	dir.AddMethod("alice@contoso.example", info.Method{ID: "p1", Kind: phone, Label: "+1 ••• ••• 0123", Phone: "+12015550123", Created: t0}, nil)
	log := &[]string{}
	f := wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy+"mode = \"helpdesk\"\n"), Dir: dir, Now: (newClock(t0)).Now, Rand: seeded(),
		Provers: map[info.Kind]method.ProverFactory{app: authapp.NewProver},
		Audit: func(actor, action, account, detail string) error {
			*log = append(*log, strings.TrimSpace(actor+" "+action+" "+account+" "+detail))
			return nil
		}})
	if _, err := f.LookUp("alice@contoso.example"); !errors.Is(err, wizard.ErrNotSignedIn) {
		t.Fatalf("before sign-in: %v", err)
	}
	operatorSignIn(t, f, t0)
	*log = nil
	return f, log
}

// opKey is the operator's authenticator key in helpdesk().
var opKey = []byte("operator-seed-20byte")

// operatorSignIn signs the operator in: password, then their app's code
// for the time when (each code is used once).
func operatorSignIn(t *testing.T, f *wizard.Flow, when time.Time) {
	t.Helper()
	if err := f.SignIn("op@contoso.example", "operator-pw"); err != nil {
		t.Fatal(err)
	}
	if f.Page() != wizard.PageVerify {
		t.Fatalf("an operator reached %s on a password alone", f.Page())
	}
	opts, err := f.ProofOptions()
	if err != nil || len(opts) == 0 {
		t.Fatalf("ProofOptions: %v %v", opts, err)
	}
	if _, err := f.StartProof(opts[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.Prove([]string{authapp.Code(opKey, when)}); err != nil {
		t.Fatal(err)
	}
	if f.Page() != wizard.PageHelpdesk {
		t.Fatalf("after the operator's code: %s", f.Page())
	}
}

func TestFlow_HelpdeskOperationsAuditThemselves(t *testing.T) {
	dir := newStore(t)
	f, log := helpdesk(t, dir)
	names, more, err := f.FindAccounts("ALI")
	if err != nil || more || len(names) != 1 || names[0] != "alice@contoso.example" {
		t.Fatalf("FindAccounts: %v %v %v", names, more, err)
	}
	dir.UpdateAccount("alice@contoso.example", func(a *info.Account) error {
		a.Failures, a.LastFailure = wizard.MaxFailures, t0
		return nil
	})
	s, err := f.LookUp("ALICE@contoso.example")
	if err != nil || s.Name != "alice@contoso.example" || !s.Locked || len(s.Methods) != 2 {
		t.Fatalf("LookUp: %+v, %v", s, err)
	}
	for _, m := range s.Methods {
		if m.Phone != "" || m.Hash != "" {
			t.Errorf("the operator is given %+v", m)
		}
	}
	if err := f.UnlockAccount("alice@contoso.example"); err != nil {
		t.Fatal(err)
	}
	if a, _ := dir.Account("alice@contoso.example"); a.Failures != 0 || !a.LastFailure.IsZero() {
		t.Fatalf("after Unlock: %+v", a)
	}
	if err := f.RemoveMethodOf("alice@contoso.example", s.Methods[1]); err != nil {
		t.Fatal(err)
	}
	p, err := f.IssuePass("alice@contoso.example", 8*time.Hour, true)
	if err != nil || p.Formatted != tap.Format(p.Pass) || !p.Expires.Equal(t0.Add(8*time.Hour)) || !p.OneTime {
		t.Fatalf("IssuePass: %+v, %v", p, err)
	}
	if err := tap.Check(dir, "alice@contoso.example", p.Pass, t0.Add(time.Minute)); err != nil {
		t.Fatalf("the pass: %v", err)
	}
	if n, err := f.ResetAccount("alice@contoso.example"); n != 1 || err != nil {
		t.Fatalf("ResetAccount: %d, %v", n, err)
	}
	got := strings.Join(*log, "|")
	want := "op@contoso.example unlock alice@contoso.example|" +
		"op@contoso.example method-removed alice@contoso.example phone|" +
		"op@contoso.example tap-issued alice@contoso.example lifetime 8h0m0s, one-time true|" +
		"op@contoso.example reset alice@contoso.example 1 method removed"
	if got != want {
		t.Errorf("audit = %s\nwant    %s", got, want)
	}
	if strings.Contains(got, p.Pass) {
		t.Error("the pass is in the audit log")
	}
	f.Done()
	if _, err := f.IssuePass("alice@contoso.example", 0, false); !errors.Is(err, wizard.ErrNotSignedIn) {
		t.Fatalf("signed out: %v", err)
	}
}

// An operator signed out while a pass is being made (an idle wipe during
// argon2id) still has it audited: the pass exists.
func TestFlow_APassIssuedDuringAWipeIsStillAudited(t *testing.T) {
	ws := &wipingStore{Store: newStore(t), during: "SetPass"}
	f, log := helpdesk(t, ws)
	ws.flow = f
	if _, err := f.IssuePass("alice@contoso.example", time.Hour, true); err != nil {
		t.Fatal(err)
	}
	if f.Page() != wizard.PageSignIn {
		t.Fatalf("page %v", f.Page())
	}
	if got := strings.Join(*log, "|"); got != "op@contoso.example tap-issued alice@contoso.example lifetime 1h0m0s, one-time true" {
		t.Errorf("audit = %s", got)
	}
	ws.during = "RemoveMethod"
	operatorSignIn(t, f, t0.Add(30*time.Second)) // the next code: the first is used
	if err := f.RemoveMethodOf("alice@contoso.example", info.Method{ID: "a1", Kind: app}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(*log, "|"), "op@contoso.example method-removed alice@contoso.example authenticator-app") {
		t.Errorf("audit = %s", strings.Join(*log, "|"))
	}
}

// An operator can't use the station on a password alone, and can't reset,
// unlock or give a pass to a helpdesk account, their own included.
func TestFlow_HelpdeskPowersNeedASecondFactorAndSpareOperators(t *testing.T) {
	dir := newStore(t)
	f, _ := helpdesk(t, dir)
	addAccount(t, dir, "op2@contoso.example", "operator-pw")
	dir.UpdateAccount("op2@contoso.example", func(a *info.Account) error { a.Helpdesk = true; return nil })
	for _, target := range []string{"op@contoso.example", "op2@contoso.example"} {
		if _, err := f.ResetAccount(target); !errors.Is(err, wizard.ErrNotForOperators) {
			t.Errorf("reset %s = %v", target, err)
		}
		if _, err := f.IssuePass(target, 0, true); !errors.Is(err, wizard.ErrNotForOperators) {
			t.Errorf("pass for %s = %v", target, err)
		}
		if err := f.UnlockAccount(target); !errors.Is(err, wizard.ErrNotForOperators) {
			t.Errorf("unlock %s = %v", target, err)
		}
		if err := f.RevokePassOf(target); !errors.Is(err, wizard.ErrNotForOperators) {
			t.Errorf("revoking the pass of %s = %v", target, err)
		}
	}
	if ms, _ := dir.Methods("op@contoso.example"); len(ms) != 1 {
		t.Errorf("the operator's own method was removed: %+v", ms)
	}
	if _, err := f.IssuePass("alice@contoso.example", 0, true); err != nil {
		t.Errorf("a pass for a walk-up: %v", err)
	}

	// op2 has no second factor: the station refuses them at sign-in.
	g := wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy+"mode = \"helpdesk\"\n"), Dir: dir, Now: (newClock(t0)).Now, Rand: seeded(),
		Provers: map[info.Kind]method.ProverFactory{app: authapp.NewProver}})
	if err := g.SignIn("op2@contoso.example", "operator-pw"); !errors.Is(err, wizard.ErrOperatorNeedsSecondFactor) {
		t.Errorf("an operator without a second factor = %v, want refused", err)
	}
	if g.Page() != wizard.PageSignIn {
		t.Errorf("refused operator is on %s", g.Page())
	}
}

// The operator sees whether the account has a pass, until when and
// whether it was used, and can revoke it; never the pass or its hash.
func TestFlow_HelpdeskSeesAndRevokesThePass(t *testing.T) {
	dir := newStore(t)
	f, log := helpdesk(t, dir)
	if s, _ := f.LookUp("alice@contoso.example"); s.Pass != nil {
		t.Fatalf("pass before any: %+v", s.Pass)
	}
	issued, err := f.IssuePass("alice@contoso.example", 8*time.Hour, true)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := f.LookUp("alice@contoso.example")
	if s.Pass == nil || !s.Pass.Active || !s.Pass.Expires.Equal(issued.Expires) || !s.Pass.OneTime || s.Pass.Used {
		t.Fatalf("pass = %+v", s.Pass)
	}
	if err := f.RevokePassOf("alice@contoso.example"); err != nil {
		t.Fatal(err)
	}
	if s, _ := f.LookUp("alice@contoso.example"); s.Pass != nil {
		t.Errorf("after revoking: %+v", s.Pass)
	}
	if err := tap.Check(dir, "alice@contoso.example", issued.Pass, t0.Add(time.Minute)); err == nil {
		t.Error("the revoked pass still signs in")
	}
	if got := strings.Join(*log, "|"); !strings.Contains(got, "op@contoso.example tap-revoked alice@contoso.example") {
		t.Errorf("audit %s", got)
	}
	// Expired: shown, not active.
	f.IssuePass("alice@contoso.example", time.Hour, false)
	dir.UpdateAccount("alice@contoso.example", func(*info.Account) error { return nil })
	p, _ := dir.GetPass("alice@contoso.example")
	p.Expires = t0.Add(-time.Minute)
	dir.SetPass("alice@contoso.example", p.Hash, p)
	if s, _ := f.LookUp("alice@contoso.example"); s.Pass == nil || s.Pass.Active {
		t.Errorf("expired pass = %+v", s.Pass)
	}
}

// helpdeskAt is helpdesk() with the station's clock in the test's hands
// and no audit log: the operator signs in at t0 with their app's code;
// alice has an app.
func helpdeskAt(t *testing.T, dir info.Store) (*wizard.Flow, *testkit.Clock) {
	t.Helper()
	addAccount(t, dir, alice, alicePW)
	addAccount(t, dir, "op@contoso.example", "operator-pw")
	dir.UpdateAccount("op@contoso.example", func(a *info.Account) error { a.Helpdesk = true; return nil })
	dir.AddMethod("op@contoso.example", info.Method{ID: "o1", Kind: info.KindAuthenticatorApp, Label: "Operator's phone", Created: t0}, opKey)
	dir.AddMethod(alice, info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel", Created: t0}, []byte("seed"))
	c := newClock(t0)
	f := wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy+"mode = \"helpdesk\"\n"), Dir: dir, Now: c.Now, Rand: seeded(),
		Provers: map[info.Kind]method.ProverFactory{info.KindAuthenticatorApp: authapp.NewProver}})
	operatorSignIn(t, f, t0)
	return f, c
}

// Whether the operator is changing their own account is decided as the
// stores decide which account a name names (info.AccountKey), not by
// strings.EqualFold: "op@contoſo.example" (a long s) is another person's
// account in the store, whose key differs from the operator's, though
// EqualFold folds ſ with s. The operator may help them; their own
// account stays refused.
func TestFlow_HelpdeskTellsTheOperatorApartAsTheStoreDoes(t *testing.T) {
	dir := newStore(t)
	f, _ := helpdesk(t, dir)
	other := "op@contoſo.example"
	addAccount(t, dir, other, "walk-up-pw")
	if a, err := dir.Account(other); err != nil || a.Name != other {
		t.Fatalf("the store finds %+v, %v for %q", a, err, other)
	}
	if err := f.UnlockAccount(other); err != nil {
		t.Errorf("unlock %s (not the operator) = %v", other, err)
	}
	if err := f.UnlockAccount("  OP@Contoso.Example "); !errors.Is(err, wizard.ErrNotForOperators) {
		t.Errorf("unlock the operator's own account, typed loosely = %v, want ErrNotForOperators", err)
	}
}

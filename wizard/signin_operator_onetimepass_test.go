package wizard_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/storage/storetest"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// TestSignIn_OperatorWithoutSecondFactorKeepsTheirOneTimePass: a helpdesk
// operator with no second factor who types their one-time pass at the
// helpdesk station is refused there (ErrOperatorNeedsSecondFactor: its
// powers never rest on a pass alone), and the pass is not used up nor
// recorded as used by that refusal: at a kiosk it still signs them in, to
// register the second factor the helpdesk station asks for. An operator
// with a second factor spends their one-time pass at the helpdesk station
// as anywhere, and goes on to prove that factor. It holds where the store
// keeps hashes and where the directory checks passwords (with or without
// an app at bind).
func TestSignIn_OperatorWithoutSecondFactorKeepsTheirOneTimePass(t *testing.T) {
	const op, op2 = "op@contoso.example", "op2@contoso.example"
	for _, c := range []struct {
		name      string
		directory bool
		codeAtBnd bool
	}{{"local", false, false}, {"directory", true, false}, {"directory with an app at bind", true, true}} {
		t.Run(c.name, func(t *testing.T) {
			mem := newStore(t)
			var dir info.Store = mem
			hash := func(pw string) string { return testkit.CheapHash(t, pw) }
			if c.directory {
				dir = bindStore{mem}
				hash = func(string) string { return "" }
			}
			for _, name := range []string{op, op2} {
				a := info.Account{Name: name, Helpdesk: true, CodeAtBind: c.codeAtBnd, PasswordHash: hash("pw-" + name), Created: t0}
				if err := dir.CreateAccount(a); err != nil {
					t.Fatal(err)
				}
			}
			// op2 has an authenticator app; op has no second factor.
			if err := dir.AddMethod(op2, info.Method{ID: "o2", Kind: app, Label: "Operator's phone", Created: t0}, opKey); err != nil {
				t.Fatal(err)
			}
			clock := newClock(t0)
			station := func(mode string) *wizard.Flow {
				v := &tap.Verifier{Passes: dir, Audit: dir, Station: mode + "-1"}
				return wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy+"mode = \""+mode+"\"\n"), Dir: dir, Now: clock.Now, Rand: seeded(),
					Provers: map[info.Kind]method.ProverFactory{app: authapp.NewProver}, Pass: v.SignIn})
			}
			issue := func(name string) string {
				t.Helper()
				p, err := tap.Issue(dir, name, time.Hour, true, clock.Now(), seeded())
				if err != nil {
					t.Fatal(err)
				}
				return tap.Format(p)
			}
			used := func(name string) bool {
				t.Helper()
				p, err := dir.GetPass(name)
				if err != nil {
					t.Fatal(err)
				}
				return p.Used
			}
			tapUsed := func(name string) int {
				t.Helper()
				es, err := storetest.AuditEntries(dir, name, time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, e := range es {
					if e.Action == info.ActionTAPUsed {
						n++
					}
				}
				return n
			}

			pass := issue(op)
			desk := station("helpdesk")
			if err := desk.SignIn(op, pass); !errors.Is(err, wizard.ErrOperatorNeedsSecondFactor) || desk.Page() != wizard.PageSignIn {
				t.Fatalf("an operator without a second factor, with their one-time pass, at the helpdesk station: %v on %s; want ErrOperatorNeedsSecondFactor on the sign-in page", err, desk.Page())
			}
			if used(op) || tapUsed(op) != 0 {
				t.Errorf("the helpdesk station refused the operator, yet used up their one-time pass (used %v, %d tap-used entries)", used(op), tapUsed(op))
			}
			clock.Add(time.Minute)
			kiosk := station("kiosk")
			if err := kiosk.SignIn(op, pass); err != nil {
				t.Fatalf("the one-time pass at the kiosk after the helpdesk station refused it: %v", err)
			}
			if !used(op) || tapUsed(op) != 1 {
				t.Errorf("the pass after a sign-in at the kiosk: used %v, %d tap-used entries; want used, one", used(op), tapUsed(op))
			}

			pass2 := issue(op2)
			desk2 := station("helpdesk")
			if err := desk2.SignIn(op2, pass2); err != nil || desk2.Page() != wizard.PageVerify {
				t.Fatalf("an operator with a second factor, with their one-time pass: %v on %s; want the second factor asked", err, desk2.Page())
			}
			if !used(op2) || tapUsed(op2) != 1 {
				t.Errorf("an operator's one-time pass after a sign-in at the helpdesk station: used %v, %d tap-used entries; want used, one", used(op2), tapUsed(op2))
			}
		})
	}
}

// TestSignIn_HelpdeskStationWrongPassesCostTheSame: at the helpdesk
// station a wrong pass costs the same reads and writes whoever the name
// names: an operator without a second factor (whose right pass the
// station checks without using), one with, a person it doesn't let in,
// or nobody. Admit is asked only of a pass found right.
func TestSignIn_HelpdeskStationWrongPassesCostTheSame(t *testing.T) {
	const op, op2, nobody = "op@contoso.example", "op2@contoso.example", "nobody@contoso.example"
	mem := newStore(t)
	for _, a := range []info.Account{{Name: op, Helpdesk: true}, {Name: op2, Helpdesk: true}, {Name: alice}} {
		a.PasswordHash, a.Created = testkit.CheapHash(t, "pw-"+a.Name), t0
		if err := mem.CreateAccount(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := mem.AddMethod(op2, info.Method{ID: "o2", Kind: app, Label: "Operator's phone", Created: t0}, opKey); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{op, op2, alice} {
		if _, err := tap.Issue(mem, name, time.Hour, true, t0, seeded()); err != nil {
			t.Fatal(err)
		}
	}
	dir := &testkit.WorkStore{Store: mem}
	v := &tap.Verifier{Passes: dir, Audit: dir}
	f := wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy+"mode = \"helpdesk\"\n"), Dir: dir, Now: newClock(t0).Now, Rand: seeded(),
		Provers: map[info.Kind]method.ProverFactory{app: authapp.NewProver}, Pass: v.SignIn})
	var first testkit.Work
	for i, name := range []string{op, op2, alice, nobody} {
		dir.Reset()
		if err := f.SignIn(name, "ABCD-EFGH-JKLM"); !errors.Is(err, wizard.ErrBadCredentials) {
			t.Fatalf("a wrong pass for %s: %v", name, err)
		}
		w := dir.Work()
		if i == 0 {
			if w.Reads == 0 || w.Writes == 0 {
				t.Fatalf("a wrong pass for %s cost nothing counted: %+v", name, w)
			}
			first = w
		} else if w != first {
			t.Errorf("a wrong pass for %s cost %+v, for %s %+v", name, w, op, first)
		}
	}
}

package wizard_test

import (
	"errors"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// TestSignIn_OneTimePassNotSpentByARefusedSignIn: a walk-up's one-time
// pass typed at the helpdesk station (the operator trying it, or the
// person at the wrong desk) is refused there (only helpdesk accounts sign
// in), once it was proved right, as before; but it is not used up by
// that: at the kiosk it still signs the person in.
func TestSignIn_OneTimePassNotSpentByARefusedSignIn(t *testing.T) {
	dir := newStore(t)
	addAccount(t, dir, alice, alicePW)
	pass, err := tap.Issue(dir, alice, time.Hour, true, t0, seeded())
	if err != nil {
		t.Fatal(err)
	}
	c := newClock(t0)
	station := func(mode string) *wizard.Flow {
		v := &tap.Verifier{Passes: dir}
		return wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy+"mode = \""+mode+"\"\n"), Dir: dir, Now: c.Now, Rand: seeded(), Pass: v.SignIn})
	}
	if err := station("helpdesk").SignIn(alice, tap.Format(pass)); !errors.Is(err, wizard.ErrNotHelpdesk) {
		t.Fatalf("the pass at the helpdesk station: %v", err)
	}
	c.Add(time.Minute)
	kiosk := station("kiosk")
	if err := kiosk.SignIn(alice, tap.Format(pass)); err != nil {
		t.Errorf("the one-time pass, refused at the helpdesk station without signing anyone in, no longer works at the kiosk: %v", err)
	}
}

// bindStore is a directory: it checks passwords itself (Bind), and here
// knows none, as for a person who has only a pass.
type bindStore struct{ *testkit.Store }

func (bindStore) Bind(string, string) (info.Account, error) {
	return info.Account{}, info.ErrWrongPassword
}

// TestSignIn_HelpdeskStationAnswersPassesAsBefore: at the helpdesk
// station a pass of an account it doesn't admit is still checked, and
// answered as before, so the answers tell no more which names exist or
// are helpdesk accounts: a wrong pass is a wrong password, a used or
// expired pass says so, and a right one is refused as not a helpdesk
// account only once it was proved right. That holds where the directory
// checks passwords too (with or without an app at bind). The one-time
// pass of a helpdesk account with a second factor is used, as anywhere
// (TestSignIn_OperatorWithoutSecondFactorKeepsTheirOneTimePass: one
// without keeps it).
func TestSignIn_HelpdeskStationAnswersPassesAsBefore(t *testing.T) {
	const op = "op@contoso.example"
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
			for _, a := range []info.Account{{Name: alice, CodeAtBind: c.codeAtBnd}, {Name: op, Helpdesk: true, CodeAtBind: c.codeAtBnd}} {
				a.PasswordHash, a.Created = hash("pw-"+a.Name), t0
				if err := dir.CreateAccount(a); err != nil {
					t.Fatal(err)
				}
			}
			if err := dir.AddMethod(op, info.Method{ID: "o1", Kind: app, Label: "Operator's phone", Created: t0}, opKey); err != nil {
				t.Fatal(err)
			}
			clock := newClock(t0)
			v := &tap.Verifier{Passes: dir}
			f := wizard.New(wizard.Config{Policy: mustPolicy(t, defaultPolicy+"mode = \"helpdesk\"\n"), Dir: dir, Now: clock.Now, Rand: seeded(), Pass: v.SignIn,
				Provers: map[info.Kind]method.ProverFactory{app: authapp.NewProver}})
			issue := func(name string, oneTime bool, life time.Duration) string {
				t.Helper()
				p, err := tap.Issue(dir, name, life, oneTime, clock.Now(), seeded())
				if err != nil {
					t.Fatal(err)
				}
				return tap.Format(p)
			}
			wrong := wrongFor(c.codeAtBnd)

			pass := issue(alice, true, time.Hour)
			if err := f.SignIn(alice, "ABCD-EFGH-JKLM"); !errors.Is(err, wrong) {
				t.Errorf("a wrong pass: %v, want %v", err, wrong)
			}
			clock.Add(time.Minute)
			if err := f.SignIn(alice, pass); !errors.Is(err, wizard.ErrNotHelpdesk) {
				t.Errorf("the right pass: %v, want ErrNotHelpdesk", err)
			}
			if p, err := dir.GetPass(alice); err != nil || p.Used {
				t.Errorf("the refused pass: %+v, %v; want it unused", p, err)
			}
			clock.Add(time.Hour)
			if err := f.SignIn(alice, pass); !errors.Is(err, tap.ErrExpired) {
				t.Errorf("the expired pass: %v, want ErrExpired", err)
			}

			opPass := issue(op, true, time.Hour)
			if err := f.SignIn(op, opPass); err != nil || f.Page() != wizard.PageVerify {
				t.Fatalf("an operator's pass: %v on %s", err, f.Page())
			}
			if p, err := dir.GetPass(op); err != nil || !p.Used {
				t.Errorf("an operator's one-time pass after a sign-in: %+v, %v; want it used", p, err)
			}
			f.Cancel()
			clock.Add(time.Minute)
			// A used pass of an account not admitted says so, as before.
			if err := dir.UpdatePass(alice, func(p *info.Pass) error { p.Used = true; p.Expires = clock.Now().Add(time.Hour); return nil }); err != nil {
				t.Fatal(err)
			}
			if err := f.SignIn(alice, pass); !errors.Is(err, tap.ErrUsed) {
				t.Errorf("a used pass: %v, want ErrUsed", err)
			}
		})
	}
}

// wrongFor is the wrong-password answer of an account whose directory
// asks for an app's code with the password (codeAtBind) or not. With no
// code typed, a wrong pass-shaped text there is asked for the code.
func wrongFor(codeAtBind bool) error {
	if codeAtBind {
		return wizard.ErrCodeRequired
	}
	return wizard.ErrBadCredentials
}

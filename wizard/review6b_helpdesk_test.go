package wizard_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// review6bHelpdesk is helpdesk() with the station's clock in the test's
// hands: the operator signs in at t0 with their app's code.
func review6bHelpdesk(t *testing.T, dir info.Store) (*wizard.Flow, *testkit.Clock) {
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

// TestReview6b_HelpdeskRemovingRecoveryCodesRemovesTheSet: the operator
// sees a person's recovery codes and removes them (the person lost the
// sheet). Every code of the set must stop working, as Delete on the
// Security info page does ("the set goes as one"); removing one code of
// ten leaves nine that still sign in in place of a second factor.
func TestReview6b_HelpdeskRemovingRecoveryCodesRemovesTheSet(t *testing.T) {
	dir := newStore(t)
	f, _ := review6bHelpdesk(t, dir)
	codes, err := recovery.Regenerate(dir, alice, t0, testkit.Seeded(7))
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.LookUp(alice)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	var first info.Method
	for _, m := range s.Methods {
		if m.Kind == info.KindRecoveryCodes {
			if rows == 0 {
				first = m
			}
			rows++
		}
	}
	if rows == 0 {
		t.Fatal("the operator isn't shown the recovery codes")
	}
	if err := f.RemoveMethodOf(alice, first); err != nil {
		t.Fatal(err)
	}
	ms, _ := dir.Methods(alice)
	if left := recovery.Left(ms); left != 0 {
		t.Errorf("after the operator removed the recovery codes, %d of %d still work (shown as %d separate rows)", left, recovery.Count, rows)
	}
	if err := recovery.Use(dir, alice, codes[len(codes)-1]); !errors.Is(err, recovery.ErrWrongCode) {
		t.Errorf("a recovery code from the removed set still signs in: %v", err)
	}
}

// TestReview6b_HelpdeskPowersNeedARecentSecondFactor: DESIGN.md asks for
// a second factor from this session, not older than 10 minutes, before
// any change of security info. An operator who proved one at 09:00 and
// kept the desk busy (the idle time-out never fires) still resets
// accounts and issues passes at 09:30 without proving anything again.
func TestReview6b_HelpdeskPowersNeedARecentSecondFactor(t *testing.T) {
	dir := newStore(t)
	f, c := review6bHelpdesk(t, dir)
	c.Add(wizard.ReauthAge + 20*time.Minute)
	p, err := f.IssuePass(alice, time.Hour, false)
	if !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Errorf("IssuePass 30 minutes after the operator's only second factor: pass %q issued, err %v; want ErrReauthNeeded", p.Formatted, err)
	}
	if _, err := f.ResetAccount(alice); !errors.Is(err, wizard.ErrReauthNeeded) {
		t.Errorf("ResetAccount 30 minutes after the operator's only second factor: err %v; want ErrReauthNeeded", err)
	}
}

// TestReview6b_HelpdeskLookUpGivesNoDigestOfAnAppPassword: what an
// operator is given of an account is "never a secret, nor a hash of one"
// (AccountSummary). An app password's lookup digest is 16 bits of a
// SHA-256 of the password itself, unkeyed: it is handed over with it.
func TestReview6b_HelpdeskLookUpGivesNoDigestOfAnAppPassword(t *testing.T) {
	dir := newStore(t)
	f, _ := review6bHelpdesk(t, dir)
	pw, _, err := apppassword.Create(dir, alice, "Laptop", t0, testkit.Seeded(9))
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.LookUp(alice)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range s.Methods {
		if m.Kind != info.KindAppPassword {
			continue
		}
		if m.Lookup != "" {
			t.Errorf("the operator is given the app password %q's digest %q (= apppassword.Lookup of the password: %v)",
				m.Label, m.Lookup, strings.EqualFold(m.Lookup, apppassword.Lookup(pw)))
		}
	}
}

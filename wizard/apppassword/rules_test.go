package apppassword

import (
	"errors"
	"fmt"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

// TestCreate_FortyAndNoMore pins the rule as written (40 per account), not
// as the constant says: with 39 a 40th is made; with 40 the 41st is
// refused.
func TestCreate_FortyAndNoMore(t *testing.T) {
	dir := newStore(t)
	for i := range 39 {
		m := info.Method{ID: fmt.Sprintf("pw%02d", i), Kind: info.KindAppPassword, Label: fmt.Sprintf("App %d", i), Created: t0, Hash: secret.DummyHash}
		if err := dir.AddMethod(testAccount, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := Create(dir, testAccount, "The 40th", t0, seeded(1)); err != nil {
		t.Fatalf("the 40th: %v", err)
	}
	if _, _, err := Create(dir, testAccount, "The 41st", t0, seeded(2)); !errors.Is(err, ErrLimit) {
		t.Fatalf("the 41st: %v, want ErrLimit", err)
	}
	if ms, _ := List(dir, testAccount); len(ms) != 40 {
		t.Errorf("%d app passwords, want 40", len(ms))
	}
	if MaxPasswords != 40 {
		t.Errorf("MaxPasswords = %d, want 40", MaxPasswords)
	}
}

// TestVerify_UnknownAccountAnswersAsAWrongPassword: an unknown account and
// a wrong app password give the same error, word for word, so a client
// learns nothing about which accounts exist.
func TestVerify_UnknownAccountAnswersAsAWrongPassword(t *testing.T) {
	dir := newStore(t)
	mustCreate(t, dir, testAccount, "Mail", seeded(1))
	wrong := Verify(dir, testAccount, "abcdabcdabcdabcd", t0)
	unknown := Verify(dir, "nobody@contoso.example", "abcdabcdabcdabcd", t0)
	none := Verify(dir, otherAccount, "abcdabcdabcdabcd", t0) // an account without app passwords
	for name, err := range map[string]error{"unknown account": unknown, "no app passwords": none} {
		if err == nil || wrong == nil || err.Error() != wrong.Error() || !errors.Is(err, ErrNoMatch) {
			t.Errorf("%s: %v; a wrong password: %v; want the same", name, err, wrong)
		}
	}
}

// TestNewSetup_DefaultRandomnessIsUnpredictable: without ctx.Rand, app
// passwords come from crypto/rand: two made the same way differ (a
// constant seed would make them equal).
func TestNewSetup_DefaultRandomnessIsUnpredictable(t *testing.T) {
	dir := newStore(t)
	var pws []string
	for _, name := range []string{"Mail", "Calendar"} {
		ws, err := NewSetup(method.Context{Account: testAccount, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		s := ws.(*Setup)
		if err := s.SetName(name); err != nil {
			t.Fatal(err)
		}
		if err := s.Next(); err != nil {
			t.Fatal(err)
		}
		pws = append(pws, s.Password())
	}
	if len(pws[0]) != Length || pws[0] == pws[1] {
		t.Errorf("two app passwords %q and %q: want two unpredictable ones", pws[0], pws[1])
	}
}

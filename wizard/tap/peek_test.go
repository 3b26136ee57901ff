package tap

import (
	"errors"
	"testing"
	"time"
)

// TestPeek_AnswersAsSignInAndUsesNothing: Peek sorts a try as
// Verifier.SignIn does, but a one-time pass it finds right is still
// unused afterwards (SignIn then uses it), and nothing is recorded.
func TestPeek_AnswersAsSignInAndUsesNothing(t *testing.T) {
	dir := newStore(t)
	pass := mustIssue(t, dir, testAccount, time.Hour, true, 3)
	if ok, err := Peek(dir, testAccount, "not-the-pass", t0); ok || err != nil {
		t.Errorf("wrong pass: %v %v, want the wrong-password path", ok, err)
	}
	if ok, err := Peek(dir, otherAccount, pass, t0); ok || err != nil {
		t.Errorf("account without a pass: %v %v, want the wrong-password path", ok, err)
	}
	for range 2 {
		if ok, err := Peek(dir, testAccount, Format(pass), t0); !ok || err != nil {
			t.Errorf("right pass: %v %v", ok, err)
		}
	}
	if ok, err := Peek(dir, testAccount, pass, t0.Add(2*time.Hour)); ok || !errors.Is(err, ErrExpired) {
		t.Errorf("expired pass: %v %v, want ErrExpired", ok, err)
	}
	if p, err := dir.GetPass(testAccount); err != nil || p.Used {
		t.Fatalf("the pass after Peek: %+v, %v; want it unused", p, err)
	}
	v := &Verifier{Passes: dir}
	if ok, err := v.SignIn(testAccount, pass, t0); !ok || err != nil {
		t.Fatalf("the pass at sign-in after Peek: %v %v", ok, err)
	}
	if ok, err := Peek(dir, testAccount, pass, t0); ok || !errors.Is(err, ErrUsed) {
		t.Errorf("used pass: %v %v, want ErrUsed", ok, err)
	}
}

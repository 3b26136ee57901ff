package apppassword

import (
	"errors"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

func TestSetup_Walk(t *testing.T) {
	dir := newStore(t)
	c := newClock(t0)
	s := newTestSetup(t, dir, c)
	if s.Kind() != info.KindAppPassword || s.Screen() != ScreenName || s.Done() {
		t.Fatalf("start: kind %s screen %s done %v", s.Kind(), s.Screen(), s.Done())
	}
	if s.Password() != "" || s.Formatted() != "" || s.LeaveWarning() != "" || s.Back() || s.CanBack() {
		t.Fatal("name screen shows a password, warns, or goes back")
	}
	if err := s.Next(); !errors.Is(err, ErrNameEmpty) || s.Screen() != ScreenName {
		t.Fatalf("Next without a name: %v", err)
	}
	if err := s.SetName("Lap\x07top"); !errors.Is(err, ErrNameChars) || s.Name() != "" {
		t.Fatalf("SetName with a bell: %v, name %q", err, s.Name())
	}
	if err := s.SetName(" Laptop "); err != nil || s.Name() != "Laptop" {
		t.Fatalf("SetName: %v, name %q", err, s.Name())
	}
	if ms, _ := List(dir, testAccount); len(ms) != 0 {
		t.Fatal("saved before Next")
	}

	if err := s.Next(); err != nil {
		t.Fatalf("Next from name: %v", err)
	}
	if s.Screen() != ScreenShow || s.Done() {
		t.Fatalf("after name: screen %s done %v", s.Screen(), s.Done())
	}
	pw := s.Password()
	if len(pw) != Length || s.Formatted() != Format(pw) || len(s.Formatted()) != 19 {
		t.Fatalf("Password %q Formatted %q", pw, s.Formatted())
	}
	// Saved before it is shown, and it works.
	ms, _ := List(dir, testAccount)
	if len(ms) != 1 || ms[0].Label != "Laptop" || ms[0].ID != s.Method().ID || !ms[0].Created.Equal(t0) {
		t.Fatalf("saved %+v, setup says %+v", ms, s.Method())
	}
	if err := Verify(dir, testAccount, s.Formatted(), t0); err != nil {
		t.Fatalf("the shown password does not verify: %v", err)
	}
	if s.LeaveWarning() != "When you leave this page, the password can't be shown again. Copy it into your app first." {
		t.Fatalf("LeaveWarning %q", s.LeaveWarning())
	}
	if s.Back() || s.Screen() != ScreenShow {
		t.Fatal("Back from the password screen")
	}
	if err := s.SetName("Other"); !errors.Is(err, ErrWrongScreen) {
		t.Fatalf("SetName on show: %v", err)
	}

	held := s.pw
	if err := s.Next(); err != nil {
		t.Fatalf("Next from show: %v", err)
	}
	if s.Screen() != ScreenDone || !s.Done() {
		t.Fatalf("after show: screen %s done %v", s.Screen(), s.Done())
	}
	if s.Password() != "" || s.Formatted() != "" || s.pw != nil || s.LeaveWarning() != "" {
		t.Fatal("the password is still there after Done")
	}
	for _, b := range held {
		if b != 0 {
			t.Fatalf("the password's bytes were not zeroed: %q", held)
		}
	}
	if s.Back() {
		t.Fatal("Back from done")
	}
	if err := s.Next(); !errors.Is(err, ErrWrongScreen) {
		t.Fatalf("Next on done: %v", err)
	}
	if ms, _ := List(dir, testAccount); len(ms) != 1 {
		t.Fatalf("%d app passwords at the end", len(ms))
	}
}

func TestSetup_AbortOnNameStoresNothing(t *testing.T) {
	dir := newStore(t)
	s := newTestSetup(t, dir, newClock(t0))
	if err := s.SetName("Laptop"); err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if err := s.Next(); !errors.Is(err, ErrAborted) {
		t.Fatalf("Next after Abort: %v", err)
	}
	if err := s.SetName("Desktop"); !errors.Is(err, ErrAborted) {
		t.Fatalf("SetName after Abort: %v", err)
	}
	if ms, _ := dir.Methods(testAccount); len(ms) != 0 || s.Done() {
		t.Fatalf("stored %d methods", len(ms))
	}
}

// Abort on the password screen forgets the password, but the app password
// was saved and stays: that is why the host warns first.
func TestSetup_AbortOnShowKeepsTheSavedPassword(t *testing.T) {
	dir := newStore(t)
	s := newTestSetup(t, dir, newClock(t0))
	if err := s.SetName("Laptop"); err != nil {
		t.Fatal(err)
	}
	if err := s.Next(); err != nil {
		t.Fatal(err)
	}
	pw, held := s.Password(), s.pw
	s.Abort()
	if s.Password() != "" || s.LeaveWarning() != "" || s.Done() || held[0] != 0 {
		t.Fatal("the password survived Abort")
	}
	if err := Verify(dir, testAccount, pw, t0); err != nil {
		t.Fatalf("the saved password: %v", err)
	}
}

func TestSetup_NameTakenMeanwhile(t *testing.T) {
	dir := newStore(t)
	s := newTestSetup(t, dir, newClock(t0))
	if err := s.SetName("Laptop"); err != nil {
		t.Fatal(err)
	}
	addRecord(t, dir, testAccount, "x", "LAPTOP", t0)
	if err := s.Next(); !errors.Is(err, ErrNameTaken) || s.Screen() != ScreenName || s.Password() != "" {
		t.Fatalf("Next: %v, screen %s", err, s.Screen())
	}
	if err := s.SetName("Desktop"); err != nil {
		t.Fatal(err)
	}
	if err := s.Next(); err != nil || s.Screen() != ScreenShow {
		t.Fatalf("Next after renaming: %v", err)
	}
}

func TestNewSetup(t *testing.T) {
	dir := newStore(t)
	if _, err := NewSetup(method.Context{Account: testAccount}); err == nil {
		t.Fatal("no directory accepted")
	}
	addRecords(t, dir, testAccount, MaxPasswords-1)
	ws, err := NewSetup(method.Context{Account: testAccount, Dir: dir})
	if err != nil {
		t.Fatalf("with 39: %v", err)
	}
	// Defaults: the real clock and crypto/rand.
	s := ws.(*Setup)
	if err := s.SetName("Laptop"); err != nil {
		t.Fatal(err)
	}
	if err := s.Next(); err != nil || len(s.Password()) != Length {
		t.Fatalf("Next with defaults: %v", err)
	}
	if _, err := NewSetup(method.Context{Account: testAccount, Dir: dir}); !errors.Is(err, ErrLimit) {
		t.Fatalf("with 40: %v; want ErrLimit", err)
	}
	var _ method.Factory = NewSetup
}

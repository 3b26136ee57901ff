package authapp

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

// wrongCode returns a 6-digit code that matches secret at no step within
// MaxSkew of now.
func wrongCode(t *testing.T, secret []byte, now time.Time) string {
	t.Helper()
	for i := 0; i < 1000; i++ {
		c := strconv.Itoa(100000 + i*7919%900000)
		if _, err := Verify(secret, c, now, 0); errors.Is(err, ErrWrongCode) {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

func TestSetup_Navigation(t *testing.T) {
	s := newTestSetup(t, newFakeDir(t), newClock(t0))
	if s.Kind() != info.KindAuthenticatorApp {
		t.Fatalf("Kind %s", s.Kind())
	}
	want := []string{ScreenGetApp, ScreenSetUpAccount, ScreenScan, ScreenTry}
	for i, w := range want {
		if s.Screen() != w {
			t.Fatalf("step %d: screen %s, want %s", i, s.Screen(), w)
		}
		if i < len(want)-1 {
			if err := s.Next(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Next(); !errors.Is(err, ErrWrongScreen) {
		t.Fatalf("Next on try: %v; want ErrWrongScreen", err)
	}
	for i := len(want) - 2; i >= 0; i-- {
		if !s.Back() || s.Screen() != want[i] {
			t.Fatalf("Back: screen %s, want %s", s.Screen(), want[i])
		}
	}
	if s.Back() || s.Screen() != ScreenGetApp {
		t.Fatal("Back on the first screen must return false and stay")
	}
	if err := s.Submit("123456"); !errors.Is(err, ErrWrongScreen) {
		t.Fatalf("Submit on get-app: %v; want ErrWrongScreen", err)
	}
}

func TestSetup_DifferentApp(t *testing.T) {
	s := newTestSetup(t, newFakeDir(t), newClock(t0))
	if s.DifferentApp() {
		t.Fatal("different app set at start")
	}
	s.UseDifferentApp()
	if !s.DifferentApp() || s.Screen() != ScreenGetApp {
		t.Fatal("UseDifferentApp did not just set the flag")
	}
}

func TestSetup_URIAndKey(t *testing.T) {
	s := newTestSetup(t, newFakeDir(t), newClock(t0))
	issuer, account, secret, err := ParseURI(s.URI())
	if err != nil || issuer != "Contoso" || account != testAccount {
		t.Fatalf("URI %q: %q %q %v", s.URI(), issuer, account, err)
	}
	if !bytes.Equal(secret, s.secret) {
		t.Fatal("URI does not carry the pending key")
	}
	if s.ManualKey() != GroupKey(EncodeKey(secret)) || len(s.ManualKey()) != 39 {
		t.Fatalf("ManualKey %q", s.ManualKey())
	}
	if s.AccountLabel() != "Contoso:"+testAccount {
		t.Fatalf("AccountLabel %q", s.AccountLabel())
	}
	if !s.Expires().Equal(t0.Add(10 * time.Minute)) {
		t.Fatalf("Expires %v", s.Expires())
	}
}

func TestSetup_Issuer(t *testing.T) {
	for _, tc := range []struct {
		issuer, org string
		want        string
	}{
		{"Contoso IT", "Contoso", "Contoso IT"},
		{"", "Contoso", "Contoso"},
		{"", "", DefaultIssuer},
	} {
		ws, err := NewSetup(method.Context{Issuer: tc.issuer, Organisation: tc.org, Account: testAccount,
			Dir: newFakeDir(t), Now: newClock(t0).Now, Rand: seeded(1)})
		if err != nil {
			t.Fatal(err)
		}
		if iss, _, _, _ := ParseURI(ws.(*Setup).URI()); iss != tc.want {
			t.Errorf("issuer %q, organisation %q: issuer %q, want %q", tc.issuer, tc.org, iss, tc.want)
		}
	}
	_, err := NewSetup(method.Context{Issuer: "A:B", Account: testAccount,
		Dir: newFakeDir(t), Now: newClock(t0).Now, Rand: seeded(1)})
	if !errors.Is(err, ErrColonInName) {
		t.Fatalf("issuer with ':': %v", err)
	}
	_, err = NewSetup(method.Context{Issuer: "A", Account: "CORP:alice",
		Dir: newFakeDir(t), Now: newClock(t0).Now, Rand: seeded(1)})
	if !errors.Is(err, ErrColonInName) || !strings.Contains(err.Error(), "account") {
		t.Fatalf("account with ':': %v", err)
	}
}

func TestSetup_SuccessStoresOnlyThen(t *testing.T) {
	dir := newFakeDir(t)
	c := newClock(t0)
	s := newTestSetup(t, dir, c)
	toTry(t, s)
	secret := pendingSecret(t, s)
	if err := s.SetDeviceName("  Work phone "); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(wrongCode(t, secret, c.Now())); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("wrong code: %v", err)
	}
	if dir.Adds() != 0 {
		t.Fatal("something was stored before the code verified")
	}
	c.Add(45 * time.Second)
	code := Code(secret, c.Now())
	if err := s.Submit(code[:3] + " " + code[3:]); err != nil {
		t.Fatalf("right code: %v", err)
	}
	if !s.Done() || s.Screen() != ScreenDone || s.URI() != "" || s.ManualKey() != "" {
		t.Fatalf("after success: done %v screen %s uri %q", s.Done(), s.Screen(), s.URI())
	}
	ms, _ := dir.Methods(testAccount)
	if len(ms) != 1 || dir.Adds() != 1 {
		t.Fatalf("stored %d methods in %d calls", len(ms), dir.Adds())
	}
	m := ms[0]
	if m.Kind != info.KindAuthenticatorApp || m.Label != "Work phone" || !m.HasSecret ||
		!m.Created.Equal(c.Now()) || len(m.ID) != 32 ||
		m.LastStep != Step(c.Now()) {
		t.Fatalf("stored %+v", m)
	}
	stored, err := dir.Secret(testAccount, m.ID)
	if err != nil || !bytes.Equal(stored, secret) {
		t.Fatalf("stored secret %x, %v; want %x", stored, err, secret)
	}
	if s.Back() {
		t.Fatal("Back after done")
	}
	// The code used to register is not accepted again to sign in.
	if err := CheckCode(dir, testAccount, code, c.Now()); !errors.Is(err, ErrReplayed) {
		t.Fatalf("registration code reused: %v", err)
	}
}

func TestSetup_StoreFailureKeepsPending(t *testing.T) {
	dir := newFakeDir(t)
	dir.FailAdd(info.ErrKeyringUnavailable)
	c := newClock(t0)
	s := newTestSetup(t, dir, c)
	toTry(t, s)
	uri := s.URI()
	secret := pendingSecret(t, s)
	err := s.Submit(Code(secret, c.Now()))
	if !errors.Is(err, info.ErrKeyringUnavailable) {
		t.Fatalf("Submit with a failing store: %v", err)
	}
	if s.Done() || s.Screen() != ScreenTry || s.URI() != uri || s.AttemptsLeft() != MaxAttempts {
		t.Fatalf("after store failure: done %v screen %s, uri changed %v, attempts %d",
			s.Done(), s.Screen(), s.URI() != uri, s.AttemptsLeft())
	}
	if ms, _ := dir.Methods(testAccount); len(ms) != 0 {
		t.Fatal("a method was registered despite the failure")
	}
	dir.FailAdd(nil)
	if err := s.Submit(Code(secret, c.Now())); err != nil || !s.Done() {
		t.Fatalf("retry: %v", err)
	}
}

func TestSetup_FiveWrongCodes(t *testing.T) {
	dir := newFakeDir(t)
	c := newClock(t0)
	s := newTestSetup(t, dir, c)
	toTry(t, s)
	oldURI := s.URI()
	oldSecret := pendingSecret(t, s)
	held := s.secret
	bad := wrongCode(t, oldSecret, c.Now())
	// Format errors do not count.
	for _, in := range []string{"", "12345", "abcdef"} {
		if err := s.Submit(in); !errors.Is(err, ErrCodeFormat) {
			t.Fatalf("Submit(%q): %v", in, err)
		}
	}
	if s.AttemptsLeft() != 5 {
		t.Fatalf("format errors counted: %d left", s.AttemptsLeft())
	}
	// A skewed code counts as a wrong attempt.
	err := s.Submit(Code(oldSecret, c.Now().Add(90*time.Second)))
	var ce *ClockSkewError
	if !errors.As(err, &ce) || ce.Offset != 90*time.Second || s.AttemptsLeft() != 4 {
		t.Fatalf("skewed code: %v, %d left", err, s.AttemptsLeft())
	}
	for left := 3; left >= 1; left-- {
		if err := s.Submit(bad); !errors.Is(err, ErrWrongCode) || s.AttemptsLeft() != left {
			t.Fatalf("wrong code: %v, %d left, want %d", err, s.AttemptsLeft(), left)
		}
	}
	if err := s.Submit(bad); !errors.Is(err, ErrTooManyAttempts) {
		t.Fatalf("fifth wrong code: %v", err)
	}
	if s.Screen() != ScreenScan || s.URI() == oldURI || s.AttemptsLeft() != MaxAttempts {
		t.Fatalf("after reset: screen %s, uri changed %v, %d left", s.Screen(), s.URI() != oldURI, s.AttemptsLeft())
	}
	if !bytes.Equal(held, make([]byte, len(held))) {
		t.Fatal("the discarded key was not zeroed")
	}
	if err := s.Next(); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(Code(oldSecret, c.Now())); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("old key's code after reset: %v; want ErrWrongCode", err)
	}
	if dir.Adds() != 0 {
		t.Fatal("stored after failures")
	}
	if err := s.Submit(Code(pendingSecret(t, s), c.Now())); err != nil {
		t.Fatalf("new key's code: %v", err)
	}
}

func TestSetup_Expiry(t *testing.T) {
	for _, tc := range []struct {
		after   time.Duration
		expired bool
	}{
		{9*time.Minute + 59*time.Second, false},
		{10 * time.Minute, true},
		{30 * time.Minute, true},
	} {
		dir := newFakeDir(t)
		c := newClock(t0)
		s := newTestSetup(t, dir, c)
		toTry(t, s)
		uri := s.URI()
		secret := pendingSecret(t, s)
		c.Add(tc.after)
		err := s.Submit(Code(secret, c.Now()))
		if !tc.expired {
			if err != nil {
				t.Errorf("after %v: %v", tc.after, err)
			}
			continue
		}
		if !errors.Is(err, ErrPendingExpired) || s.Screen() != ScreenScan || s.URI() == uri || dir.Adds() != 0 {
			t.Errorf("after %v: %v, screen %s, uri changed %v", tc.after, err, s.Screen(), s.URI() != uri)
			continue
		}
		if !s.Expires().Equal(c.Now().Add(PendingLifetime)) {
			t.Errorf("new key expires %v", s.Expires())
		}
		_ = s.Next()
		if err := s.Submit(Code(secret, c.Now())); !errors.Is(err, ErrWrongCode) {
			t.Errorf("expired key's code: %v", err)
		}
	}
}

func TestSetup_ExpiredBeforeScanIsRenewedSilently(t *testing.T) {
	c := newClock(t0)
	s := newTestSetup(t, newFakeDir(t), c)
	uri := s.URI()
	_ = s.Next()
	c.Add(11 * time.Minute)
	if err := s.Next(); err != nil || s.Screen() != ScreenScan {
		t.Fatal(err)
	}
	if s.URI() == uri || !s.Expires().Equal(c.Now().Add(PendingLifetime)) {
		t.Fatal("expired key shown on the scan screen")
	}
}

func TestSetup_Abort(t *testing.T) {
	dir := newFakeDir(t)
	s := newTestSetup(t, dir, newClock(t0))
	toTry(t, s)
	held := s.secret
	s.Abort()
	if !bytes.Equal(held, make([]byte, SecretSize)) || s.URI() != "" || s.ManualKey() != "" {
		t.Fatal("Abort left the key")
	}
	if err := s.Submit("123456"); !errors.Is(err, ErrAborted) {
		t.Fatalf("Submit after Abort: %v", err)
	}
	if s.Done() || dir.Adds() != 0 {
		t.Fatal("aborted setup stored something")
	}
}

func TestSetup_DeviceName(t *testing.T) {
	dir := newFakeDir(t)
	addApp(t, dir, testAccount, "a1", "Work Phone", []byte("k1"))
	if err := dir.AddMethod(testAccount, info.Method{ID: "p1", Kind: info.KindPhone, Label: "Tablet"}, nil); err != nil {
		t.Fatal(err)
	}
	s := newTestSetup(t, dir, newClock(t0))
	if s.DeviceName() != DefaultDeviceName {
		t.Fatalf("default name %q", s.DeviceName())
	}
	for _, tc := range []struct {
		in, want string
		err      error
	}{
		{"Tablet", "Tablet", nil}, // a phone's label does not clash
		{"  Home  ", "Home", nil},
		{strings.Repeat("é", 64), strings.Repeat("é", 64), nil},
		{"", "", ErrDeviceNameEmpty},
		{" \t ", "", ErrDeviceNameEmpty},
		{strings.Repeat("x", 65), "", ErrDeviceNameTooLong},
		{"bell\a", "", ErrDeviceNameChars},
		{"two\nlines", "", ErrDeviceNameChars},
		{"del\x7f", "", ErrDeviceNameChars},
		{"bad\xffutf8", "", ErrDeviceNameChars},
		{"work phone", "", ErrDeviceNameTaken},
		{"WORK PHONE", "", ErrDeviceNameTaken},
	} {
		before := s.DeviceName()
		err := s.SetDeviceName(tc.in)
		if tc.err == nil {
			if err != nil || s.DeviceName() != tc.want {
				t.Errorf("SetDeviceName(%q): %v, name %q", tc.in, err, s.DeviceName())
			}
			continue
		}
		if !errors.Is(err, tc.err) || s.DeviceName() != before {
			t.Errorf("SetDeviceName(%q): %v, name %q; want %v", tc.in, err, s.DeviceName(), tc.err)
		}
	}
}

func TestSetup_DefaultNameNumbered(t *testing.T) {
	dir := newFakeDir(t)
	addApp(t, dir, testAccount, "a1", "authenticator APP", []byte("k1"))
	addApp(t, dir, testAccount, "a2", "Authenticator app 2", []byte("k2"))
	if s := newTestSetup(t, dir, newClock(t0)); s.DeviceName() != "Authenticator app 3" {
		t.Fatalf("default name %q", s.DeviceName())
	}
}

func TestSetup_NameTakenMeanwhile(t *testing.T) {
	dir := newFakeDir(t)
	c := newClock(t0)
	s := newTestSetup(t, dir, c)
	toTry(t, s)
	addApp(t, dir, testAccount, "other", DefaultDeviceName, []byte("k"))
	secret := pendingSecret(t, s)
	if err := s.Submit(Code(secret, c.Now())); !errors.Is(err, ErrDeviceNameTaken) {
		t.Fatalf("Submit with a clashing name: %v", err)
	}
	if err := s.SetDeviceName("Phone"); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(Code(secret, c.Now())); err != nil {
		t.Fatalf("after renaming: %v", err)
	}
}

func TestSetup_DeviceLimit(t *testing.T) {
	for _, tc := range []struct {
		apps int
		err  error
	}{{0, nil}, {4, nil}, {5, ErrTooManyDevices}, {6, ErrTooManyDevices}} {
		dir := newFakeDir(t)
		for i := range tc.apps {
			addApp(t, dir, testAccount, "a"+strconv.Itoa(i), "App "+strconv.Itoa(i), []byte("k"))
		}
		// Other kinds do not count.
		for i := range 3 {
			_ = dir.AddMethod(testAccount, info.Method{ID: "p" + strconv.Itoa(i), Kind: info.KindPhone}, nil)
		}
		_, err := NewSetup(method.Context{Organisation: "Contoso",
			Account: testAccount, Dir: dir, Now: newClock(t0).Now, Rand: seeded(1)})
		if !errors.Is(err, tc.err) {
			t.Errorf("%d apps: %v; want %v", tc.apps, err, tc.err)
		}
	}
	// The fifth app registered while a setup was open is also refused.
	dir := newFakeDir(t)
	for i := range 4 {
		addApp(t, dir, testAccount, "a"+strconv.Itoa(i), "App "+strconv.Itoa(i), []byte("k"))
	}
	c := newClock(t0)
	s := newTestSetup(t, dir, c)
	toTry(t, s)
	addApp(t, dir, testAccount, "a4", "App 4", []byte("k"))
	if err := s.Submit(Code(pendingSecret(t, s), c.Now())); !errors.Is(err, ErrTooManyDevices) {
		t.Fatalf("sixth app: %v", err)
	}
}

func TestSetup_IsAFactory(t *testing.T) {
	var f method.Factory = NewSetup
	_ = f
}

func TestSetup_CanBackMatchesBack(t *testing.T) {
	s := newTestSetup(t, newFakeDir(t), newClock(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)))
	for _, want := range []bool{false, true, true, true} {
		if got := s.CanBack(); got != want {
			t.Fatalf("on %s CanBack = %v, want %v", s.Screen(), got, want)
		}
		if s.Screen() == ScreenTry {
			break
		}
		if err := s.Next(); err != nil {
			t.Fatal(err)
		}
	}
}

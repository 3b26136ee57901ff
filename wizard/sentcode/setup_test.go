package sentcode

import (
	"errors"
	"testing"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
)

const testAccount = "alice@contoso.example"

// testSpec registers an address-like destination (the string typed) by
// email, as a method would.
var testSpec = &Spec[string]{
	Kind: info.KindEmail, Name: "test",
	EntryScreen: "test.entry", SentScreen: "test.code", DoneScreen: "test.done",
	NoDelivery: errors.New("no delivery"),
	Exists:     errors.New("exists"),
	NoCode:     errors.New("no code"),
	To:         func(to string) string { return to },
	Message: func(to string, ch method.Channel, _ method.Translator, _, code string) method.Message {
		return method.Message{To: to, Channel: ch, Text: "Your code is " + code + "."}
	},
	Method: func(to string, _ method.Channel) info.Method {
		return info.Method{Kind: info.KindEmail, Label: to, Email: to}
	},
	Saving: "the test method",
}

// newTestSetup starts a test registration with a mailbox, a fixed clock and
// a limiter of its own.
func newTestSetup(t *testing.T) (*Setup[string], *testkit.Phone) {
	t.Helper()
	box := &testkit.Phone{}
	s, err := New(testSpec, method.Context{Account: testAccount, Dir: testkit.NewStore(t, testAccount),
		Now: testkit.NewClock(t0).Now, Rand: testkit.Seeded(42), Send: box}, NewLimiter(MaxSendsPerHour, SendWindow))
	if err != nil {
		t.Fatal(err)
	}
	return s, box
}

// sendTo sends a code to to by email.
func sendTo(t *testing.T, s *Setup[string], to string) {
	t.Helper()
	if err := s.SendTo(func() (string, method.Channel, error) { return to, method.ChannelEmail, nil }); err != nil {
		t.Fatal(err)
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// The code is kept only as a MAC under the per-Setup key, bound to the
// destination and the channel: nothing in the Setup holds its digits, and
// a MAC made for the right code but another destination or channel fails.
// (Moved from wizard/phone's TestSetup_CodeKeptOnlyAsHash and
// TestSetup_CodeBoundToNumber.)
func TestSetup_CodeKeptOnlyAsMAC(t *testing.T) {
	s, box := newTestSetup(t)
	sendTo(t, s, "a@fabrikam.example")
	code := box.LastCode(t)
	p := s.code
	if string(p.mac) == code || len(p.mac) != 32 || string(codeMAC(s.key, "a@fabrikam.example", method.ChannelEmail, code)) != string(p.mac) {
		t.Fatal("the pending code is not an HMAC-SHA256 of the code")
	}
	for _, mac := range [][]byte{
		codeMAC([]byte("other key"), "a@fabrikam.example", method.ChannelEmail, code),
		codeMAC(s.key, "b@fabrikam.example", method.ChannelEmail, code),
		codeMAC(s.key, "a@fabrikam.example", method.ChannelSMS, code),
	} {
		if string(mac) == string(p.mac) {
			t.Fatal("the MAC ignores the key, the destination or the channel")
		}
	}
}

// Abort zeroes the code's MAC and the key, also while a code waits.
// (Moved from wizard/phone's and wizard/email's TestSetup_Abort.)
func TestSetup_AbortZeroesCodeAndKey(t *testing.T) {
	s, _ := newTestSetup(t)
	sendTo(t, s, "a@fabrikam.example")
	mac, key := s.code.mac, s.key
	if allZero(mac) || allZero(key) {
		t.Fatal("no code state to zero")
	}
	s.Abort()
	if !allZero(mac) || !allZero(key) || s.code != nil {
		t.Fatal("Abort left the code hash or key in memory")
	}
}

// Once the code registers the method, the code and the key are gone.
// (Moved from wizard/phone's TestSetup_SMSRegistersOnlyAfterVerify.)
func TestSetup_DoneZeroesKey(t *testing.T) {
	s, box := newTestSetup(t)
	sendTo(t, s, "a@fabrikam.example")
	if err := s.Submit(box.LastCode(t)); err != nil || !s.Done() {
		t.Fatalf("Submit: %v", err)
	}
	if s.code != nil || !allZero(s.key) {
		t.Fatal("a done setup holds its code or key")
	}
}

// A failed send is not counted, in the limiter nor in the setup's own
// record. (Moved from wizard/phone's TestSetup_FailedSend.)
func TestSetup_FailedSendNotCounted(t *testing.T) {
	s, box := newTestSetup(t)
	box.SetFail(errors.New("provider said no"))
	err := s.SendTo(func() (string, method.Channel, error) { return "a@fabrikam.example", method.ChannelEmail, nil })
	if !errors.Is(err, ErrSendFailed) || s.code != nil || len(s.sends) != 0 || s.limiter.Count("a@fabrikam.example", t0) != 0 {
		t.Fatalf("failed send: %v; %d own sends", err, len(s.sends))
	}
}

// Without ctx.Rand a setup draws its key from crypto/rand, so two setups
// never agree. (Moved from wizard/phone's
// TestNewSetup_DefaultRandomnessIsUnpredictable.)
func TestNew_DefaultRandomnessIsUnpredictable(t *testing.T) {
	start := func() *Setup[string] {
		s, err := New(testSpec, method.Context{Account: testAccount, Dir: testkit.NewStore(t, testAccount), Send: &testkit.Phone{}},
			NewLimiter(MaxSendsPerHour, SendWindow))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if a, b := start(), start(); string(a.key) == string(b.key) {
		t.Error("two setups made the same key: the default randomness is not crypto/rand")
	}
}

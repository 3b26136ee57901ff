package phone

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNewCode(t *testing.T) {
	// 0xFFFFFFFF is above codeLimit and drawn again; 0x00000007 gives
	// "000007" (leading zeros kept).
	r := bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 7})
	if c, err := NewCode(r); err != nil || c != "000007" {
		t.Fatalf("NewCode = %q, %v", c, err)
	}
	if _, err := NewCode(bytes.NewReader([]byte{1, 2})); err == nil {
		t.Fatal("a short read gave a code")
	}
	seen := map[string]bool{}
	rd := seeded(3)
	for i := 0; i < 1000; i++ {
		c, err := NewCode(rd)
		if err != nil || len(c) != CodeDigits || strings.Trim(c, "0123456789") != "" {
			t.Fatalf("code %q, %v", c, err)
		}
		seen[c] = true
	}
	if len(seen) < 990 {
		t.Fatalf("only %d distinct codes in 1000", len(seen))
	}
}

func TestNormaliseCode(t *testing.T) {
	for in, want := range map[string]string{
		"123456":    "123456",
		" 123 456 ": "123456",
		"123-456":   "123456",
		"１２３４５６":    "123456",
		"١٢٣٤٥٦":    "123456",
	} {
		if got, err := NormaliseCode(in); err != nil || got != want {
			t.Errorf("NormaliseCode(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "12345", "1234567", "12345a", "123.456", "१२३४५६", "+123456"} {
		if _, err := NormaliseCode(in); !errors.Is(err, ErrCodeFormat) {
			t.Errorf("NormaliseCode(%q): %v", in, err)
		}
	}
}

func TestMessageTexts(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{SMSText("Contoso", "123456"), "Use verification code 123456 for Contoso security info registration."},
		{SMSText("", "012345"), "Use verification code 012345 for security info registration."},
		{VoiceText("Contoso", "123456"), "Hello. Your Contoso verification code is 1, 2, 3, 4, 5, 6. Again, your code is 1, 2, 3, 4, 5, 6."},
		{VoiceText(" ", "000111"), "Hello. Your verification code is 0, 0, 0, 1, 1, 1. Again, your code is 0, 0, 0, 1, 1, 1."},
		{sentText("sms", "+1 ••• ••• 1234"), "We just sent a 6 digit code to +1 ••• ••• 1234. Enter the code below."},
		{sentText("voice", "+1 ••• ••• 1234"), "We're calling +1 ••• ••• 1234 now. Enter the code you hear below."},
		{doneText("sms"), "SMS verified. Your phone was registered successfully."},
		{doneText("voice"), "Call answered. Your phone was registered successfully."},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if strings.Count(VoiceText("Contoso", "987654"), "9, 8, 7, 6, 5, 4") != 2 {
		t.Error("the call does not say the code twice")
	}
}

func TestCooldown(t *testing.T) {
	for k, want := range map[int]time.Duration{0: 0, 1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute,
		4: 4 * time.Minute, 5: 8 * time.Minute, 8: MaxCooldown, 1000: MaxCooldown} {
		if got := cooldown(k); got != want {
			t.Errorf("cooldown(%d) = %v, want %v", k, got, want)
		}
	}
}

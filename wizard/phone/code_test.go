package phone

import (
	"strings"
	"testing"
)

func TestMessageTexts(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{SMSText(nil, "Contoso", "123456"), "Use verification code 123456 for Contoso security info registration."},
		{SMSText(nil, "", "012345"), "Use verification code 012345 for security info registration."},
		{VoiceText(nil, "Contoso", "123456"), "Hello. Your Contoso verification code is 1, 2, 3, 4, 5, 6. Again, your code is 1, 2, 3, 4, 5, 6."},
		{VoiceText(nil, " ", "000111"), "Hello. Your verification code is 0, 0, 0, 1, 1, 1. Again, your code is 0, 0, 0, 1, 1, 1."},
		{sentText("sms", "+1 ••• ••• 1234"), "We just sent a 6 digit code to +1 ••• ••• 1234. Enter the code below."},
		{sentText("voice", "+1 ••• ••• 1234"), "We're calling +1 ••• ••• 1234 now. Enter the code you hear below."},
		{doneText("sms"), "SMS verified. Your phone was registered successfully."},
		{doneText("voice"), "Call answered. Your phone was registered successfully."},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if strings.Count(VoiceText(nil, "Contoso", "987654"), "9, 8, 7, 6, 5, 4") != 2 {
		t.Error("the call does not say the code twice")
	}
}

package phone

import (
	"testing"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// The texts and calls with a code are said by the Translator given, the
// code among its words: as typed in a text, digit by digit in a call.
func TestTexts_InTheTranslatorsLanguage(t *testing.T) {
	var got []map[string]any
	tr := method.Translator(func(key string, data map[string]any) string {
		got = append(got, data)
		return "«" + method.English(key, data) + "»"
	})
	for _, c := range []struct{ got, want string }{
		{messageText(method.ChannelSMS, tr, "Contoso", "012345"), "«Use verification code 012345 for Contoso security info registration.»"},
		{messageText(method.ChannelVoice, tr, "", "012345"), "«Hello. Your verification code is 0, 1, 2, 3, 4, 5. Again, your code is 0, 1, 2, 3, 4, 5.»"},
		{proofText(method.ChannelSMS, tr, " ", "012345"), "«Use verification code 012345 to confirm it's you at security info.»"},
		{proofText(method.ChannelVoice, tr, "Contoso", "012345"), "«Hello. Your Contoso verification code is 0, 1, 2, 3, 4, 5. Again, your code is 0, 1, 2, 3, 4, 5.»"},
		{proofText(method.ChannelSMS, nil, "Contoso", "012345"), "Use verification code 012345 to confirm it's you at Contoso security info."},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	if len(got) != 4 || got[1]["Code"] != "0, 1, 2, 3, 4, 5" {
		t.Errorf("the translator was given %v", got)
	}
}

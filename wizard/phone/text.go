package phone

import (
	"fmt"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// SMSText is the text message carrying code, in tr's language: "Use
// verification code 123456 for Contoso security info registration."
// Without an organisation it reads "… for security info registration."
func SMSText(tr method.Translator, org, code string) string {
	if org = strings.TrimSpace(org); org != "" {
		return tr.Say("Use verification code {{.Code}} for {{.Organisation}} security info registration.", map[string]any{"Code": code, "Organisation": org})
	}
	return tr.Say("Use verification code {{.Code}} for security info registration.", map[string]any{"Code": code})
}

// VoiceText is what a call says, in tr's language: the code twice, digit
// by digit, so that a speech synthesiser reads digits rather than a
// number: "Hello. Your Contoso verification code is 1, 2, 3, 4, 5, 6.
// Again, your code is 1, 2, 3, 4, 5, 6."
func VoiceText(tr method.Translator, org, code string) string {
	spoken := strings.Join(strings.Split(code, ""), ", ")
	if org = strings.TrimSpace(org); org != "" {
		return tr.Say("Hello. Your {{.Organisation}} verification code is {{.Code}}. Again, your code is {{.Code}}.", map[string]any{"Code": spoken, "Organisation": org})
	}
	return tr.Say("Hello. Your verification code is {{.Code}}. Again, your code is {{.Code}}.", map[string]any{"Code": spoken})
}

// messageText is the text for a code sent over ch, in tr's language.
func messageText(ch method.Channel, tr method.Translator, org, code string) string {
	if ch == method.ChannelVoice {
		return VoiceText(tr, org, code)
	}
	return SMSText(tr, org, code)
}

// sentText is the code screen's line for a number shown as masked.
func sentText(ch method.Channel, masked string) string {
	if ch == method.ChannelVoice {
		return fmt.Sprintf("We're calling %s now. Enter the code you hear below.", masked)
	}
	return fmt.Sprintf("We just sent a %d digit code to %s. Enter the code below.", CodeDigits, masked)
}

// doneText is the done screen's line.
func doneText(ch method.Channel) string {
	if ch == method.ChannelVoice {
		return "Call answered. Your phone was registered successfully."
	}
	return "SMS verified. Your phone was registered successfully."
}

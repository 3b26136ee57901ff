package phone

import (
	"fmt"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// SMSText is the text message carrying code: "Use verification code 123456
// for Contoso security info registration." Without an organisation it
// reads "… for security info registration."
func SMSText(org, code string) string {
	if org = strings.TrimSpace(org); org != "" {
		org += " "
	}
	return fmt.Sprintf("Use verification code %s for %ssecurity info registration.", code, org)
}

// VoiceText is what a call says: the code twice, digit by digit, so that
// a speech synthesiser reads digits rather than a number: "Hello. Your
// Contoso verification code is 1, 2, 3, 4, 5, 6. Again, your code is 1, 2,
// 3, 4, 5, 6."
func VoiceText(org, code string) string {
	if org = strings.TrimSpace(org); org != "" {
		org += " "
	}
	spoken := strings.Join(strings.Split(code, ""), ", ")
	return fmt.Sprintf("Hello. Your %sverification code is %s. Again, your code is %s.", org, spoken, spoken)
}

// messageText is the text for a code sent over ch.
func messageText(ch method.Channel, org, code string) string {
	if ch == method.ChannelVoice {
		return VoiceText(org, code)
	}
	return SMSText(org, code)
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

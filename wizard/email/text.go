package email

import (
	"fmt"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/method"
)

// MailWidth is the longest line of an email's explanations, in
// characters: their sentences are written on one line and wrapped to it.
// The line with the code is not wrapped, so that it reads as one.
const MailWidth = 74

// CodeSubject is the subject of an email with a code, in tr's language:
// "Your Contoso verification code". It never holds the code, so a lock
// screen's notification doesn't show it.
func CodeSubject(tr method.Translator, org string) string {
	if org = strings.TrimSpace(org); org != "" {
		return tr.Say("Your {{.Organisation}} verification code", map[string]any{"Organisation": org})
	}
	return tr.Say("Your verification code", nil)
}

// RegisterText is the body of the email that checks a new address, in
// tr's language: the code, how long it works, and what to do if it wasn't
// asked for.
func RegisterText(tr method.Translator, org, code string) string {
	return registerLine(tr, org, code) + "\n\n" +
		method.Wrap(tr.Say("The code works for 10 minutes. If you didn't ask for it, someone may have typed your address by mistake: you can ignore this email, and nothing changes without the code.", nil), MailWidth) + "\n"
}

// registerLine is the sentence that gives a registration's code; the
// phone's text message says the same.
func registerLine(tr method.Translator, org, code string) string {
	if org = strings.TrimSpace(org); org != "" {
		return tr.Say("Use verification code {{.Code}} for {{.Organisation}} security info registration.", map[string]any{"Code": code, "Organisation": org})
	}
	return tr.Say("Use verification code {{.Code}} for security info registration.", map[string]any{"Code": code})
}

// ResetText is the body of the email that proves the address for a
// password reset, in tr's language.
func ResetText(tr method.Translator, org, code string) string {
	var first string
	if org = strings.TrimSpace(org); org != "" {
		first = tr.Say("Use verification code {{.Code}} to prove it's you and reset your {{.Organisation}} password.", map[string]any{"Code": code, "Organisation": org})
	} else {
		first = tr.Say("Use verification code {{.Code}} to prove it's you and reset your password.", map[string]any{"Code": code})
	}
	return first + "\n\n" +
		method.Wrap(tr.Say("The code works for 10 minutes. If you didn't ask for it, don't give it to anyone, and tell your helpdesk: someone may be trying to reset your password.", nil), MailWidth) + "\n"
}

// sentText is the code screen's first line.
func sentText(masked string) string {
	return fmt.Sprintf("We just sent a %d digit code to %s. Enter the code below.", CodeDigits, masked)
}

// DoneText is the done screen's line.
const DoneText = "Email verified. Your email was registered successfully."

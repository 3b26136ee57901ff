package email

import (
	"fmt"
	"strings"
)

// CodeSubject is the subject of an email with a code: "Your Contoso
// verification code". It never holds the code, so a lock screen's
// notification doesn't show it.
func CodeSubject(org string) string {
	return "Your " + orgWord(org) + "verification code"
}

// RegisterText is the body of the email that checks a new address: the
// code, how long it works, and what to do if it wasn't asked for.
func RegisterText(org, code string) string {
	return fmt.Sprintf(`Use verification code %s for %ssecurity info registration.

The code works for 10 minutes. If you didn't ask for it, someone may have
typed your address by mistake: you can ignore this email, and nothing
changes without the code.
`, code, orgWord(org))
}

// ResetText is the body of the email that proves the address for a
// password reset.
func ResetText(org, code string) string {
	return fmt.Sprintf(`Use verification code %s to prove it's you and reset your %spassword.

The code works for 10 minutes. If you didn't ask for it, don't give it to
anyone, and tell your helpdesk: someone may be trying to reset your
password.
`, code, orgWord(org))
}

// orgWord is "Contoso " or "".
func orgWord(org string) string {
	if org = strings.TrimSpace(org); org != "" {
		return org + " "
	}
	return ""
}

// sentText is the code screen's first line.
func sentText(masked string) string {
	return fmt.Sprintf("We just sent a %d digit code to %s. Enter the code below.", CodeDigits, masked)
}

// DoneText is the done screen's line.
const DoneText = "Email verified. Your email was registered successfully."

// Package email is the email method: an address that receives a code by
// email, for password reset only. Email is not an out-of-band channel
// (NIST 800-63B §5.1.3.1: whoever reads the mailbox reads the code, and
// a mailbox is often opened with the very password being reset), so the
// wizard never accepts it as a second factor (wizard.Describe: TwoStep is
// false) and a policy can refuse the organisation's own domains, whose
// mailboxes a locked-out person can't read anyway.
//
// Nothing here draws or sends anything itself: Setup is the registration
// driven by the wizard host, ui/email.go renders its three screens, the
// method.Sender in the method.Context delivers the messages (by SMTP, or
// the demo outbox), and Prover proves a registered address with a fresh
// code for a password reset.
//
// The rules are every code-by-message method's (wizard/sentcode, whose
// Setup this package's embeds), as the phone's:
//   - an address is validated (one @, a dot-atom before it, a domain
//     name after it, internationalised domains in their ASCII form), kept
//     with its domain in lower case and shown masked ("a•••@fabrikam.example");
//   - a code is 6 digits from crypto/rand, valid for 10 minutes, single use,
//     bound to the address it was sent to and kept only as an HMAC-SHA256
//     under a random per-Setup key; a resend replaces it; 5 wrong entries
//     end it;
//   - a resend waits 30 s, then 60 s, 120 s… counted from the last
//     successful send to that address; a failed send starts no wait;
//   - at most 5 codes per address per hour, within a Setup and across
//     every Setup and Prover in the process (SharedLimiter);
//   - the address is stored only once its code verifies; an account has at
//     most one.
package email

// Package phone is the phone method: a number that receives a code by text
// message (SMS) or by a call that speaks it.
//
// Phone is a restricted method: codes sent over the phone network can be
// intercepted or redirected (NIST 800-63B §5.1.3.3), so the wizard ranks it
// below the authenticator app and security key (wizard.Describe gives its
// strength).
//
// Nothing here draws anything or sends anything itself: Setup is the
// registration driven by the wizard host, the ui package renders its three
// screens, and the method.Sender in the SetupContext (see wizard/delivery)
// delivers the messages.
//
// The rules, fixed by the design (the code's, the waits' and the limits'
// are every code-by-message method's, in wizard/sentcode, whose Setup this
// package's embeds):
//   - numbers are parsed and validated with github.com/nyaruka/phonenumbers
//     against the chosen country or region, stored in E.164 and shown masked
//     ("+1 ••• ••• 1234"); premium-rate and shared-cost numbers are refused;
//   - a code is 6 digits from crypto/rand, valid for 10 minutes, good for
//     one registration, bound to the number it was sent to and kept only as
//     an HMAC-SHA256 under a random per-Setup key; a resend replaces it; 5
//     wrong entries end it;
//   - a resend waits 30 s, then 60 s, 120 s… counted from the last
//     successful send to that number; a failed send starts no wait and
//     leaves no code valid;
//   - at most 5 codes per number per hour, both within a Setup and across
//     all Setups in the process (Limiter, SharedLimiter);
//   - the phone is stored only once its code verifies, and an account has at
//     most one phone.
package phone

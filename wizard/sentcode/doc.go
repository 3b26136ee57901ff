// Package sentcode is what the methods that register a destination by a
// one-time code sent to it by a message (wizard/phone: a text or a call;
// wizard/email: an email) have in common, in one place: the code (6
// random digits, NewCode, NormaliseCode, held only as a MAC: Sent), the
// send limits and resend waits (Limiter, CooldownError), and Setup, the
// registration's state machine (send a code, resend, wait, expire, submit,
// change the destination or abort with nothing half-registered), which
// each method embeds with a Spec saying what differs (the screens, the
// texts, where a code goes and what is stored). Nothing here validates a
// number or an address, or draws anything.
package sentcode

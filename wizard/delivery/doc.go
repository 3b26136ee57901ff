// Package delivery sends one-time codes, and notices of changes to their
// security info, to people: implementations of method.Sender.
//
//   - Outbox is the demo stand-in: it appends each message to a local file
//     that the demo shows on screen. Nothing leaves the computer.
//   - Twilio sends texts and places calls through Twilio's REST API.
//   - Webhook posts each message, signed, to the organisation's own HTTPS
//     endpoint, which sends it on.
//   - SMTP emails through the organisation's mail server, over TLS only
//     (github.com/wneessen/go-mail); ByChannel sends email one way and
//     texts and calls another.
//
// Every sender gives up after Timeout (10 s). A failure is an *Error, which
// matches ErrDeliveryFailed with errors.Is; its text is for the person and
// ends with a short technical detail in parentheses that tells a timeout, a
// refused connection, an HTTP or SMTP status and a malformed reply apart.
// No error ever contains a credential or the message text (which holds the
// code).
//
// Credentials (Twilio's account SID and auth token, the webhook key, the
// mail server's user name and password) are read by the caller from the OS
// keyring and passed in as fields; nothing here logs them.
package delivery

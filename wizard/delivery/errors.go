package delivery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/securityinfo/securityinfo/wizard/words"
)

// Timeout bounds every delivery: the context deadline and the default HTTP
// client's timeout.
const Timeout = 10 * time.Second

// maxReply is how much of a provider's reply is read.
const maxReply = 64 << 10

// ErrDeliveryFailed is matched by every delivery failure. Its text is for
// the person.
var ErrDeliveryFailed = words.New("we couldn't send the code: try again, or choose a different method",
	"We couldn't send the code. Try again, or choose a different method.")

// Reason classifies a delivery failure.
type Reason string

// The reasons a delivery fails.
const (
	// ReasonTimeout: the provider did not answer within the time limit.
	ReasonTimeout Reason = "timeout"
	// ReasonRefused: the provider's address refused the connection.
	ReasonRefused Reason = "refused"
	// ReasonNetwork: another network failure (name lookup, TLS, reset).
	ReasonNetwork Reason = "network"
	// ReasonStatus: the provider answered with an HTTP error status.
	ReasonStatus Reason = "http-status"
	// ReasonMalformed: the provider's reply could not be understood.
	ReasonMalformed Reason = "malformed"
	// ReasonConfig: the sender is not configured correctly (missing
	// credentials, a plain-http URL); nothing was attempted.
	ReasonConfig Reason = "config"
	// ReasonCancelled: the send was cancelled (for example the person
	// left the page).
	ReasonCancelled Reason = "cancelled"
	// ReasonLocal: writing the demo outbox failed.
	ReasonLocal Reason = "local"
)

// Error is a failed delivery. errors.Is(err, ErrDeliveryFailed) holds for
// every *Error. It never holds a credential or the message text.
type Error struct {
	// Provider names the sender: "twilio", "webhook" or "outbox".
	Provider string
	// Reason classifies the failure.
	Reason Reason
	// Status is the HTTP status for ReasonStatus (and for a malformed
	// reply), or the mail server's SMTP reply code; else 0.
	Status int
	// Detail is a short technical description for the helpdesk.
	Detail string
	// Err is the underlying error, if any (already free of URLs).
	Err error
}

// Error returns the person's text followed by the technical detail.
func (e *Error) Error() string {
	d := e.Provider
	if e.Detail != "" {
		d += ": " + e.Detail
	}
	return fmt.Sprintf("%s (%s)", ErrDeliveryFailed.Error(), d)
}

// Words say the code wasn't sent and what to do; the technical detail is
// for the log (Error).
func (e *Error) Words() string { return ErrDeliveryFailed.Words() }

// Is makes errors.Is(err, ErrDeliveryFailed) true.
func (e *Error) Is(target error) bool { return target == ErrDeliveryFailed }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// configError reports a configuration problem.
func configError(provider, detail string) *Error {
	return &Error{Provider: provider, Reason: ReasonConfig, Detail: detail}
}

// transportError classifies an error from an HTTP round trip. It drops the
// request URL (which may carry an account SID or a token in its query) and
// keeps only the underlying cause.
func transportError(provider string, err error, limit time.Duration) *Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return &Error{Provider: provider, Reason: ReasonTimeout,
			Detail: fmt.Sprintf("no answer within %s", limit), Err: context.DeadlineExceeded}
	case errors.Is(err, context.Canceled):
		return &Error{Provider: provider, Reason: ReasonCancelled, Detail: "cancelled", Err: context.Canceled}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Error{Provider: provider, Reason: ReasonRefused, Detail: "connection refused", Err: syscall.ECONNREFUSED}
	case errors.Is(err, errRedirect):
		return &Error{Provider: provider, Reason: ReasonStatus, Detail: "the provider answered with a redirect", Err: errRedirect}
	}
	return &Error{Provider: provider, Reason: ReasonNetwork, Detail: "network error: " + clean(err.Error()), Err: err}
}

// redact removes each non-empty secret from s, shortens it and drops
// control characters, so that a provider's text can be shown safely.
func redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return clean(s)
}

// clean drops control characters and shortens s to 200 runes.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

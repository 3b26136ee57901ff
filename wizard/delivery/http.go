package delivery

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// errRedirect stops the HTTP client from following redirects: a message and
// its credentials go only to the configured address.
var errRedirect = errors.New("redirect refused")

// limit returns the time limit to use: d if positive, else Timeout.
func limit(d time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return Timeout
}

// httpClient returns c, or a client with the time limit; either way it does
// not follow redirects.
func httpClient(c *http.Client, d time.Duration) *http.Client {
	var cl http.Client
	if c != nil {
		cl = *c
	} else {
		cl.Timeout = d
	}
	cl.CheckRedirect = func(*http.Request, []*http.Request) error { return errRedirect }
	return &cl
}

// CheckURL reports whether raw is an address a provider may be given: https,
// or plain http to a loopback host (127.0.0.0/8, ::1, localhost). Twilio
// and Webhook apply it on every send; a host can call it when loading the
// policy to fail early. The error is an *Error with ReasonConfig.
func CheckURL(raw string) error {
	if _, err := checkURL("provider", raw); err != nil {
		return err
	}
	return nil
}

// checkURL parses raw and refuses anything but https, except plain http to
// a loopback host (127.0.0.0/8, ::1, localhost) for tests and local relays.
func checkURL(provider, raw string) (*url.URL, *Error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, configError(provider, "the URL is not valid")
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if isLoopback(u.Hostname()) {
			return u, nil
		}
	}
	return nil, configError(provider, "the URL must use https")
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// reply is a provider's answer.
type reply struct {
	status int
	body   []byte
}

// do sends req with the time limit d applied to ctx, and reads at most
// maxReply bytes of the answer.
func do(ctx context.Context, provider string, c *http.Client, d time.Duration, req *http.Request) (reply, *Error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	resp, err := httpClient(c, d).Do(req.WithContext(ctx))
	if err != nil {
		return reply{}, transportError(provider, err, d)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if err != nil {
		return reply{}, transportError(provider, err, d)
	}
	return reply{status: resp.StatusCode, body: body}, nil
}

// ok reports whether status is 2xx.
func ok(status int) bool { return status >= 200 && status < 300 }

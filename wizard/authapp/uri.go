package authapp

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/words"
)

// Errors about otpauth URIs, checked with errors.Is.
var (
	// ErrColonInName means the issuer or account name contains ':', which
	// the key URI format uses to separate them.
	ErrColonInName = words.New("a name in an authenticator app can't contain ':'",
		"A name in an authenticator app can't contain ':'.")
	// ErrEmptyName means the issuer or account name is empty.
	ErrEmptyName = words.New("a name in an authenticator app can't be empty",
		"A name in an authenticator app can't be empty.")
	// ErrBadURI means a string is not an otpauth URI this app can use.
	ErrBadURI = errors.New("not an authenticator app link this app can use")
)

// URI returns the key URI an authenticator app scans:
//
//	otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30
//
// The secret is base32 without padding. In the label and the issuer
// parameter every byte other than the unreserved characters A–Z a–z 0–9
// - . _ ~ and '@' (legal in both places, and in every e-mail address) is
// percent-escaped, so a space is %20, never '+', and '&', '#',
// '?', '%', '+', '/' and non-ASCII are escaped. A ':' in either name is
// refused with ErrColonInName, an empty name with ErrEmptyName; the error
// says which field.
func URI(issuer, account string, secret []byte) (string, error) {
	if err := checkName("issuer", issuer); err != nil {
		return "", err
	}
	if err := checkName("account", account); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("otpauth://totp/")
	b.WriteString(escape(issuer))
	b.WriteByte(':')
	b.WriteString(escape(account))
	b.WriteString("?secret=")
	b.WriteString(EncodeKey(secret))
	b.WriteString("&issuer=")
	b.WriteString(escape(issuer))
	b.WriteString("&algorithm=SHA1&digits=6&period=30")
	return b.String(), nil
}

// checkName refuses an empty name or one with ':' in it.
func checkName(field, name string) error {
	if name == "" {
		return fmt.Errorf("the %s name is empty: %w", field, ErrEmptyName)
	}
	if strings.Contains(name, ":") {
		return fmt.Errorf("the %s name %q contains ':': %w", field, name, ErrColonInName)
	}
	return nil
}

// escape percent-escapes every byte of s except unreserved characters and
// '@'.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '@' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// ParseURI reads back a TOTP key URI: the issuer (from the label, or the
// issuer parameter if the label has none), the account name and the
// secret. Only the parameters this app produces are accepted: algorithm
// SHA1, 6 digits and a 30-second period, each of which may be left out.
// A label issuer that differs from the issuer parameter is refused. Errors
// wrap ErrBadURI, or ErrKeyFormat for a bad secret.
func ParseURI(s string) (issuer, account string, secret []byte, err error) {
	u, err := url.Parse(s)
	if err != nil {
		// url's error repeats the URI, secret and all: say only what failed.
		return "", "", nil, fmt.Errorf("%w: it is not a URL", ErrBadURI)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Opaque != "" {
		return "", "", nil, fmt.Errorf("%w: it does not start with otpauth://totp/", ErrBadURI)
	}
	label := strings.TrimPrefix(u.EscapedPath(), "/")
	if i := strings.IndexByte(label, ':'); i >= 0 {
		if issuer, err = url.PathUnescape(label[:i]); err != nil {
			return "", "", nil, fmt.Errorf("%w: issuer in the label: %w", ErrBadURI, err)
		}
		label = label[i+1:]
	}
	if account, err = url.PathUnescape(label); err != nil {
		return "", "", nil, fmt.Errorf("%w: account in the label: %w", ErrBadURI, err)
	}
	if account == "" || strings.Contains(account, ":") || strings.Contains(issuer, ":") {
		return "", "", nil, fmt.Errorf("%w: the label is not issuer:account", ErrBadURI)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", "", nil, fmt.Errorf("%w: its parameters can't be read", ErrBadURI)
	}
	if p, ok := q["issuer"]; ok {
		if issuer != "" && p[0] != issuer {
			return "", "", nil, fmt.Errorf("%w: issuer %q in the label but %q in the parameter", ErrBadURI, issuer, p[0])
		}
		issuer = p[0]
	}
	for name, want := range map[string]string{"algorithm": "SHA1", "digits": "6", "period": "30"} {
		if v, ok := q[name]; ok && !strings.EqualFold(v[0], want) {
			return "", "", nil, fmt.Errorf("%w: %s %q is not supported (only %s)", ErrBadURI, name, v[0], want)
		}
	}
	if _, ok := q["secret"]; !ok {
		return "", "", nil, fmt.Errorf("%w: it has no secret", ErrBadURI)
	}
	if secret, err = ParseKey(q.Get("secret")); err != nil {
		return "", "", nil, err
	}
	return issuer, account, secret, nil
}

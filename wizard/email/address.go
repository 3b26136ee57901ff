package email

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/securityinfo/securityinfo/wizard/words"
)

// Address is an email address as it is kept and sent to.
type Address struct {
	// Addr is the address with its domain in lower case, in the ASCII
	// form an internationalised domain takes on the wire
	// ("alice@xn--bcher-kva.example"): what is stored and sent to.
	Addr string
	// Domain is Addr's domain.
	Domain string
}

// Errors from ParseAddress and Send, checked with errors.Is.
var (
	// ErrAddressEmpty means nothing was typed.
	ErrAddressEmpty = words.New("enter an email address",
		"Enter the email address you want to use.")
	// ErrAddressInvalid means what was typed is not an email address this
	// app can send to.
	ErrAddressInvalid = words.New("that is not an email address",
		"That isn't an email address. Check it and enter it again, like name@example.com.")
	// ErrAddressRefused is matched by *RefusedError.
	ErrAddressRefused = words.New("the organisation doesn't allow addresses at this domain",
		"Your organisation doesn't allow an address at this domain. Use a personal email address.")
)

// RefusedError means the policy refuses addresses at Domain (the
// organisation's own, say); errors.Is(err, ErrAddressRefused) holds.
type RefusedError struct {
	// Domain is the refused domain the address is at or under.
	Domain string
}

// Error names the domain.
func (e *RefusedError) Error() string {
	return "addresses at " + e.Domain + " are refused by the policy"
}

// Words say why and what to use instead.
func (e *RefusedError) Words() string {
	return fmt.Sprintf("You can't use an address at %s here. Use a personal email address: one you can read when you can't sign in to your work account.", displayDomain(e.Domain))
}

// Is makes errors.Is(err, ErrAddressRefused) true.
func (e *RefusedError) Is(target error) bool { return target == ErrAddressRefused }

// atext are the characters of a dot-atom's atoms besides letters and
// digits (RFC 5322 §3.2.3).
const atext = "!#$%&'*+-/=?^_`{|}~"

// ParseAddress reads a typed address: surrounding spaces are dropped,
// the domain is lower-cased and put in its ASCII form. It refuses
// (ErrAddressEmpty, ErrAddressInvalid) what is not local@domain with a
// dot-atom local part of at most 64 ASCII characters (no quoted strings,
// comments or display names) and a domain name with at least two labels
// (no IP literals), 254 characters in all.
func ParseAddress(typed string) (Address, error) {
	s := strings.TrimSpace(typed)
	if s == "" {
		return Address{}, ErrAddressEmpty
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || !utf8.ValidString(s) || strings.IndexFunc(s, invisible) >= 0 {
		return Address{}, ErrAddressInvalid
	}
	local, domain := s[:at], strings.TrimSuffix(s[at+1:], ".")
	if len(local) > 64 || !dotAtom(local) {
		return Address{}, ErrAddressInvalid
	}
	ascii, err := idna.Lookup.ToASCII(strings.ToLower(domain))
	if err != nil || !strings.Contains(ascii, ".") || len(ascii) > 253 {
		return Address{}, ErrAddressInvalid
	}
	labels := strings.Split(ascii, ".")
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" {
		return Address{}, ErrAddressInvalid // 10.0.0.1, not a name
	}
	addr := local + "@" + ascii
	if len(addr) > 254 {
		return Address{}, ErrAddressInvalid
	}
	// A second opinion from the standard library's RFC 5322 parser.
	if a, err := mail.ParseAddress(addr); err != nil || a.Address != addr || a.Name != "" {
		return Address{}, ErrAddressInvalid
	}
	return Address{Addr: addr, Domain: ascii}, nil
}

// invisible reports whether r is a control or format character (a
// zero-width space, a direction mark): what a person sees must be what
// is stored.
func invisible(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

// dotAtom reports whether s is an RFC 5322 dot-atom of ASCII characters.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.':
		case strings.ContainsRune(atext, r):
		default:
			return false
		}
	}
	return true
}

// Refused returns a *RefusedError if the address is at one of domains
// (lower case, ASCII form) or under it, else nil.
func (a Address) Refused(domains []string) error {
	for _, d := range domains {
		if a.Domain == d || strings.HasSuffix(a.Domain, "."+d) {
			return &RefusedError{Domain: d}
		}
	}
	return nil
}

// Masked is the address as shown once registered: the first character of
// the local part, then dots, then the domain in its own letters
// ("a•••@bücher.example").
func (a Address) Masked() string { return Mask(a.Addr) }

// Mask shows a stored address masked; "•••" for anything else.
func Mask(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return "•••"
	}
	first, _ := utf8.DecodeRuneInString(addr)
	return string(first) + "•••@" + displayDomain(addr[at+1:])
}

// displayDomain is a domain in its own letters.
func displayDomain(ascii string) string {
	if u, err := idna.Display.ToUnicode(ascii); err == nil {
		return u
	}
	return ascii
}

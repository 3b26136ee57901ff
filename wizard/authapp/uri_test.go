package authapp

import (
	"bytes"
	"errors"
	"math/rand"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"testing/quick"

	"github.com/pquerna/otp"
)

var rfcSecret = []byte("12345678901234567890") // base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ

func TestURI_Exact(t *testing.T) {
	for _, tc := range []struct{ issuer, account, want string }{
		{"Contoso", "alice@contoso.example",
			"otpauth://totp/Contoso:alice@contoso.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Contoso&algorithm=SHA1&digits=6&period=30"},
		{"Contoso Ltd", "alice smith",
			"otpauth://totp/Contoso%20Ltd:alice%20smith?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Contoso%20Ltd&algorithm=SHA1&digits=6&period=30"},
		{"A&B#C?D%E+F/G", "x=y&z",
			"otpauth://totp/A%26B%23C%3FD%25E%2BF%2FG:x%3Dy%26z?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=A%26B%23C%3FD%25E%2BF%2FG&algorithm=SHA1&digits=6&period=30"},
		{"Société Générale", "jörg@bank.example",
			"otpauth://totp/Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale:j%C3%B6rg@bank.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale&algorithm=SHA1&digits=6&period=30"},
		{"Co@op", "a@b",
			"otpauth://totp/Co@op:a@b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Co@op&algorithm=SHA1&digits=6&period=30"},
	} {
		got, err := URI(tc.issuer, tc.account, rfcSecret)
		if err != nil || got != tc.want {
			t.Errorf("URI(%q, %q) =\n %q, %v\nwant\n %q", tc.issuer, tc.account, got, err, tc.want)
		}
	}
}

func TestURI_RefusesColonAndEmpty(t *testing.T) {
	for _, tc := range []struct {
		issuer, account, field string
		want                   error
	}{
		{"Con:toso", "alice", "issuer", ErrColonInName},
		{"Contoso", "domain:alice", "account", ErrColonInName},
		{":", ":", "issuer", ErrColonInName},
		{"", "alice", "issuer", ErrEmptyName},
		{"Contoso", "", "account", ErrEmptyName},
	} {
		got, err := URI(tc.issuer, tc.account, rfcSecret)
		if !errors.Is(err, tc.want) || got != "" {
			t.Errorf("URI(%q, %q) = %q, %v; want %v", tc.issuer, tc.account, got, err, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.field) {
			t.Errorf("URI(%q, %q) error %q does not name the %s", tc.issuer, tc.account, err, tc.field)
		}
	}
}

// nameAlphabet mixes plain letters with every character that needs care.
var nameAlphabet = []rune("aZ09 .-_~&#?%+/=@;,!$'()*[]\"<>\\^`{|}éüß日本語🙂\t")

// randomName is a non-empty name without ':' drawn from nameAlphabet.
func randomName(r *rand.Rand) string {
	n := 1 + r.Intn(24)
	b := make([]rune, n)
	for i := range b {
		b[i] = nameAlphabet[r.Intn(len(nameAlphabet))]
	}
	return string(b)
}

func TestURI_RoundTripProperty(t *testing.T) {
	type pair struct{ Issuer, Account string }
	cfg := &quick.Config{
		MaxCount: 2000,
		Rand:     rand.New(rand.NewSource(7)),
		Values: func(v []reflect.Value, r *rand.Rand) {
			v[0] = reflect.ValueOf(pair{randomName(r), randomName(r)})
			v[1] = reflect.ValueOf(randomSecret(r))
		},
	}
	prop := func(p pair, secret []byte) bool {
		u, err := URI(p.Issuer, p.Account, secret)
		if err != nil {
			t.Logf("URI(%q, %q): %v", p.Issuer, p.Account, err)
			return false
		}
		// Nothing that would end or split the URI is left bare.
		rest := strings.TrimPrefix(u, "otpauth://totp/")
		if strings.ContainsAny(rest, " #+\t") || strings.Count(rest, "?") != 1 ||
			strings.Count(rest, ":") != 1 || strings.Count(rest, "&") != 4 {
			t.Logf("URI(%q, %q) = %q is badly escaped", p.Issuer, p.Account, u)
			return false
		}
		for _, c := range rest {
			if c > 0x7e {
				t.Logf("URI(%q, %q) = %q has non-ASCII", p.Issuer, p.Account, u)
				return false
			}
		}
		iss, acc, sec, err := ParseURI(u)
		if err != nil || iss != p.Issuer || acc != p.Account || !bytes.Equal(sec, secret) {
			t.Logf("ParseURI(%q) = %q, %q, %x, %v", u, iss, acc, sec, err)
			return false
		}
		// An independent reader (the one apps built on pquerna/otp use)
		// agrees.
		k, err := otp.NewKeyFromURL(u)
		if err != nil || k.Issuer() != p.Issuer || k.AccountName() != p.Account ||
			k.Secret() != EncodeKey(secret) || k.Period() != 30 || k.Digits() != otp.DigitsSix ||
			k.Algorithm() != otp.AlgorithmSHA1 || k.Type() != "totp" {
			t.Logf("pquerna reads %q differently: %v", u, err)
			return false
		}
		return true
	}
	if err := quick.Check(prop, cfg); err != nil {
		t.Fatal(err)
	}
}

func randomSecret(r *rand.Rand) []byte {
	b := make([]byte, 20)
	r.Read(b)
	return b
}

func TestURI_ParameterOrder(t *testing.T) {
	u, err := URI("Contoso", "alice", rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	_, query, _ := strings.Cut(u, "?")
	var names []string
	for _, kv := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(kv, "=")
		names = append(names, k)
	}
	if got := strings.Join(names, ","); got != "secret,issuer,algorithm,digits,period" {
		t.Fatalf("parameters %s", got)
	}
	if _, err := url.Parse(u); err != nil {
		t.Fatal(err)
	}
}

func TestParseURI_Other(t *testing.T) {
	good := "otpauth://totp/Contoso:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for _, tc := range []struct {
		name, in, issuer, account string
		err                       error
	}{
		{"minimal", good, "Contoso", "alice", nil},
		{"plus as space in issuer parameter", "otpauth://totp/Con%20toso:alice?secret=gezdgnbvgy3tqojqgezdgnbvgy3tqojq&issuer=Con+toso", "Con toso", "alice", nil},
		{"issuer only as parameter", "otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Contoso", "Contoso", "alice", nil},
		{"hotp", "otpauth://hotp/Contoso:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "", "", ErrBadURI},
		{"other scheme", "https://totp/Contoso:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "", "", ErrBadURI},
		{"no secret", "otpauth://totp/Contoso:alice?issuer=Contoso", "", "", ErrBadURI},
		{"bad secret", "otpauth://totp/Contoso:alice?secret=GEZ1", "", "", ErrKeyFormat},
		{"issuer mismatch", good + "&issuer=Fabrikam", "", "", ErrBadURI},
		{"sha256", good + "&algorithm=SHA256", "", "", ErrBadURI},
		{"8 digits", good + "&digits=8", "", "", ErrBadURI},
		{"60 s", good + "&period=60", "", "", ErrBadURI},
		{"escaped colon", "otpauth://totp/Con%3Atoso:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "", "", ErrBadURI},
		{"no account", "otpauth://totp/Contoso:?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "", "", ErrBadURI},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iss, acc, _, err := ParseURI(tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("ParseURI = %q, %q, %v; want %v", iss, acc, err, tc.err)
				}
				return
			}
			if err != nil || iss != tc.issuer || acc != tc.account {
				t.Fatalf("ParseURI = %q, %q, %v; want %q, %q", iss, acc, err, tc.issuer, tc.account)
			}
		})
	}
}

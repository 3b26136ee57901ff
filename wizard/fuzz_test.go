package wizard_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/securityinfo/securityinfo/wizard"
)

// FuzzParsePolicy: no policy file, however broken, makes ParsePolicy
// panic; a refusal names the file, and a policy accepted is one the app
// can run (an organisation, a known mode, at least one method allowed).
func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(defaultPolicy))
	f.Add([]byte("organisation = \"Contoso\"\nrequired = [\"fax\"]\n"))
	f.Add([]byte("organisation = \"Contoso\"\nmode = \"kiosk\"\nidle_timeout = \"30s\"\nrequired = [\"authenticator-app\"]\n"))
	f.Add([]byte("organisation = \"Contoso\"\nrequired = [\"phone\"]\ndelivery = \"webhook\"\nwebhook_url = \"https://gw.example/sms\"\n[directory]\nurl = \"ldaps://ldap.example\"\nbase_dn = \"dc=example\"\n"))
	f.Add([]byte("organisation = \"Con\u202etoso\"\nrequired = [\"phone\"]\n"))
	f.Add([]byte("organisation = \n"))
	f.Add([]byte("[[[\n"))
	f.Add([]byte{0xff, 0xfe, 0x00})
	f.Fuzz(func(t *testing.T, text []byte) {
		pol, err := wizard.ParsePolicy("fuzz.toml", text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.toml") {
				t.Fatalf("error does not name the file: %q", err)
			}
			return
		}
		if strings.TrimSpace(pol.Organisation) == "" {
			t.Fatalf("accepted a policy without an organisation: %q", text)
		}
		switch pol.Mode {
		case wizard.ModeDesktop, wizard.ModeKiosk, wizard.ModeHelpdesk:
		default:
			t.Fatalf("accepted mode %q", pol.Mode)
		}
		if len(pol.Allowed) == 0 {
			t.Fatalf("accepted a policy that allows no method: %q", text)
		}
	})
}

// FuzzValidateAccountName: no name makes ValidateAccountName panic; a name
// accepted is trimmed, valid UTF-8, at most MaxAccountName characters, with
// no ':', space, control, invisible or text-direction character; and a
// refusal never repeats the name (people type passwords into the account
// field).
func FuzzValidateAccountName(f *testing.F) {
	for _, s := range []string{"alice@contoso.example", "  bob@contoso.example  ", "", "a:b", "a b", "a\u202eb", "a\u200bb", "a\x00b", "\xff", strings.Repeat("x", 255), "Ünïcödé@example.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, err := wizard.ValidateAccountName(name)
		if err != nil {
			if n := strings.TrimSpace(name); len(n) >= 4 && strings.Contains(err.Error(), n) {
				t.Fatalf("the error repeats what was typed: %q", err)
			}
			return
		}
		if got != strings.TrimSpace(name) || got == "" || !utf8.ValidString(got) || utf8.RuneCountInString(got) > wizard.MaxAccountName {
			t.Fatalf("accepted %q as %q", name, got)
		}
		for _, r := range got {
			if r == ':' || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("accepted %q, which holds %U", got, r)
			}
		}
	})
}

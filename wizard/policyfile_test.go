package wizard_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestParsePolicy_EmbeddedDefault(t *testing.T) {
	p, err := wizard.ParsePolicy(assets.DefaultPolicyName, assets.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if p.Organisation != "Contoso" || p.Issuer != "Contoso" || !p.Demo || p.Mode != wizard.ModeDesktop {
		t.Errorf("default policy = %+v", p)
	}
	want := []info.Kind{info.KindAuthenticatorApp, info.KindPhone}
	if len(p.Required) != 2 || p.Required[0] != want[0] || p.Required[1] != want[1] {
		t.Errorf("required = %v, want %v", p.Required, want)
	}
	if !p.AppPasswords || p.MinMethods != 2 || p.IdleTimeout != 2*time.Minute || p.Delivery != "outbox" {
		t.Errorf("default policy = %+v", p)
	}
}

func TestParsePolicy_Defaults(t *testing.T) {
	p := mustPolicy(t, `organisation = "Fabrikam"
required = ["phone"]
allowed = ["email"]`)
	if p.Issuer != "Fabrikam" || p.Mode != wizard.ModeDesktop || p.MinMethods != 1 || p.Demo || p.AppPasswords {
		t.Errorf("defaults = %+v", p)
	}
	// Required methods are always allowed.
	if len(p.Allowed) != 2 || p.Allowed[1] != info.KindPhone {
		t.Errorf("allowed = %v", p.Allowed)
	}
}

func TestParsePolicy_Errors(t *testing.T) {
	base := "organisation = \"Contoso\"\nrequired = [\"authenticator-app\"]\n"
	tests := []struct {
		name, text string
		line       int
		want       string
	}{
		{"syntax", "organisation = \"Contoso\nmode = \"kiosk\"\n", 1, ""},
		{"unknown key", base + "colour = \"blue\"\n", 3, `unknown setting "colour"`},
		{"unknown method", base + "allowed = [\"fax\"]\n", 3, `unknown method "fax"`},
		{"repeated method", "organisation = \"C\"\n\nrequired = [\"phone\", \"phone\"]\n", 3, "listed twice"},
		{"app password as method", base + "allowed = [\"app-password\"]\n", 3, "app_passwords = true"},
		{"bad mode", base + "mode = \"tablet\"\n", 3, `mode "tablet" is not known`},
		{"no organisation", "required = [\"phone\"]\n", 0, "organisation is missing"},
		{"colon in organisation", "organisation = \"A:B\"\nrequired = [\"phone\"]\n", 1, "must not contain ':'"},
		{"colon in issuer", base + "issuer = \"A:B\"\n", 3, "issuer must not contain ':'"},
		{"min below required", "organisation = \"C\"\nrequired = [\"phone\", \"email\"]\nmin_methods = 1\n", 3, "raise it to at least 2"},
		{"min above allowed", base + "min_methods = 3\n", 3, "only 1 methods are allowed"},
		{"min zero", base + "min_methods = 0\n", 3, "at least 1"},
		{"reset only", "organisation = \"C\"\nallowed = [\"email\", \"security-questions\"]\n", 2, "no method usable for two-step"},
		{"idle timeout", base + "idle_timeout = \"soon\"\n", 3, "idle_timeout"},
		{"idle too short", base + "idle_timeout = \"1s\"\n", 3, "between 15s and 24h"},
		{"delivery", base + "delivery = \"pigeon\"\n", 3, `delivery "pigeon"`},
		{"twilio without a number", base + "delivery = \"twilio\"\ntwilio_from = \"12345\"\n", 4, "E.164"},
		{"webhook without a URL", base + "delivery = \"webhook\"\n", 0, "needs webhook_url"},
		{"bad region", base + "default_region = \"Britain\"\n", 3, "two-letter region"},
		{"wrong type", base + "min_methods = \"two\"\n", 3, ""},
		{"unknown theme", base + "theme = \"pink\"\n", 3, `theme "pink" is not known`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wizard.ParsePolicy("/etc/securityinfo/policy.toml", []byte(tc.text))
			var pe *wizard.PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *PolicyError", err)
			}
			if pe.Line != tc.line {
				t.Errorf("line = %d, want %d (%v)", pe.Line, tc.line, err)
			}
			if !strings.HasPrefix(err.Error(), "/etc/securityinfo/policy.toml:") {
				t.Errorf("error %q does not start with the file name", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestParsePolicy_Theme(t *testing.T) {
	base := "organisation = \"Contoso\"\nrequired = [\"phone\"]\n"
	for setting, want := range map[string]string{
		"":                          "",
		"theme = \"system\"":        "",
		"theme = \"light\"":         "light",
		"theme = \"dark\"":          "dark",
		"theme = \"high-contrast\"": "high-contrast",
	} {
		if p := mustPolicy(t, base+setting); p.Theme != want {
			t.Errorf("%q: theme = %q, want %q", setting, p.Theme, want)
		}
	}
}

func TestParsePolicy_AppPasswordsRequiredOrAllowed(t *testing.T) {
	base := "organisation = \"Contoso\"\nrequired = [\"phone\"]\n"
	for _, tc := range []struct {
		setting      string
		on, required bool
	}{
		{"", false, false},
		{"app_passwords = false", false, false},
		{"app_passwords = true", true, false},
		{"app_passwords = \"allowed\"", true, false},
		{"app_passwords = \"required\"", true, true},
		{"app_passwords = \"off\"", false, false},
	} {
		p := mustPolicy(t, base+tc.setting+"\n")
		if p.AppPasswords != tc.on || p.AppPasswordsRequired != tc.required {
			t.Errorf("%q: on %v required %v, want %v %v", tc.setting, p.AppPasswords, p.AppPasswordsRequired, tc.on, tc.required)
		}
	}
	_, err := wizard.ParsePolicy("p.toml", []byte(base+"app_passwords = \"sometimes\"\n"))
	var pe *wizard.PolicyError
	if !errors.As(err, &pe) || pe.Line != 3 || !strings.Contains(pe.Msg, `"required"`) {
		t.Errorf("app_passwords = \"sometimes\": %v", err)
	}
}

// The language key forces one of the languages Security Info speaks, in
// any case; a language it doesn't speak is refused at its line.
func TestParsePolicy_Language(t *testing.T) {
	p := mustPolicy(t, `organisation = "Fabrikam"
language = " DE "
required = ["phone"]`)
	if p.Language != "de" {
		t.Errorf("language = %q, want de", p.Language)
	}
	if p := mustPolicy(t, `organisation = "Fabrikam"
required = ["phone"]`); p.Language != "" {
		t.Errorf("language without the key = %q, want empty", p.Language)
	}
	_, err := wizard.ParsePolicy("p.toml", []byte("organisation = \"Fabrikam\"\nlanguage = \"pl\"\nrequired = [\"phone\"]"))
	var pe *wizard.PolicyError
	if !errors.As(err, &pe) || pe.Line != 2 || !strings.Contains(pe.Msg, `language "pl"`) {
		t.Errorf("language = \"pl\": %v", err)
	}
}

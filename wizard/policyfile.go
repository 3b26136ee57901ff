package wizard

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// PolicyError says what is wrong with a policy file and where.
type PolicyError struct {
	File string
	Line int // 0 when the problem is not on one line
	Msg  string
}

// Error is "file:line: what is wrong".
func (e *PolicyError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var (
	e164Re   = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	regionRe = regexp.MustCompile(`^[A-Z]{2}$`)
	rpIDRe   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)
	uuidRe   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// validURL reports whether s is an absolute http or https URL.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

var decodeErrRe = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// policyFile is the TOML shape of a policy.
type policyFile struct {
	Organisation string   `toml:"organisation"`
	Issuer       string   `toml:"issuer"`
	Mode         string   `toml:"mode"`
	Demo         bool     `toml:"demo"`
	Required     []string `toml:"required"`
	Allowed      []string `toml:"allowed"`
	MinMethods   *int     `toml:"min_methods"`
	AppPasswords any      `toml:"app_passwords"`
	IdleTimeout  string   `toml:"idle_timeout"`
	Delivery     string   `toml:"delivery"`
	TwilioFrom   string   `toml:"twilio_from"`
	TwilioURL    string   `toml:"twilio_base_url"`
	WebhookURL   string   `toml:"webhook_url"`
	Region       string   `toml:"default_region"`
	Language     string   `toml:"language"`
	RPID         string   `toml:"rp_id"`
	KeyUV        bool     `toml:"security_key_uv"`
	KeyAAGUIDs   []string `toml:"security_key_aaguids"`
	ResidentKey  bool     `toml:"resident_key"`
	SecondFactor string   `toml:"second_factor"`
	ResetMethods *int     `toml:"reset_methods"`
	MinPassword  *int     `toml:"min_password"`
	SnoozeTimes  int      `toml:"snooze_times"`
	SnoozeDays   int      `toml:"snooze_days"`
	KioskCodes   bool     `toml:"kiosk_recovery_codes"`
	Theme        string   `toml:"theme"`
	Directory    struct {
		URL           string `toml:"url"`
		BaseDN        string `toml:"base_dn"`
		AccountFilter string `toml:"account_filter"`
		BindDN        string `toml:"bind_dn"`
		HelpdeskGroup string `toml:"helpdesk_group"`
		CAFile        string `toml:"ca_file"`
		Timeout       string `toml:"timeout"`
	} `toml:"directory"`
	methodsFile
}

// ParsePolicy reads a policy from TOML text. name is used in error messages
// (the file's path). Every problem is reported as a *PolicyError naming the
// line and what to change.
func ParsePolicy(name string, text []byte) (Policy, error) {
	var f policyFile
	md, err := toml.Decode(string(text), &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Policy{}, &PolicyError{File: name, Line: pe.Position.Line, Msg: pe.Message}
		}
		// Type mismatches come as plain errors: "toml: line N (last key
		// "k"): ...".
		if m := decodeErrRe.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return Policy{}, &PolicyError{File: name, Line: line, Msg: m[2] + ": " + m[3]}
		}
		return Policy{}, &PolicyError{File: name, Msg: err.Error()}
	}
	at := func(key string) int { return lineOf(text, key) }
	fail := func(key, format string, args ...any) (Policy, error) {
		return Policy{}, &PolicyError{File: name, Line: at(key), Msg: fmt.Sprintf(format, args...)}
	}
	if und := md.Undecoded(); len(und) > 0 {
		key := und[0].String()
		return fail(key, "unknown setting %q (known: organisation, issuer, mode, demo, required, allowed, min_methods, app_passwords, idle_timeout, delivery, twilio_from, twilio_base_url, webhook_url, default_region, language, rp_id, security_key_uv, security_key_aaguids, resident_key, second_factor, reset_methods, min_password, snooze_times, snooze_days, kiosk_recovery_codes, theme, %s, and in [directory]: url, base_dn, account_filter, bind_dn, helpdesk_group, ca_file, timeout)", key, methodSettingNames)
	}

	p := Policy{
		Organisation: strings.TrimSpace(f.Organisation),
		Issuer:       strings.TrimSpace(f.Issuer),
		Mode:         Mode(f.Mode),
		Demo:         f.Demo,
		Delivery:     f.Delivery,
		IdleTimeout:  2 * time.Minute,
	}
	switch v := f.AppPasswords; v {
	case nil, false, "off":
	case true, "allowed":
		p.AppPasswords = true
	case "required":
		p.AppPasswords, p.AppPasswordsRequired = true, true
	default:
		return fail("app_passwords", "app_passwords = %#v is not known: use \"required\" (the section must be filled out), \"allowed\" (it may be skipped; true says the same) or false", v)
	}
	if p.Organisation == "" {
		return fail("organisation", "organisation is missing or empty: set organisation = \"Your organisation\"")
	}
	if strings.ContainsAny(p.Organisation, ":") || !plainText(p.Organisation) {
		return fail("organisation", "organisation must not contain ':', control characters or invisible ones (text-direction marks, zero-width spaces)")
	}
	if p.Issuer == "" {
		p.Issuer = p.Organisation
	}
	if strings.ContainsAny(p.Issuer, ":") || !plainText(p.Issuer) {
		return fail("issuer", "issuer must not contain ':' (authenticator apps use it as a separator), control characters or invisible ones")
	}
	switch p.Mode {
	case "":
		p.Mode = ModeDesktop
	case ModeDesktop, ModeKiosk, ModeHelpdesk:
	default:
		return fail("mode", "mode %q is not known: use \"desktop\", \"kiosk\" or \"helpdesk\"", f.Mode)
	}
	if p.Delivery == "" {
		p.Delivery = "outbox"
	}
	p.TwilioFrom, p.TwilioBaseURL, p.WebhookURL = f.TwilioFrom, f.TwilioURL, f.WebhookURL
	switch p.Delivery {
	case "outbox":
	case "twilio":
		if !e164Re.MatchString(p.TwilioFrom) {
			return fail("twilio_from", "delivery = \"twilio\" needs twilio_from, the sending number in E.164 form (for example \"+14255550100\")")
		}
		if p.TwilioBaseURL != "" && !validURL(p.TwilioBaseURL) {
			return fail("twilio_base_url", "twilio_base_url %q is not an http(s) URL", p.TwilioBaseURL)
		}
	case "webhook":
		if !validURL(p.WebhookURL) {
			return fail("webhook_url", "delivery = \"webhook\" needs webhook_url, an https URL of your gateway")
		}
	default:
		return fail("delivery", "delivery %q is not known: use \"outbox\", \"twilio\" or \"webhook\"", p.Delivery)
	}
	p.DefaultRegion = strings.ToUpper(strings.TrimSpace(f.Region))
	if p.DefaultRegion != "" && !regionRe.MatchString(p.DefaultRegion) {
		return fail("default_region", "default_region %q is not a two-letter region code (for example \"GB\")", f.Region)
	}
	p.Language = strings.ToLower(strings.TrimSpace(f.Language))
	if p.Language != "" && !slices.Contains(Languages, p.Language) {
		return fail("language", "language %q is not one Security Info speaks: use one of %s, or leave it out to follow the system's locale", f.Language, strings.Join(Languages, ", "))
	}
	switch t := strings.TrimSpace(f.Theme); t {
	case "", "system":
	case "light", "dark", "high-contrast":
		p.Theme = t
	default:
		return fail("theme", "theme %q is not known: use \"system\" (light or dark as the desktop is, high contrast when it asks), \"light\", \"dark\" or \"high-contrast\"", f.Theme)
	}
	if f.IdleTimeout != "" {
		d, err := time.ParseDuration(f.IdleTimeout)
		if err != nil || d < 15*time.Second || d > 24*time.Hour {
			return fail("idle_timeout", "idle_timeout %q is not a duration between 15s and 24h (for example \"2m\")", f.IdleTimeout)
		}
		p.IdleTimeout = d
	}
	dir := f.Directory
	p.Directory = DirectorySettings{URL: strings.TrimSpace(dir.URL), BaseDN: strings.TrimSpace(dir.BaseDN), AccountFilter: strings.TrimSpace(dir.AccountFilter),
		BindDN: strings.TrimSpace(dir.BindDN), HelpdeskGroup: strings.TrimSpace(dir.HelpdeskGroup), CAFile: strings.TrimSpace(dir.CAFile)}
	if md.IsDefined("directory") {
		if p.Directory.URL == "" {
			return fail("url", "[directory] needs url, e.g. url = \"ldaps://ldap.contoso.example\"")
		}
		if p.Directory.BaseDN == "" {
			return fail("url", "[directory] needs base_dn, e.g. base_dn = \"dc=contoso,dc=example\"")
		}
		if p.Directory.BindDN == "" {
			return fail("url", "[directory] needs bind_dn, the station account's DN")
		}
		if p.Directory.AccountFilter == "" {
			p.Directory.AccountFilter = "(|(uid=%s)(mail=%s))"
		}
		if dir.Timeout != "" {
			d, err := time.ParseDuration(dir.Timeout)
			if err != nil || d < time.Second || d > time.Minute {
				return fail("timeout", "timeout %q is not a duration between 1s and 1m (for example \"5s\")", dir.Timeout)
			}
			p.Directory.Timeout = d
		}
	}
	if p.SecurityKey, err = securityKeySettings(f, p.Directory.BaseDN); err != nil {
		var ke *keySettingError
		errors.As(err, &ke)
		return fail(ke.key, "%s", ke.msg)
	}
	if p, err = accountSettings(f, p); err != nil {
		var ke *keySettingError
		errors.As(err, &ke)
		return fail(ke.key, "%s", ke.msg)
	}
	var err2 error
	if p.Required, err2 = methodList(f.Required); err2 != nil {
		return fail("required", "required: %v", err2)
	}
	if p.Allowed, err2 = methodList(f.Allowed); err2 != nil {
		return fail("allowed", "allowed: %v", err2)
	}
	for _, k := range p.Required {
		if !containsKind(p.Allowed, k) {
			p.Allowed = append(p.Allowed, k)
		}
	}
	if len(p.Allowed) == 0 {
		return fail("allowed", "no method is allowed: list at least one in allowed = [...]")
	}
	if f.MinMethods == nil {
		p.MinMethods = max(len(p.Required), 1)
	} else {
		p.MinMethods = *f.MinMethods
	}
	if err := methodSettings(f.methodsFile, &p); err != nil {
		var ke *keySettingError
		errors.As(err, &ke)
		return fail(ke.key, "%s", ke.msg)
	}
	twoStep := 0
	for _, k := range p.Allowed {
		if Describe(k).TwoStep {
			twoStep++
		}
	}
	switch {
	case p.MinMethods < 1:
		return fail("min_methods", "min_methods must be at least 1")
	case p.MinMethods < len(p.Required):
		return fail("min_methods", "min_methods is %d but %d methods are required: raise it to at least %d", p.MinMethods, len(p.Required), len(p.Required))
	case p.MinMethods > len(p.Allowed):
		return fail("min_methods", "min_methods is %d but only %d methods are allowed", p.MinMethods, len(p.Allowed))
	case twoStep == 0:
		return fail("allowed", "allowed has no method usable for two-step verification (email and security questions are for password reset only)")
	}
	return p, nil
}

// plainText reports whether s has no control, invisible or
// text-direction characters: what a person reads is what is there.
func plainText(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// methodList turns method names into kinds, refusing unknown names and
// repeats. App passwords are not a method here: they have their own switch.
func methodList(names []string) ([]info.Kind, error) {
	var out []info.Kind
	for _, n := range names {
		k := info.Kind(strings.TrimSpace(n))
		if k == info.KindAppPassword {
			return nil, fmt.Errorf("%q is not a method here: use app_passwords = true", n)
		}
		if !Known(k) {
			return nil, fmt.Errorf("unknown method %q (known: %s)", n, strings.Join(knownNames(), ", "))
		}
		if containsKind(out, k) {
			return nil, fmt.Errorf("%q is listed twice", n)
		}
		out = append(out, k)
	}
	return out, nil
}

func containsKind(list []info.Kind, k info.Kind) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

// lineOf finds the line where key is set, so that a semantic problem can be
// reported where the person will fix it; 0 if the key is absent.
func lineOf(text []byte, key string) int {
	re := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*=`)
	for i, l := range strings.Split(string(text), "\n") {
		if re.MatchString(l) {
			return i + 1
		}
	}
	return 0
}

// keySettingError is a mistake in the security key settings: which key
// and what to change.
type keySettingError struct{ key, msg string }

func (e *keySettingError) Error() string { return e.key + ": " + e.msg }

// securityKeySettings reads the security key settings. Without rp_id the
// relying party is the domain of the directory's base DN
// (dc=contoso,dc=example is contoso.example), else "securityinfo.local".
func securityKeySettings(f policyFile, baseDN string) (SecurityKeySettings, error) {
	k := SecurityKeySettings{RPID: strings.ToLower(strings.TrimSpace(f.RPID)), UserVerification: f.KeyUV, ResidentKey: f.ResidentKey}
	if k.RPID == "" {
		k.RPID = domainOf(baseDN)
	}
	if k.RPID == "" {
		k.RPID = "securityinfo.local"
	}
	if len(k.RPID) > 253 || !rpIDRe.MatchString(k.RPID) {
		return k, &keySettingError{"rp_id", fmt.Sprintf("rp_id %q is not a domain name: use your organisation's domain, for example \"contoso.example\" (no https://, no port)", f.RPID)}
	}
	for _, a := range f.KeyAAGUIDs {
		u := strings.ToLower(strings.TrimSpace(a))
		if !uuidRe.MatchString(u) {
			return k, &keySettingError{"security_key_aaguids", fmt.Sprintf("security_key_aaguids: %q is not an AAGUID: write it as a UUID, for example \"cb69481e-8ff7-4039-93ec-0a2729a154a8\"", a)}
		}
		k.AAGUIDs = append(k.AAGUIDs, u)
	}
	return k, nil
}

// domainOf is the domain a base DN's dc= components name, or "".
func domainOf(dn string) string {
	var labels []string
	for _, rdn := range strings.Split(dn, ",") {
		attr, val, ok := strings.Cut(strings.TrimSpace(rdn), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(attr), "dc") {
			continue
		}
		labels = append(labels, strings.ToLower(strings.TrimSpace(val)))
	}
	return strings.Join(labels, ".")
}

// accountSettings reads how people sign in, reset their password and may
// put off registering.
func accountSettings(f policyFile, p Policy) (Policy, error) {
	p.SecondFactor = strings.TrimSpace(f.SecondFactor)
	switch p.SecondFactor {
	case "":
		p.SecondFactor = SecondFactorRequired
	case SecondFactorRequired, SecondFactorOff:
	default:
		return p, &keySettingError{"second_factor", fmt.Sprintf("second_factor %q is not known: use %q or %q", f.SecondFactor, SecondFactorRequired, SecondFactorOff)}
	}
	p.ResetMethods = 1
	if f.ResetMethods != nil {
		p.ResetMethods = *f.ResetMethods
	}
	if p.ResetMethods != 1 && p.ResetMethods != 2 {
		return p, &keySettingError{"reset_methods", "reset_methods must be 1 or 2"}
	}
	p.MinPassword = 8
	if f.MinPassword != nil {
		p.MinPassword = *f.MinPassword
	}
	if p.MinPassword < 8 || p.MinPassword > 64 {
		return p, &keySettingError{"min_password", "min_password must be between 8 and 64 characters"}
	}
	if f.SnoozeTimes < 0 || f.SnoozeTimes > 3 {
		return p, &keySettingError{"snooze_times", "snooze_times must be between 0 and 3"}
	}
	if f.SnoozeDays < 0 || f.SnoozeDays > 14 {
		return p, &keySettingError{"snooze_days", "snooze_days must be between 0 and 14"}
	}
	p.SnoozeTimes, p.SnoozeDays, p.KioskRecoveryCodes = f.SnoozeTimes, f.SnoozeDays, f.KioskCodes
	return p, nil
}

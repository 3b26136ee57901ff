package wizard

import (
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Mode says what kind of station the app runs on.
type Mode string

// The station modes.
const (
	ModeDesktop  Mode = "desktop"
	ModeKiosk    Mode = "kiosk"
	ModeHelpdesk Mode = "helpdesk" // operators help walk-ups; helpdesk accounts only
)

// Policy is the organisation's policy: which methods a person must and may
// register, and how the station behaves.
type Policy struct {
	// Organisation is shown on every page ("Contoso").
	Organisation string
	// Issuer names the organisation inside authenticator apps; it defaults
	// to Organisation.
	Issuer string
	// Required methods must all be registered before the wizard finishes.
	Required []info.Kind
	// Allowed methods may be registered; Required ones are always allowed.
	Allowed []info.Kind
	// MinMethods is how many methods a person must have in all.
	MinMethods int
	// AppPasswords turns the App password section on (app_passwords =
	// true or "allowed": it may be skipped).
	AppPasswords bool
	// AppPasswordsRequired says the section must be filled out
	// (app_passwords = "required"): a person without an app password
	// can't finish the wizard without creating one, and can't skip it.
	AppPasswordsRequired bool
	// Mode is desktop or kiosk.
	Mode Mode
	// IdleTimeout returns a kiosk to sign-in after this long without input.
	IdleTimeout time.Duration
	// Demo marks the embedded demo setup: a demo account and a demo outbox.
	Demo bool
	// Delivery names where SMS, voice and email codes go: "outbox" (the
	// demo outbox), "twilio" or "webhook". Email goes by SMTP instead when
	// SMTP.Host is set.
	Delivery string
	// TwilioFrom is the sending number for the twilio provider.
	TwilioFrom string
	// TwilioBaseURL is the provider's API address (tests point it at
	// loopback); empty means the real one.
	TwilioBaseURL string
	// WebhookURL is where the webhook provider posts messages (https).
	WebhookURL string
	// Directory says where people's security info lives: the
	// organisation's directory when its URL is set, else this station's
	// own data file.
	Directory DirectorySettings
	// DefaultRegion preselects the phone page's country/region (e.g. "US");
	// empty means from the system locale.
	DefaultRegion string
	// Language forces the language people read ("de"), one of Languages;
	// empty follows the system's locale.
	Language string
	// SecurityKey is how security keys (FIDO2) are registered and used.
	SecurityKey SecurityKeySettings
	// SMTP is how email is sent, when the organisation's mail server does.
	SMTP SMTPSettings
	// Email is the email method's settings.
	Email EmailSettings
	// Questions is the security questions' settings.
	Questions QuestionSettings
	// SecondFactor says whether signing in to the app asks for a second
	// factor: SecondFactorRequired (the default) once the person has one,
	// or SecondFactorOff.
	SecondFactor string
	// ResetMethods is how many different methods a self-service password
	// reset needs (1 or 2).
	ResetMethods int
	// MinPassword is the least number of characters of a new password
	// (newpassword.MinLength or more).
	MinPassword int
	// SnoozeTimes is how many times (0 to 3) the person may choose "Not
	// now" when asked to register, and SnoozeDays for how many days after
	// the first time (0 to 14; 0: no limit of days), before registering
	// is required.
	SnoozeTimes, SnoozeDays int
	// KioskRecoveryCodes offers recovery codes on kiosks too (they are
	// shown on screen and saved to a file).
	KioskRecoveryCodes bool
	// Theme is the colour theme: "" (the system's light or dark, or high
	// contrast when the desktop asks for it), "light", "dark" or
	// "high-contrast".
	Theme string
}

// The policy's second_factor values.
const (
	SecondFactorRequired = "required-once-registered"
	SecondFactorOff      = "off"
)

// SecurityKeySettings are the policy's security key settings (see
// wizard/securitykey.Policy, which the app builds from them).
type SecurityKeySettings struct {
	// RPID is the relying party ID keys are registered for: rp_id, else
	// the domain of the directory's base DN, else "securityinfo.local".
	RPID string
	// UserVerification (security_key_uv) asks for the key's PIN every
	// time, not only for keys that have one.
	UserVerification bool
	// AAGUIDs (security_key_aaguids) lists the allowed key models as
	// lower-case UUIDs; empty allows any.
	AAGUIDs []string
	// ResidentKey (resident_key) asks for credentials kept on the key.
	ResidentKey bool
}

// DirectorySettings is the policy's [directory] table (see
// storage/directory.Config, which checks it when the station connects).
type DirectorySettings struct {
	// URL is ldaps://host or ldap://host (StartTLS); empty for none.
	URL string
	// BaseDN is the directory's suffix.
	BaseDN string
	// AccountFilter finds a person by the typed name (%s).
	AccountFilter string
	// BindDN is the station's own account.
	BindDN string
	// HelpdeskGroup is the group whose members may use helpdesk mode.
	HelpdeskGroup string
	// CAFile is the PEM file of authorities to trust; empty for the system's.
	CAFile string
	// Timeout bounds each directory request; 0 for the default.
	Timeout time.Duration
}

// Languages are the languages Security Info speaks, as the policy's
// language key names them; English, the fallback, first. The ui package
// holds one translation file for each (a test there checks they agree).
var Languages = []string{"en", "de", "fr", "es"}

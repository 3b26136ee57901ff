package wizard

import "github.com/securityinfo/securityinfo/wizard/info"

// MethodInfo describes a kind of security info as the seed's table does.
type MethodInfo struct {
	Kind info.Kind
	// Title is what a person sees, e.g. "Authenticator app".
	Title string
	// UsedFor is the seed table's "Used for" column.
	UsedFor string
	// TwoStep says the method can be used for two-step verification; email
	// and security questions are for password reset only.
	TwoStep bool
	// Strength orders methods for choosing the default sign-in method:
	// higher is stronger. Phone is a restricted method.
	Strength int
	// Reset says the method can prove a person at a self-service
	// password reset.
	Reset bool
}

// catalogue lists every method in the order they are offered.
var catalogue = []MethodInfo{
	{info.KindAuthenticatorApp, "Authenticator app", "Two-factor verification and password reset authentication.", true, 40, true},
	{info.KindPhone, "Phone", "Two-factor verification and password reset authentication.", true, 20, true},
	{info.KindSecurityKey, "Security key", "Two-factor verification and password reset authentication.", true, 50, true},
	{info.KindEmail, "Email", "Password reset authentication only. You'll need to choose another method for two-factor verification.", false, 10, true},
	{info.KindSecurityQuestions, "Security questions", "Password reset authentication only. You'll need to choose another method for two-factor verification.", false, 5, true},
	{info.KindRecoveryCodes, "Recovery codes", "Signing in when you can't use your other methods, and password reset authentication. Each code works once.", true, 1, true},
}

// Describe returns what is known about a method kind. App passwords are
// described too, although they are not a verification method.
func Describe(k info.Kind) MethodInfo {
	for _, m := range catalogue {
		if m.Kind == k {
			return m
		}
	}
	if k == info.KindAppPassword {
		return MethodInfo{Kind: k, Title: "App password", UsedFor: "Signing in to apps that don't support two-step verification."}
	}
	return MethodInfo{Kind: k, Title: string(k)}
}

// Known reports whether k is a verification method the app knows.
func Known(k info.Kind) bool {
	for _, m := range catalogue {
		if m.Kind == k {
			return true
		}
	}
	return false
}

func knownNames() []string {
	var out []string
	for _, m := range catalogue {
		out = append(out, string(m.Kind))
	}
	return out
}

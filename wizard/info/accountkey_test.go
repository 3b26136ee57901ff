package info

import "testing"

// AccountKey drops surrounding spaces and lower-cases, and nothing else:
// the keys already kept (bucket keys, keyring user names, try slots,
// user handles) depend on it staying so.
func TestAccountKey(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"", ""},
		{"   ", ""},
		{"alex@contoso.example", "alex@contoso.example"},
		{"  Alex@Contoso.Example ", "alex@contoso.example"},
		{"\tALEX\n", "alex"},
		{"\u00a0Alex\u3000", "alex"}, // Unicode spaces too (unicode.IsSpace)
		{"Alex Smith", "alex smith"}, // inner spaces kept
		{"ÅSA", "åsa"},               // lower case beyond ASCII
		{"İvan", "ivan"},             // strings.ToLower's İ, where EqualFold doesn't fold
		{"ſam", "ſam"},               // EqualFold folds ſ with s; the key keeps it
		{"\u212Aim", "kim"},          // Kelvin sign
		{"Alex\u200b", "alex\u200b"}, // a zero-width space isn't a space
	} {
		if got := AccountKey(c.name); got != c.want {
			t.Errorf("AccountKey(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

package apppassword

import (
	"errors"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestCheckName(t *testing.T) {
	existing := []info.Method{
		{ID: "1", Kind: info.KindAppPassword, Label: "Laptop"},
		{ID: "2", Kind: info.KindAuthenticatorApp, Label: "Phone"},
	}
	for _, tc := range []struct {
		name, want string
		err        error
	}{
		{"Desktop", "Desktop", nil},
		{"  Outlook 2010\t", "Outlook 2010", nil},
		{"Phone", "Phone", nil}, // an authenticator app's name is no clash
		{"Bürorechner ✓", "Bürorechner ✓", nil},
		{strings.Repeat("é", 64), strings.Repeat("é", 64), nil},
		{"", "", ErrNameEmpty},
		{" \t\n ", "", ErrNameEmpty},
		{strings.Repeat("é", 65), "", ErrNameTooLong},
		{"Lap\x00top", "", ErrNameChars},
		{"Lap\ttop", "", ErrNameChars},
		{"Lap\u0085top", "", ErrNameChars},
		{"Lap\xfftop", "", ErrNameChars},
		{"Laptop", "", ErrNameTaken},
		{" LAPTOP ", "", ErrNameTaken},
	} {
		got, err := CheckName(tc.name, existing)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("CheckName(%q) = %q, %v; want %q, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
}

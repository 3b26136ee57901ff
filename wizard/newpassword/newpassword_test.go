package newpassword

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		min  int
		want error
	}{
		{"correct horse battery", 8, nil},
		{"sieben7", 8, &TooShortError{}},
		{"acht8888x", 12, &TooShortError{}},
		{"password1", 8, ErrCommon},
		{"PASSWORD1", 8, ErrCommon}, // compared ignoring case
		{"iloveyou", 8, ErrCommon},
		{"qwertyuiop", 8, ErrCommon},
		{"Ünïcødé pässwörd ✓", 8, nil},
		{"        spaces  ", 8, nil},
		{strings.Repeat("x", 64) + "y", 8, nil},
		{strings.Repeat("xy", 129), 8, ErrTooLong},
		{"tab\there is bad", 8, ErrChars},
		{"alice's secret phrase", 8, ErrContext},
		{"my contoso password", 8, ErrContext},
	} {
		err := Check(tc.pw, tc.min, "alice@example.com", "Contoso")
		var short *TooShortError
		switch want := tc.want.(type) {
		case nil:
			if err != nil {
				t.Errorf("Check(%q) = %v, want nil", tc.pw, err)
			}
		case *TooShortError:
			if !errors.As(err, &short) || short.Min != tc.min {
				t.Errorf("Check(%q, %d) = %v, want too short (min %d)", tc.pw, tc.min, err, tc.min)
			}
		default:
			if !errors.Is(err, want) {
				t.Errorf("Check(%q) = %v, want %v", tc.pw, err, want)
			}
		}
	}
}

func TestCommonList_IsTheShippedTenThousand(t *testing.T) {
	common("x")
	if len(list) < 9900 || len(list) > 10000 {
		t.Errorf("the list has %d passwords, want the 10,000 shipped", len(list))
	}
	for _, pw := range []string{"123456", "password", "12345678", "qwerty"} {
		if !list[pw] {
			t.Errorf("%q is not on the list", pw)
		}
	}
}

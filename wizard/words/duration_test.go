package words

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "a second"},
		{300 * time.Millisecond, "a second"},
		{time.Second, "a second"},
		{1500 * time.Millisecond, "2 seconds"},
		{25 * time.Second, "25 seconds"},
		{time.Minute, "a minute"},
		{90 * time.Second, "1 minute 30 seconds"},
		{600 * time.Second, "10 minutes"},
		{15 * time.Minute, "15 minutes"},
		{time.Hour, "an hour"},
		{time.Hour + 5*time.Minute + 7*time.Second, "1 hour 5 minutes"},
		{3 * time.Hour, "3 hours"},
	} {
		if got := Duration(tc.d); got != tc.want {
			t.Errorf("Duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 methods", 1: "1 method", 2: "2 methods", 40: "40 methods"} {
		if got := Plural(n, "method", "methods"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}

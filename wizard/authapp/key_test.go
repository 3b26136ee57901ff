package authapp

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestNewSecret_SizeAndEncoding(t *testing.T) {
	for seed := int64(0); seed < 50; seed++ {
		s, err := NewSecret(seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 20 {
			t.Fatalf("secret is %d bytes, want 20", len(s))
		}
		k := EncodeKey(s)
		if len(k) != 32 || strings.ContainsAny(k, "= ") {
			t.Fatalf("key %q: want 32 base32 characters, no padding", k)
		}
		if strings.ToUpper(k) != k {
			t.Fatalf("key %q is not upper case", k)
		}
	}
}

func TestNewSecret_ShortReader(t *testing.T) {
	if _, err := NewSecret(bytes.NewReader(make([]byte, 19))); err == nil {
		t.Fatal("a reader with 19 bytes gave a secret")
	}
}

func TestNewSecret_DiffersBySeed(t *testing.T) {
	a, _ := NewSecret(seeded(1))
	b, _ := NewSecret(seeded(2))
	if bytes.Equal(a, b) {
		t.Fatal("two seeds gave the same secret")
	}
}

func TestGroupKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"ABC", "ABC"},
		{"ABCD", "ABCD"},
		{"ABCDE", "ABCD E"},
		{"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"},
	} {
		if got := GroupKey(tc.in); got != tc.want {
			t.Errorf("GroupKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseKey(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, tc := range []struct {
		name, in string
		want     []byte
		err      bool
	}{
		{"plain", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", secret, false},
		{"grouped lower case", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", secret, false},
		{"mixed case, tabs and edges", "  GezD\tgnbvGY3T qojq GEZDGNBVGY3TQOJQ \n", secret, false},
		{"with padding", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====", secret, false},
		{"short key without padding", "mzxw6", []byte("foo"), false},
		{"short key with padding", "MZXW6===", []byte("foo"), false},
		{"empty", "", nil, true},
		{"spaces only", "    ", nil, true},
		{"digit 1", "GEZDGNBVGY3TQOJ1", nil, true},
		{"digit 0 and 8", "GEZD0NBV8Y3TQOJQ", nil, true},
		{"punctuation", "GEZD-GNBV", nil, true},
		{"impossible length", "GEZ", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKey(tc.in)
			if tc.err {
				if !errors.Is(err, ErrKeyFormat) {
					t.Fatalf("ParseKey(%q) = %x, %v; want ErrKeyFormat", tc.in, got, err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Fatalf("ParseKey(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseKey_RoundTripsGroupedKeys(t *testing.T) {
	for seed := int64(0); seed < 100; seed++ {
		s, _ := NewSecret(seeded(seed))
		back, err := ParseKey(strings.ToLower(GroupKey(EncodeKey(s))))
		if err != nil || !bytes.Equal(back, s) {
			t.Fatalf("seed %d: %x -> %x, %v", seed, s, back, err)
		}
	}
}

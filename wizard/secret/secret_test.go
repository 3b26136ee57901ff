package secret

import (
	"bytes"
	"crypto/rand"
	"errors"
	mrand "math/rand"
	"strings"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	h1, err := Hash("hunter2-hunter2", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := Hash("hunter2-hunter2", rand.Reader)
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h1, "hunter2") {
		t.Errorf("hash %q is not an argon2id PHC string", h1)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"hunter2-hunter2", true}, {"hunter2-hunter3", false}, {"", false}, {"HUNTER2-HUNTER2", false}} {
		ok, err := Check(h1, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("Check(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := Check(bad, "x"); !errors.Is(err, ErrBadHash) {
			t.Errorf("Check(%q) err = %v, want ErrBadHash", bad, err)
		}
	}
	if _, err := Hash("x", strings.NewReader("short")); err == nil {
		t.Error("a salt from a reader that runs dry")
	}
}

// A broken dummy would fail fast and make "no such record" quicker than
// "wrong secret".
func TestDummyHashIsAValidHashNothingMatches(t *testing.T) {
	for _, typed := range []string{"", "ABCDEFGHJKLM", "abcdefghijklmnop", "correct-horse"} {
		if ok, err := Check(DummyHash, typed); err != nil || ok {
			t.Errorf("Check(DummyHash, %q) = %v, %v; want a well-formed hash nothing matches", typed, ok, err)
		}
	}
	h, _ := Hash("x", rand.Reader)
	if DummyHash[:strings.LastIndex(DummyHash[:len(DummyHash)-44], "$")] != h[:strings.LastIndex(h[:len(h)-44], "$")] {
		t.Errorf("the dummy hash's parameters differ from Hash's: %s / %s", DummyHash, h)
	}
}

func TestZero(t *testing.T) {
	b := []byte("secret")
	Zero(b)
	if !bytes.Equal(b, make([]byte, 6)) {
		t.Errorf("after Zero: %q", b)
	}
	Zero(nil) // must not panic
}

func TestNewID(t *testing.T) {
	r := mrand.New(mrand.NewSource(1))
	a, err := NewID(r)
	b, _ := NewID(r)
	if err != nil || len(a) != 32 || a == b || strings.Trim(a, "0123456789abcdef") != "" {
		t.Fatalf("NewID = %q, %q, %v", a, b, err)
	}
	if _, err := NewID(strings.NewReader("short")); err == nil {
		t.Fatal("an id from a reader that runs dry")
	}
}

func TestGroup(t *testing.T) {
	for _, tc := range []struct{ in, sep, want string }{
		{"", " ", ""},
		{"ABC", " ", "ABC"},
		{"ABCD", " ", "ABCD"},
		{"ABCDE", " ", "ABCD E"},
		{"abcdefghijklmnop", " ", "abcd efgh ijkl mnop"},
		{"ABCDEFGHJKLM", "-", "ABCD-EFGH-JKLM"},
		{"ÄÖÜßÄÖÜßX", " ", "ÄÖÜß ÄÖÜß X"},
	} {
		if got := Group(tc.in, tc.sep); got != tc.want {
			t.Errorf("Group(%q, %q) = %q, want %q", tc.in, tc.sep, got, tc.want)
		}
	}
}

func TestNormaliseCode(t *testing.T) {
	for in, want := range map[string]string{
		"123456":      "123456",
		" 123 456 ":   "123456",
		"1 2 3 4 5 6": "123456",
		"123\t456\n":  "123456",
		"123-456":     "123456",
		"１２３４５６":      "123456", // full-width
		"١٢٣٤٥٦":      "123456", // Arabic-Indic
		"۱۲۳۴۵۶":      "123456", // Extended Arabic-Indic
	} {
		if got, ok := NormaliseCode(in, 6); !ok || got != want {
			t.Errorf("NormaliseCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
		if !CodeComplete(in, 6) {
			t.Errorf("CodeComplete(%q) = false", in)
		}
	}
	for _, in := range []string{"", "12345", "1234567", "12a456", "123.456", "१२३४५६", "+123456", "12345 "} {
		if got, ok := NormaliseCode(in, 6); ok {
			t.Errorf("NormaliseCode(%q) = %q, accepted", in, got)
		}
		if CodeComplete(in, 6) {
			t.Errorf("CodeComplete(%q) = true", in)
		}
	}
}

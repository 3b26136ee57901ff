package apppassword

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestGenerate_AlphabetAndLength(t *testing.T) {
	r := seeded(1)
	for i := 0; i < 1000; i++ {
		pw, err := Generate(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != Length || Length != 16 {
			t.Fatalf("%q: length %d, want 16", pw, len(pw))
		}
		for _, c := range pw {
			if c < 'a' || c > 'z' {
				t.Fatalf("%q holds %q", pw, c)
			}
		}
	}
}

func TestGenerate_Distinct(t *testing.T) {
	r := seeded(2)
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		pw, err := Generate(r)
		if err != nil {
			t.Fatal(err)
		}
		if seen[pw] {
			t.Fatalf("draw %d repeats %q", i, pw)
		}
		seen[pw] = true
	}
}

// Bytes from 234 up would make a–v more likely than w–z if they were
// used: they must be thrown away and the next bytes read.
func TestGenerate_RejectsHighBytes(t *testing.T) {
	var in []byte
	for b := 234; b < 256; b++ {
		in = append(in, byte(b))
	}
	for i := 0; i < 16; i++ {
		in = append(in, 255, byte(i), byte(26+i))
	}
	pw, err := Generate(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if pw != "aabbccddeeffgghh" {
		t.Fatalf("got %q, want aabbccddeeffgghh", pw)
	}
}

// Over 160,000 letters from a seeded reader, every letter appears and the
// counts fit a uniform distribution: the chi-square statistic (25 degrees
// of freedom) is far below 60 for an unbiased draw and about 215 for the
// biased b%26.
func TestGenerate_Unbiased(t *testing.T) {
	r := seeded(3)
	var counts [26]int
	const draws = 10000
	for i := 0; i < draws; i++ {
		pw, err := Generate(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range pw {
			counts[c-'a']++
		}
	}
	want := float64(draws*Length) / 26
	chi := 0.0
	for i, n := range counts {
		if n == 0 {
			t.Errorf("letter %c never drawn", 'a'+i)
		}
		d := float64(n) - want
		chi += d * d / want
	}
	if chi > 60 {
		t.Fatalf("chi-square %.1f over 60: counts %v", chi, counts)
	}
}

func TestGenerate_ReaderFails(t *testing.T) {
	if _, err := Generate(strings.NewReader("abc")); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("short reader: %v", err)
	}
	if _, err := Generate(nil); err == nil {
		t.Fatal("nil reader accepted")
	}
	// Only rejected bytes: the reader runs dry instead of a biased letter.
	if _, err := Generate(bytes.NewReader(bytes.Repeat([]byte{250}, 1000))); err == nil {
		t.Fatal("no letter can come from bytes that are all rejected")
	}
}

func TestFormatNormalise(t *testing.T) {
	for _, tc := range []struct{ pw, formatted string }{
		{"abcdefghijklmnop", "abcd efgh ijkl mnop"},
		{"abcde", "abcd e"},
		{"", ""},
	} {
		if got := Format(tc.pw); got != tc.formatted {
			t.Errorf("Format(%q) = %q, want %q", tc.pw, got, tc.formatted)
		}
		if got := Normalise(tc.formatted); got != tc.pw {
			t.Errorf("Normalise(%q) = %q, want %q", tc.formatted, got, tc.pw)
		}
	}
	for _, typed := range []string{" ABCD efgh\tIJKL mnop\n", "abcdEFGHijklMNOP", "a b c d e f g h i j k l m n o p"} {
		if got := Normalise(typed); got != "abcdefghijklmnop" {
			t.Errorf("Normalise(%q) = %q", typed, got)
		}
	}
	r := seeded(4)
	for i := 0; i < 100; i++ {
		pw, _ := Generate(r)
		f := Format(pw)
		if len(f) != 19 || Normalise(f) != pw || Normalise(strings.ToUpper(f)) != pw {
			t.Fatalf("round trip of %q through %q", pw, f)
		}
	}
}

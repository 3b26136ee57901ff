package delivery

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sixDigits finds what looks like a code in a message.
var sixDigits = regexp.MustCompile(`[0-9]{6}`)

// textValue finds the messages of an outbox (roughly: enough to find the
// codes in them).
var textValue = regexp.MustCompile(`"text"\s*:\s*"((?:[^"\\]|\\.)*)"`)

// codesIn returns the codes in the messages of data that appear nowhere
// else in it (not in a time or a number).
func codesIn(data string) []string {
	var codes []string
	rest := textValue.ReplaceAllString(data, "")
	for _, m := range textValue.FindAllStringSubmatch(data, -1) {
		for _, c := range sixDigits.FindAllString(m[1], -1) {
			if !strings.Contains(rest, c) {
				codes = append(codes, c)
			}
		}
	}
	return codes
}

// FuzzReadOutbox: no outbox file, however damaged, makes ReadOutbox panic;
// a damaged one is an error naming a line that never repeats a code (six
// digits in a message) from the file: the outbox holds codes.
func FuzzReadOutbox(f *testing.F) {
	good := `{"time":"2026-11-24T09:00:00Z","to":"+12015550123","channel":"sms","text":"Your Contoso verification code is 123456"}`
	for _, s := range []string{good, good + "\n" + good + "\n", good + "\n{\"time\":", "\n\n", "", "null\n", "[]\n",
		`{"time":"not a time","text":"code 654321"}`, `{"time":"2026-11-24T09:00:00Z","text":"code 654321","to":{}}`, `{"text":654321}`, `{"to":123456,"text":"x"}`, "\xff\xfe\x00",
		strings.Repeat("x", 70000)} {
		f.Add([]byte(s))
	}
	// One file, written again at each run: a fuzzing process runs its
	// inputs one after another.
	path := filepath.Join(f.TempDir(), "outbox.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		es, err := ReadOutbox(path)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "read the outbox: ") {
				t.Fatalf("error %q does not say what failed", err)
			}
			for _, code := range codesIn(string(data)) {
				if strings.Contains(err.Error(), code) {
					t.Fatalf("the error repeats %q from the outbox: %q", code, err)
				}
			}
			return
		}
		for i := 1; i < len(es); i++ {
			if es[i].Time.After(es[i-1].Time) {
				t.Fatalf("entries not newest first: %v", es)
			}
		}
	})
}

package authapp

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// RFC 4226 Appendix D: HOTP values for counters 0–9.
func TestCodeAt_RFC4226(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489"}
	for counter, w := range want {
		if got := codeAt(rfcSecret, uint64(counter), otp.DigitsSix, otp.AlgorithmSHA1); got != w {
			t.Errorf("counter %d: got %s, want %s", counter, got, w)
		}
	}
}

// RFC 6238 Appendix B: TOTP values, 8 digits, for each hash with its seed.
func TestCodeAt_RFC6238(t *testing.T) {
	seeds := map[otp.Algorithm][]byte{
		otp.AlgorithmSHA1:   []byte("12345678901234567890"),
		otp.AlgorithmSHA256: []byte("12345678901234567890123456789012"),
		otp.AlgorithmSHA512: []byte("1234567890123456789012345678901234567890123456789012345678901234"),
	}
	for _, tc := range []struct {
		unix                 int64
		sha1, sha256, sha512 string
	}{
		{59, "94287082", "46119246", "90693936"},
		{1111111109, "07081804", "68084774", "25091201"},
		{1111111111, "14050471", "67062674", "99943326"},
		{1234567890, "89005924", "91819424", "93441116"},
		{2000000000, "69279037", "90698825", "38618901"},
		{20000000000, "65353130", "77737706", "47863826"},
	} {
		step := uint64(Step(time.Unix(tc.unix, 0)))
		for alg, want := range map[otp.Algorithm]string{
			otp.AlgorithmSHA1: tc.sha1, otp.AlgorithmSHA256: tc.sha256, otp.AlgorithmSHA512: tc.sha512,
		} {
			if got := codeAt(seeds[alg], step, otp.DigitsEight, alg); got != want {
				t.Errorf("T=%d %s: got %s, want %s", tc.unix, alg, got, want)
			}
		}
		// Code is the same computation cut to 6 digits.
		if got := Code(seeds[otp.AlgorithmSHA1], time.Unix(tc.unix, 0)); got != tc.sha1[2:] {
			t.Errorf("Code at T=%d = %s, want %s", tc.unix, got, tc.sha1[2:])
		}
	}
}

func TestStep(t *testing.T) {
	for _, tc := range []struct {
		unix, want int64
	}{{0, 0}, {29, 0}, {30, 1}, {59, 1}, {1111111109, 37037036}, {-1, -1}, {-30, -1}, {-31, -2}} {
		if got := Step(time.Unix(tc.unix, 0)); got != tc.want {
			t.Errorf("Step(%d) = %d, want %d", tc.unix, got, tc.want)
		}
	}
}

func TestNormaliseCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"123456", "123456"},
		{" 123 456 ", "123456"},
		{"1 2 3 4 5 6", "123456"},
		{"123\t456\n", "123456"},
		{"", ""},
		{"12345", ""},
		{"1234567", ""},
		{"12a456", ""},
		{"123-456", "123456"}, // one rule for every code: secret.NormaliseCode
		{"１２３４５６", "123456"},  // full-width digits
		{"+12345", ""},
	} {
		got, err := NormaliseCode(tc.in)
		if tc.want == "" {
			if !errors.Is(err, ErrCodeFormat) {
				t.Errorf("NormaliseCode(%q) = %q, %v; want ErrCodeFormat", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("NormaliseCode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if ErrCodeFormat.Error() != "enter the 6-digit code your app shows" {
		t.Errorf("ErrCodeFormat says %q", ErrCodeFormat)
	}
}

// codeAtStep is the 6-digit code of secret at step s.
func codeAtStep(secret []byte, s int64) string {
	return codeAt(secret, uint64(s), otp.DigitsSix, otp.AlgorithmSHA1)
}

func TestVerify_Window(t *testing.T) {
	secret, _ := NewSecret(seeded(3))
	now := t0
	cur := Step(now)
	// Every code from -25 to +25 steps must be distinct for the test to
	// mean what it says.
	seen := map[string]int64{}
	for d := int64(-25); d <= 25; d++ {
		c := codeAtStep(secret, cur+d)
		if o, dup := seen[c]; dup {
			t.Fatalf("steps %d and %d share code %s: pick another seed", o, d, c)
		}
		seen[c] = d
	}
	for _, tc := range []struct {
		d    int64 // step of the code, relative to now
		skew time.Duration
		err  error
	}{
		{d: 0}, {d: -1}, {d: 1},
		{d: 2, skew: 60 * time.Second, err: ErrClockSkew},
		{d: -2, skew: -60 * time.Second, err: ErrClockSkew},
		{d: 3, skew: 90 * time.Second, err: ErrClockSkew},
		{d: 20, skew: 600 * time.Second, err: ErrClockSkew},
		{d: -20, skew: -600 * time.Second, err: ErrClockSkew},
		{d: 21, err: ErrWrongCode},
		{d: -21, err: ErrWrongCode},
		{d: 25, err: ErrWrongCode},
	} {
		step, err := Verify(secret, codeAtStep(secret, cur+tc.d), now, 0)
		if tc.err == nil {
			if err != nil || step != cur+tc.d {
				t.Errorf("step %+d: Verify = %d, %v; want %d accepted", tc.d, step, err, cur+tc.d)
			}
			continue
		}
		if !errors.Is(err, tc.err) || step != 0 {
			t.Errorf("step %+d: Verify = %d, %v; want %v", tc.d, step, err, tc.err)
			continue
		}
		if tc.skew != 0 {
			var ce *ClockSkewError
			if !errors.As(err, &ce) || ce.Offset != tc.skew {
				t.Errorf("step %+d: Verify error %#v; want offset %v", tc.d, err, tc.skew)
			}
		}
	}
}

func TestVerify_Replay(t *testing.T) {
	secret, _ := NewSecret(seeded(3))
	now := t0
	cur := Step(now)
	for _, tc := range []struct {
		name         string
		first, later int64 // steps relative to now; first is accepted
		err          error
	}{
		{"same code twice", 0, 0, ErrReplayed},
		{"earlier step after a later one", 1, -1, ErrReplayed},
		{"current after next", 1, 0, ErrReplayed},
		{"previous after current", 0, -1, ErrReplayed},
		{"skewed old code after current", 0, -5, ErrReplayed},
		{"next after current", 0, 1, nil},
		{"current after previous", -1, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			last, err := Verify(secret, codeAtStep(secret, cur+tc.first), now, 0)
			if err != nil {
				t.Fatalf("first code refused: %v", err)
			}
			step, err := Verify(secret, codeAtStep(secret, cur+tc.later), now, last)
			if tc.err == nil {
				if err != nil || step != cur+tc.later {
					t.Fatalf("second code: %d, %v; want accepted", step, err)
				}
				return
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("second code: %d, %v; want %v", step, err, tc.err)
			}
		})
	}
}

func TestVerify_Format(t *testing.T) {
	secret, _ := NewSecret(seeded(3))
	c := Code(secret, t0)
	if _, err := Verify(secret, c[:3]+" "+c[3:], t0, 0); err != nil {
		t.Fatalf("spaced code refused: %v", err)
	}
	for _, in := range []string{"", c[:5], c + "0", "abcdef"} {
		if _, err := Verify(secret, in, t0, 0); !errors.Is(err, ErrCodeFormat) {
			t.Errorf("Verify(%q) = %v; want ErrCodeFormat", in, err)
		}
	}
}

func TestVerify_OtherSecret(t *testing.T) {
	a, _ := NewSecret(seeded(3))
	b, _ := NewSecret(seeded(4))
	if _, err := Verify(b, Code(a, t0), t0, 0); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("another key's code: %v; want ErrWrongCode", err)
	}
}

func TestClockSkewError_Message(t *testing.T) {
	for _, tc := range []struct {
		off  time.Duration
		want string
	}{
		{30 * time.Second, "about 30 seconds ahead"},
		{90 * time.Second, "about 2 minutes ahead"},
		{-60 * time.Second, "about a minute behind"},
		{-600 * time.Second, "about 10 minutes behind"},
	} {
		err := error(&ClockSkewError{Offset: tc.off})
		if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.(*ClockSkewError).Words(), tc.want) || !errors.Is(err, ErrClockSkew) {
			t.Errorf("%v: %q", tc.off, err)
		}
	}
}

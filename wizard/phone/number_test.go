package phone

import (
	"errors"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestParseNumber_Valid(t *testing.T) {
	for _, tc := range []struct {
		in, region     string
		e164, numberOf string
		masked         string
	}{
		{"(201) 555-0123", "US", "+12015550123", "US", "+1 ••• ••• 0123"},
		{"+1 212 555 0199", "US", "+12125550199", "US", "+1 ••• ••• 0199"},
		{"1-201-555-0123", "US", "+12015550123", "US", "+1 ••• ••• 0123"},
		{"+1 800 234 5678", "US", "+18002345678", "US", "+1 ••• ••• 5678"}, // toll-free is accepted
		{"+1 204 555 0123", "US", "+12045550123", "CA", "+1 ••• ••• 0123"},
		{"020 7946 0018", "GB", "+442079460018", "GB", "+44 ••• ••• 0018"},
		{"07400 123456", "GB", "+447400123456", "GB", "+44 ••• ••• 3456"},
		{"+44 (0)7400 123456", "GB", "+447400123456", "GB", "+44 ••• ••• 3456"},
		{"030 1234567", "DE", "+49301234567", "DE", "+49 ••••• 4567"},
		{"01512 3456789", "DE", "+4915123456789", "DE", "+49 ••• •••• 6789"},
		{"01 23 45 67 89", "FR", "+33123456789", "FR", "+33 ••••• 6789"},
		{"06.12.34.56.78", "FR", "+33612345678", "FR", "+33 ••••• 5678"},
		{"98765 43210", "IN", "+919876543210", "IN", "+91 ••• ••• 3210"},
		{"011 2345 6789", "IN", "+911123456789", "IN", "+91 ••• ••• 6789"},
		{"090-1234-5678", "JP", "+819012345678", "JP", "+81 ••• ••• 5678"},
		{"03-1234-5678", "JP", "+81312345678", "JP", "+81 ••••• 5678"},
		{"0412 345 678", "AU", "+61412345678", "AU", "+61 ••••• 5678"},
		{"(02) 9876 5432", "AU", "+61298765432", "AU", "+61 ••••• 5432"},
		{"(11) 91234-5678", "BR", "+5511912345678", "BR", "+55 ••• •••• 5678"},
		{"(21) 2345-6789", "BR", "+552123456789", "BR", "+55 ••• ••• 6789"},
		{"+39 06 1234 5678", "US", "+390612345678", "IT", "+39 ••• ••• 5678"}, // Italian leading zero kept
		{"+683 4002", "US", "+6834002", "NU", "+683 ••• 2"},                   // 4-digit Niue number
		{"+290 22158", "US", "+29022158", "SH", "+290 ••• 58"},
		// The number's own + code wins over the picker; so do IDD prefixes.
		{"+44 7400 123456", "US", "+447400123456", "GB", "+44 ••• ••• 3456"},
		{"00 44 7400 123456", "DE", "+447400123456", "GB", "+44 ••• ••• 3456"},
		{"011 44 7400 123456", "US", "+447400123456", "GB", "+44 ••• ••• 3456"},
		// Digits in other scripts.
		{"٠٧٤٠٠ ١٢٣٤٥٦", "GB", "+447400123456", "GB", "+44 ••• ••• 3456"},
		{"０７４００ １２３４５６", "gb", "+447400123456", "GB", "+44 ••• ••• 3456"},
	} {
		n, err := ParseNumber(tc.in, tc.region)
		if err != nil {
			t.Errorf("ParseNumber(%q, %s): %v", tc.in, tc.region, err)
			continue
		}
		if n.E164 != tc.e164 || n.Region != tc.numberOf || n.Masked() != tc.masked || Mask(n.E164) != tc.masked {
			t.Errorf("ParseNumber(%q, %s) = %+v masked %q / %q; want %s %s %q",
				tc.in, tc.region, n, n.Masked(), Mask(n.E164), tc.e164, tc.numberOf, tc.masked)
		}
	}
}

func TestParseNumber_Refused(t *testing.T) {
	for _, tc := range []struct {
		in, region string
		want       error
	}{
		{"", "US", ErrNumberEmpty},
		{"   ", "US", ErrNumberEmpty},
		// Letters, including vanity numbers phonenumbers would convert.
		{"1-800-FLOWERS", "US", ErrNumberLetters},
		{"201555abcd", "US", ErrNumberLetters},
		{"+1 201 555 0123 ext 5", "US", ErrNumberLetters},
		{"O2O 7946 OO18", "GB", ErrNumberLetters},
		// Other symbols.
		{"201#5550123", "US", ErrNumberCharacters},
		{"*201 555 0123", "US", ErrNumberCharacters},
		{"201 555 0123!", "US", ErrNumberCharacters},
		{"201+555+0123", "US", ErrNumberCharacters},
		{"++44 7400 123456", "GB", ErrNumberCharacters},
		// Unknown picker region or calling code.
		{"201 555 0123", "ZZ", ErrUnknownRegion},
		{"201 555 0123", "", ErrUnknownRegion},
		{"+999 1234567", "US", ErrNumberCountryCode},
		{"+80 123456", "US", ErrNumberCountryCode},
		// Too short, including missing area codes.
		{"12", "US", ErrNumberTooShort},
		{"+1 201 55", "US", ErrNumberTooShort},
		{"555 0123", "US", ErrNumberTooShort},
		{"+44 7400", "GB", ErrNumberTooShort},
		{"+33 6 12", "FR", ErrNumberTooShort},
		{"+81 90 1234", "JP", ErrNumberTooShort},
		// Too long.
		{"+1 201 555 01234567", "US", ErrNumberTooLong},
		{"+44 7400 1234567890", "GB", ErrNumberTooLong},
		{"+1 2015550123 4", "US", ErrNumberTooLong},
		{"2015550123456789012345", "US", ErrNumberTooLong},
		// Outside the region's valid ranges.
		{"+1 099 555 0123", "US", ErrNumberInvalid},
		{"+1 201 055 0123", "US", ErrNumberInvalid},
		{"+44 1000 123456", "GB", ErrNumberInvalid},
		{"+49 000 1234567", "DE", ErrNumberInvalid},
		{"+33 0 12 34 56 78", "FR", ErrNumberInvalid},
		{"+91 0123456789", "IN", ErrNumberInvalid},
		{"+81 0012345678", "JP", ErrNumberInvalid},
		{"+61 5123 4567", "AU", ErrNumberInvalid},
		{"+55 11 01234 5678", "BR", ErrNumberInvalid},
		{"0412 345 678", "US", ErrNumberInvalid}, // an Australian mobile with the US picked
		// Premium rate.
		{"+1 900 234 5678", "US", ErrNumberPremium},
		{"1 (900) 555-0123", "US", ErrNumberPremium},
		{"+44 909 879 0000", "GB", ErrNumberPremium},
		{"09098790000", "GB", ErrNumberPremium},
		{"+49 900 1 234567", "DE", ErrNumberPremium},
		{"+33 8 91 12 34 56", "FR", ErrNumberPremium},
		{"+61 1900 123 456", "AU", ErrNumberPremium},
		{"+81 990 123 456", "JP", ErrNumberPremium},
		// Shared cost.
		{"+49 180 1234567", "DE", ErrNumberSharedCost},
		{"+33 8 10 12 34 56", "FR", ErrNumberSharedCost},
		{"+61 1300 123 456", "AU", ErrNumberSharedCost},
		{"+55 4004 1234", "BR", ErrNumberSharedCost},
		{"+91 1860 345 1234", "IN", ErrNumberSharedCost},
	} {
		n, err := ParseNumber(tc.in, tc.region)
		if !errors.Is(err, tc.want) {
			t.Errorf("ParseNumber(%q, %s) = %+v, %v; want %v", tc.in, tc.region, n, err, tc.want)
		}
		if err != nil && n.E164 != "" {
			t.Errorf("ParseNumber(%q) returned a number with its error", tc.in)
		}
	}
}

// Every refused premium-rate or shared-cost example phonenumbers knows, in
// every region, is refused, and every region's example mobile is accepted.
func TestParseNumber_ExamplesInEveryRegion(t *testing.T) {
	for _, r := range Regions() {
		if ex := phonenumbers.GetExampleNumberForType(r.Code, phonenumbers.MOBILE); ex != nil {
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			if n, err := ParseNumber(e164, r.Code); err != nil || n.E164 != e164 {
				t.Errorf("%s mobile %s: %+v, %v", r.Code, e164, n, err)
			}
		}
		for typ, want := range map[phonenumbers.PhoneNumberType]error{
			phonenumbers.PREMIUM_RATE: ErrNumberPremium,
			phonenumbers.SHARED_COST:  ErrNumberSharedCost,
		} {
			ex := phonenumbers.GetExampleNumberForType(r.Code, typ)
			if ex == nil {
				continue
			}
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			if _, err := ParseNumber(e164, r.Code); err == nil {
				t.Errorf("%s example %v %s accepted; want %v", r.Code, typ, e164, want)
			}
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"+12015550123":   "+1 ••• ••• 0123",
		"+447400123456":  "+44 ••• ••• 3456",
		"+4915123456789": "+49 ••• •••• 6789",
		"+5511912345678": "+55 ••• •••• 5678",
		"+33612345678":   "+33 ••••• 5678",
		"+6834002":       "+683 ••• 2",
		"+29022158":      "+290 ••• 58",
		"2015550123":     "•••",
		"":               "•••",
		"+1 201 HELLO":   "•••",
		"+12015550123 ":  "•••",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	for cc, nat := range map[int]string{1: "2015550123", 44: "123456789012"} {
		m := maskParts(cc, nat)
		if got := len([]rune(m)); got > 30 {
			t.Errorf("mask %q too long", m)
		}
	}
	if got := maskParts(44, "123456789012"); got != "+44 ••• ••••• 9012" {
		t.Errorf("12-digit mask %q", got)
	}
}

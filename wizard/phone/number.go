package phone

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// Errors from ParseNumber, checked with errors.Is. Their texts are written
// for the person.
var (
	ErrNumberEmpty = words.New("enter your phone number",
		"Enter your phone number.")
	ErrNumberLetters = words.New("a phone number can't contain letters: enter digits only",
		"A phone number can't contain letters. Enter digits only.")
	ErrNumberCharacters = words.New("a phone number can only contain digits, spaces, dashes, dots, brackets and a + at the start",
		"A phone number can only contain digits, spaces, dashes, dots, brackets and a + at the start.")
	ErrNumberTooShort = words.New("this phone number is too short: check that you entered every digit, including the area code",
		"This phone number is too short. Check that you entered every digit, including the area code.")
	ErrNumberTooLong = words.New("this phone number is too long: check for extra digits",
		"This phone number is too long. Check for extra digits.")
	ErrNumberCountryCode = words.New("this country calling code doesn't exist: check the digits after +",
		"This country calling code doesn't exist. Check the digits after +.")
	ErrNumberInvalid = words.New("this isn't a valid phone number for the country or region chosen: check the number, or choose the right country or region",
		"This isn't a valid phone number for the country or region chosen. Check the number, or choose the right country or region.")
	// ErrNumberPremium refuses premium-rate numbers: sending to them costs
	// the organisation money and pays whoever holds the number (toll
	// fraud).
	ErrNumberPremium = words.New("this is a premium-rate number, which can't receive codes: enter your own mobile or landline number",
		"This is a premium-rate number, which can't receive codes. Enter your own mobile or landline number.")
	// ErrNumberSharedCost refuses shared-cost service numbers (UK 084x,
	// German 0180, French 08 1x…): they belong to businesses' call
	// centres, not people, and calls to them are charged above the normal
	// rate, so they share premium rates' abuse.
	ErrNumberSharedCost = words.New("this is a shared-cost service number, which can't receive codes: enter your own mobile or landline number",
		"This is a shared-cost service number, which can't receive codes. Enter your own mobile or landline number.")
	// ErrUnknownRegion means a region code that phonenumbers does not know
	// (a host bug: the picker offers only Regions()).
	ErrUnknownRegion = words.New("choose a country or region from the list",
		"Choose a country or region from the list.")
)

// Number is a validated phone number.
type Number struct {
	// E164 is the number in E.164, e.g. "+12015550123".
	E164 string
	// Region is the number's own region ("US"; "CA" for a Canadian +1
	// number even if the picker said US).
	Region string
	// CallingCode is the country calling code (1).
	CallingCode int
	// National is the national significant number ("2015550123").
	National string
	// Type is phonenumbers' classification (MOBILE, FIXED_LINE…).
	Type phonenumbers.PhoneNumberType
}

// Masked is the number as shown afterwards: see Mask.
func (n Number) Masked() string { return maskParts(n.CallingCode, n.National) }

// allowedPunct are the characters allowed in a number besides digits and
// spaces.
const allowedPunct = "+-().\u00a0/"

// ParseNumber validates input as a phone number of region (the picker's
// choice), or of the region its own "+" calling code names. It refuses, in
// this order: empty input (ErrNumberEmpty); letters, including vanity
// numbers like 1-800-FLOWERS and extensions (ErrNumberLetters); other
// symbols (ErrNumberCharacters); an unknown region (ErrUnknownRegion) or
// calling code (ErrNumberCountryCode); too few or too many digits
// (ErrNumberTooShort, ErrNumberTooLong); numbers outside the region's
// valid ranges (ErrNumberInvalid); premium-rate (ErrNumberPremium) and
// shared-cost numbers (ErrNumberSharedCost). Toll-free, VoIP, personal and
// UAN numbers are accepted: people do receive calls on them.
//
// Digits in other scripts (Arabic-Indic, full-width) are accepted.
func ParseNumber(input, region string) (Number, error) {
	in := strings.TrimSpace(input)
	if in == "" {
		return Number{}, ErrNumberEmpty
	}
	for _, r := range in {
		switch {
		case unicode.IsDigit(r), unicode.IsSpace(r), strings.ContainsRune(allowedPunct, r):
		case unicode.IsLetter(r):
			return Number{}, ErrNumberLetters
		default:
			return Number{}, ErrNumberCharacters
		}
	}
	if strings.Count(in, "+") > 1 || (strings.Contains(in, "+") && !strings.HasPrefix(in, "+")) {
		return Number{}, ErrNumberCharacters
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if !phonenumbers.GetSupportedRegions()[region] {
		return Number{}, ErrUnknownRegion
	}
	if len(phonenumbers.NormalizeDigitsOnly(in)) < 2 {
		return Number{}, ErrNumberTooShort
	}
	p, err := phonenumbers.Parse(in, region)
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return Number{}, ErrNumberCountryCode
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return Number{}, ErrNumberTooShort
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return Number{}, ErrNumberTooLong
	case err != nil:
		return Number{}, ErrNumberInvalid
	}
	switch phonenumbers.IsPossibleNumberWithReason(p) {
	case phonenumbers.INVALID_COUNTRY_CODE:
		return Number{}, ErrNumberCountryCode
	case phonenumbers.TOO_SHORT, phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		// Local only: dialable within an area but missing its area code.
		return Number{}, ErrNumberTooShort
	case phonenumbers.TOO_LONG:
		return Number{}, ErrNumberTooLong
	}
	if !phonenumbers.IsValidNumber(p) {
		return Number{}, ErrNumberInvalid
	}
	typ := phonenumbers.GetNumberType(p)
	switch typ {
	case phonenumbers.PREMIUM_RATE:
		return Number{}, ErrNumberPremium
	case phonenumbers.SHARED_COST:
		return Number{}, ErrNumberSharedCost
	}
	return Number{
		E164:        phonenumbers.Format(p, phonenumbers.E164),
		Region:      phonenumbers.GetRegionCodeForNumber(p),
		CallingCode: int(p.GetCountryCode()),
		National:    phonenumbers.GetNationalSignificantNumber(p),
		Type:        typ,
	}, nil
}

// Mask shows an E.164 number the way it is shown once registered: the
// country calling code and the last 4 digits, the rest as bullets in
// groups of 3 ("+1 ••• ••• 1234", "+44 ••• ••• 3456", "+49 ••• •••• 6789").
// A number of fewer than 8 national digits shows fewer: 2 of 5 to 7, 1 of
// 4 or fewer. Input that is not E.164 is masked whole.
func Mask(e164 string) string {
	digits := strings.TrimPrefix(e164, "+")
	if digits == e164 || !isDigits(digits) {
		return strings.Repeat(bullet, 3)
	}
	p, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return strings.Repeat(bullet, 3)
	}
	return maskParts(int(p.GetCountryCode()), phonenumbers.GetNationalSignificantNumber(p))
}

const bullet = "•"

// maskParts masks a national significant number after its calling code.
func maskParts(cc int, national string) string {
	n := len(national)
	if n == 0 {
		return "+" + strconv.Itoa(cc) + " " + strings.Repeat(bullet, 3)
	}
	shown := 4
	switch {
	case n <= 4:
		shown = 1
	case n < 8:
		shown = 2
	}
	hidden := n - shown
	var groups []string
	for hidden > 0 {
		g := 3
		if hidden < 6 && hidden > 3 {
			g = hidden // 4 or 5: one group, not 3 and a stray 1 or 2
		} else if hidden < 3 {
			g = hidden
		}
		groups = append(groups, strings.Repeat(bullet, g))
		hidden -= g
	}
	return "+" + strconv.Itoa(cc) + " " + strings.Join(append(groups, national[n-shown:]), " ")
}

package phonenumbers

// Security Info's fork: tests of loading the metadata on first use.

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// TestMain checks, before any test touches the package, that its init
// decoded no metadata and compiled none of the package-level regular
// expressions; then that the short-number metadata loads when its
// collection is asked for before any lookup (upstream's loader then read a
// nil collection and panicked: only init's order hid it); then makes the
// first use of the phone metadata from several goroutines at once (under
// -race this finds unguarded loading).
// packageRegexps are the package-level regular expressions.
var packageRegexps = []*LazyRegexp{
	UNIQUE_INTERNATIONAL_PREFIX, PLUS_CHARS_PATTERN, SEPARATOR_PATTERN,
	NOT_SEPARATOR_PATTERN, CAPTURING_DIGIT_PATTERN, VALID_START_CHAR_PATTERN,
	SECOND_NUMBER_START_PATTERN, UNWANTED_END_CHAR_PATTERN,
	VALID_ALPHA_PHONE_PATTERN, EXTN_PATTERN, VALID_PHONE_NUMBER_PATTERN,
	NON_DIGITS_PATTERN, DIGITS_PATTERN, FIRST_GROUP_PATTERN, NP_PATTERN,
	FG_PATTERN, CC_PATTERN, FIRST_GROUP_ONLY_PREFIX_PATTERN,
	RFC3966_GLOBAL_NUMBER_DIGITS_PATTERN, RFC3966_DOMAINNAME_PATTERN,
}

func TestMain(m *testing.M) {
	fail := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "phonenumbers: "+format+"\n", a...)
		os.Exit(1)
	}
	if currentMetadata != nil || len(shortNumberRegionToMetadataMap) != 0 {
		fail("metadata decoded during package init")
	}
	for _, re := range packageRegexps {
		if re.rx != nil {
			fail("%s compiled during package init", re)
		}
	}

	if c, err := ShortNumberMetadataCollection(); err != nil || len(c.GetMetadata()) == 0 {
		fail("ShortNumberMetadataCollection: %v", err)
	}
	if !IsEmergencyNumber("112", "GB") {
		fail("112 is not an emergency number in GB")
	}

	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			switch i % 3 {
			case 0:
				if !GetSupportedRegions()["GB"] {
					errs <- "GetSupportedRegions has no GB"
				}
			case 1:
				n, err := Parse("+44 20 7946 0000", "")
				if err != nil || GetRegionCodeForNumber(n) != "GB" {
					errs <- fmt.Sprintf("Parse: %v", err)
				}
			case 2:
				if c, err := MetadataCollection(); err != nil || len(c.GetMetadata()) == 0 {
					errs <- fmt.Sprintf("MetadataCollection: %v", err)
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		fail("first use: %s", e)
	}
	// Each compiles when used (a typo would panic only now, not in init).
	for _, re := range packageRegexps {
		if re.Regexp() == nil || re.Regexp().String() != re.String() {
			fail("%s does not compile to itself", re)
		}
	}
	os.Exit(m.Run())
}

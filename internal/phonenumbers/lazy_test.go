package phonenumbers

// Security Info's fork: tests of loading the metadata on first use.

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// TestMain checks, before any test touches the package, that its init
// decoded no metadata; then that the short-number metadata loads when its
// collection is asked for before any lookup (upstream's loader then read a
// nil collection and panicked: only init's order hid it); then makes the
// first use of the phone metadata from several goroutines at once (under
// -race this finds unguarded loading).
func TestMain(m *testing.M) {
	fail := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "phonenumbers: "+format+"\n", a...)
		os.Exit(1)
	}
	if currentMetadata != nil || len(shortNumberRegionToMetadataMap) != 0 {
		fail("metadata decoded during package init")
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
	os.Exit(m.Run())
}

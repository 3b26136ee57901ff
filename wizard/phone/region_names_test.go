package phone_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/phone"
	"github.com/securityinfo/securityinfo/wizard/phone/internal/regiongen"
)

// The generated names are what the generator writes today for the
// languages the app speaks: a new language, a new region in phonenumbers'
// metadata or new CLDR data in golang.org/x/text makes this fail until
// `go generate ./wizard/phone` runs.
func TestRegionNamesUpToDate(t *testing.T) {
	want, err := regiongen.Generate(wizard.Languages)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("region_names.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("region_names.go is stale: run go generate ./wizard/phone")
	}
}

// Every language the app speaks names every region the picker offers in
// that language (not English in its place).
func TestRegionNames_EveryLanguage(t *testing.T) {
	defer phone.UseLanguage(language.English)
	for _, l := range wizard.Languages {
		phone.UseLanguage(language.Make(l))
		rs := phone.Regions()
		if len(rs) != len(phonenumbers.GetSupportedRegions()) {
			t.Errorf("%s: %d regions offered, phonenumbers supports %d", l, len(rs), len(phonenumbers.GetSupportedRegions()))
		}
		for _, r := range rs {
			name, ok := phone.RegionNameIn(r.Code, l)
			if !ok || r.Name != name || r.Name == r.Code {
				t.Errorf("%s: region %s offered as %q; its name in %s: %q, %v", l, r.Code, r.Name, l, name, ok)
			}
		}
	}
}

package phonenumbers

// Security Info's fork: upstream's TestGetGeocodingForNumber expects the
// country-name fallback that upstream takes from
// golang.org/x/text/language/display; the fork takes it from
// CountryNameFunc (see geocoding.go), set here as the documentation says.

import (
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

func init() {
	CountryNameFunc = func(lang language.Tag, region language.Region) string {
		return display.Regions(lang).Name(region)
	}
}

// Without CountryNameFunc the fallback gives no name (and no error), and
// the names from the geocoding data are unchanged.
func TestGetGeocodingForNumber_NoCountryNameFunc(t *testing.T) {
	saved := CountryNameFunc
	CountryNameFunc = nil
	defer func() { CountryNameFunc = saved }()
	for num, want := range map[string]string{
		"+447825602614":  "", // "United Kingdom" with display
		"+8613702032331": "Tianjin",
	} {
		number, err := Parse(num, "ZZ")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := GetGeocodingForNumber(number, "en"); err != nil || got != want {
			t.Errorf("GetGeocodingForNumber(%s) = %q, %v; want %q", num, got, err, want)
		}
	}
}

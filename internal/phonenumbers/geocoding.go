// Port of geocoder/geocoding/PhoneNumberOfflineGeocoder.java from google/libphonenumber.
// Functions are kept in upstream source order to ease syncing.
// Last reconciled against: v9.0.32
package phonenumbers

import (
	"golang.org/x/text/language"
)

// CountryNameFunc names a country or region in a language, for
// GetGeocodingForNumber's last fallback. Nil by default: that fallback
// then gives "".
//
// Security Info's fork: upstream names the region with
// golang.org/x/text/language/display, which every program linking this
// package then pays for whether it asks for a location or not: display's
// package init builds a matcher over its ~100 languages (a millisecond and
// 3,000 allocations at every start) and its tables are in the binary.
// Set this to restore upstream's behaviour:
//
//	phonenumbers.CountryNameFunc = func(lang language.Tag, region language.Region) string {
//		return display.Regions(lang).Name(region)
//	}
var CountryNameFunc func(lang language.Tag, region language.Region) string

// GetGeocodingForNumber returns the location we think the number was first acquired in. This is
// just our best guess, there is no guarantee to its accuracy.
func GetGeocodingForNumber(number *PhoneNumber, lang string) (string, error) {
	geocoding, _, err := getValueForNumber(geocodingPrefixMap, geocodingData, geocodingDataPath, lang, 10, number)
	if err != nil || geocoding != "" {
		return geocoding, err
	}

	// fallback to english
	geocoding, _, err = getValueForNumber(geocodingPrefixMap, geocodingData, geocodingDataPath, "en", 10, number)
	if err != nil || geocoding != "" {
		return geocoding, err
	}

	// fallback to locale
	var reg language.Region
	if reg, err = language.ParseRegion(GetRegionCodeForNumber(number)); err != nil {
		return "", err
	}

	var langT language.Tag
	if langT, err = language.Parse(lang); err != nil {
		langT = language.English // fallback to english
	}
	if CountryNameFunc == nil { // Security Info's fork: see CountryNameFunc
		return "", nil
	}
	return CountryNameFunc(langT, reg), nil
}

package phone

import (
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// FallbackRegion is the default region when neither the host nor the
// system locale names one.
const FallbackRegion = "US"

// Region is a country or region a phone number can belong to.
type Region struct {
	// Code is the ISO 3166-1 alpha-2 code as phonenumbers knows it ("GB";
	// also "AC" Ascension Island, "TA" Tristan da Cunha, "XK" Kosovo).
	Code string
	// Name is the region's name in the language set by UseLanguage
	// ("United Kingdom", "Vereinigtes Königreich").
	Name string
	// CallingCode is the country calling code (44).
	CallingCode int
}

// Label is how the picker shows the region: "United Kingdom (+44)".
func (r Region) Label() string { return r.Name + " (+" + strconv.Itoa(r.CallingCode) + ")" }

// regionAliases are other names people search for.
var regionAliases = map[string][]string{
	"GB": {"UK", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "Britain"},
	"US": {"USA", "America", "United States of America"},
	"AE": {"UAE"},
	"MM": {"Burma"},
	"CI": {"Ivory Coast"},
	"CZ": {"Czech Republic"},
	"NL": {"Holland"},
}

//go:generate go run ./internal/regiongen/cmd -langs en,de,fr,es -o region_names.go

// regionName is a row of the generated regionNames: a region's code and its
// name in each of regionNameLanguages.
type regionName struct {
	region string // ISO 3166 code
	names  [len(regionNameLanguages)]string
}

// regionNameIn returns the name of the region (its ISO code) in column col
// of regionNames, or "" if the table lacks the region.
func regionNameIn(region string, col int) string {
	i, ok := sort.Find(len(regionNames), func(i int) int { return strings.Compare(region, regionNames[i].region) })
	if !ok {
		return ""
	}
	return regionNames[i].names[col]
}

// namesColumn returns the column of regionNames in lang's base language
// ("de" for de-AT), English's (0) for a language it lacks.
func namesColumn(lang language.Tag) int {
	base, _ := lang.Base()
	for i, l := range regionNameLanguages {
		if l == base.String() {
			return i
		}
	}
	return 0
}

// namesLanguage is the language regions are named and sorted in.
var namesLanguage atomic.Pointer[language.Tag]

// UseLanguage names and sorts the regions in lang (English until called):
// the picker of a German reader offers "Deutschland (+49)". English names
// and the aliases stay searchable. Regions are named in the languages of
// wizard.Languages (by lang's base language, so de-AT reads German) and in
// English in any other. Call it before the picker is shown.
func UseLanguage(lang language.Tag) { namesLanguage.Store(&lang) }

// regionLists caches the sorted list per language.
var regionLists sync.Map // language.Tag → []Region

func regions() []Region {
	lang := language.English
	if l := namesLanguage.Load(); l != nil {
		lang = *l
	}
	if rs, ok := regionLists.Load(lang); ok {
		return rs.([]Region)
	}
	rs, _ := regionLists.LoadOrStore(lang, regionsIn(lang))
	return rs.([]Region)
}

// englishFolded returns the folded English name of the region code, so
// that "Germany" finds Deutschland in any language.
var englishFolded = func() func(string) string {
	m := sync.OnceValue(func() map[string]string {
		out := map[string]string{}
		for _, r := range regionsIn(language.English) {
			out[r.Code] = fold(r.Name)
		}
		return out
	})
	return func(code string) string { return m()[code] }
}()

func regionsIn(lang language.Tag) []Region {
	col := namesColumn(lang)
	var out []Region
	for code := range phonenumbers.GetSupportedRegions() {
		name := regionNameIn(code, col)
		if name == "" {
			name = code
		}
		out = append(out, Region{Code: code, Name: name, CallingCode: phonenumbers.GetCountryCodeForRegion(code)})
	}
	// By name ignoring case and accents (fold), as English collation
	// would, without its 1 MB of tables in the binary: every byte of it
	// is paged in at start.
	keys := make(map[string]string, len(out))
	for _, r := range out {
		keys[r.Code] = fold(r.Name)
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := keys[out[i].Code], keys[out[j].Code]; a != b {
			return a < b
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// Regions returns every region phonenumbers supports (about 245), sorted by
// name in the language set by UseLanguage. The caller may not modify the slice.
func Regions() []Region { return regions() }

// LookupRegion returns the region with the given code (any case).
func LookupRegion(code string) (Region, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, r := range regions() {
		if r.Code == code {
			return r, true
		}
	}
	return Region{}, false
}

// SearchRegions returns the regions matching query, for the searchable
// picker:
//   - "+44", "44" or "+4": regions whose calling code starts with those
//     digits, the code's main region first ("+1": United States first);
//   - "gb", "uk": the region with that code or alias first;
//   - any other text: regions whose name (or alias) contains it, ignoring
//     case and accents ("cote" finds Côte d’Ivoire), names starting with
//     it first.
//
// An empty query returns every region. Within each group the order is
// Regions' order.
func SearchRegions(query string) []Region {
	q := strings.TrimSpace(query)
	all := regions()
	if q == "" {
		return all
	}
	if digits := strings.TrimPrefix(q, "+"); digits != "" && isDigits(digits) {
		return searchCallingCode(all, digits)
	}
	fq := fold(q)
	var exact, prefix, contains []Region
	for _, r := range all {
		switch {
		case strings.EqualFold(r.Code, q) || aliasIs(r.Code, fq):
			exact = append(exact, r)
		case strings.HasPrefix(fold(r.Name), fq) || strings.HasPrefix(englishFolded(r.Code), fq) || aliasHas(r.Code, fq, strings.HasPrefix):
			prefix = append(prefix, r)
		case strings.Contains(fold(r.Name), fq) || strings.Contains(englishFolded(r.Code), fq) || aliasHas(r.Code, fq, strings.Contains):
			contains = append(contains, r)
		}
	}
	return append(append(exact, prefix...), contains...)
}

// searchCallingCode returns regions whose calling code starts with digits:
// exact matches first, the main region of a shared code before the rest.
func searchCallingCode(all []Region, digits string) []Region {
	var main, exact, prefix []Region
	for _, r := range all {
		cc := strconv.Itoa(r.CallingCode)
		switch {
		case cc == digits && phonenumbers.GetRegionCodeForCountryCode(r.CallingCode) == r.Code:
			main = append(main, r)
		case cc == digits:
			exact = append(exact, r)
		case strings.HasPrefix(cc, digits):
			prefix = append(prefix, r)
		}
	}
	return append(append(main, exact...), prefix...)
}

func aliasIs(code, fq string) bool {
	return aliasHas(code, fq, func(a, q string) bool { return a == q })
}

func aliasHas(code, fq string, match func(string, string) bool) bool {
	for _, a := range regionAliases[code] {
		if match(fold(a), fq) {
			return true
		}
	}
	return false
}

// fold lower-cases s, removes accents and makes apostrophes plain.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ReplaceAll(strings.ToLower(out), "’", "'")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// RegionFromLocale returns the region a POSIX locale or BCP 47 tag names,
// if phonenumbers supports it: "en_GB.UTF-8" gives "GB", "de-AT" gives
// "AT", "sr_RS@latin" gives "RS", "zh_Hant_TW" gives "TW". It returns ""
// for a locale without a region ("C", "POSIX", "en", "es_419").
func RegionFromLocale(lang string) string {
	lang = strings.TrimSpace(lang)
	if i := strings.IndexAny(lang, ".@"); i >= 0 {
		lang = lang[:i]
	}
	if lang == "" || lang == "C" || lang == "POSIX" {
		return ""
	}
	tag, err := language.Parse(strings.ReplaceAll(lang, "_", "-"))
	if err != nil {
		return ""
	}
	reg, conf := tag.Region()
	if conf != language.Exact {
		return ""
	}
	code := reg.String()
	if !phonenumbers.GetSupportedRegions()[code] {
		return ""
	}
	return code
}

// DefaultRegion returns the region the picker starts on when the policy
// names none (wizard.Policy.DefaultRegion wins). By default it is the
// region of the first of LC_ALL, LC_TELEPHONE and LANG that is set, else
// FallbackRegion. A host may replace it before starting setups.
var DefaultRegion = func() string {
	for _, v := range []string{"LC_ALL", "LC_TELEPHONE", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if r := RegionFromLocale(l); r != "" {
				return r
			}
			return FallbackRegion
		}
	}
	return FallbackRegion
}

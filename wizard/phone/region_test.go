package phone

import (
	"errors"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
)

func TestRegions(t *testing.T) {
	rs := Regions()
	if len(rs) != len(phonenumbers.GetSupportedRegions()) || len(rs) < 240 {
		t.Fatalf("%d regions, phonenumbers supports %d", len(rs), len(phonenumbers.GetSupportedRegions()))
	}
	seen := map[string]bool{}
	for i, r := range rs {
		if seen[r.Code] {
			t.Errorf("region %s twice", r.Code)
		}
		seen[r.Code] = true
		if r.Name == "" || r.Name == r.Code || r.CallingCode <= 0 {
			t.Errorf("region %+v lacks a readable name or calling code", r)
		}
		if i > 0 && fold(rs[i-1].Name) > fold(r.Name) && fold(rs[i-1].Name)[0] != fold(r.Name)[0] {
			t.Errorf("%q sorted before %q", rs[i-1].Name, r.Name)
		}
	}
	for code, want := range map[string]Region{
		"US": {"US", "United States", 1},
		"GB": {"GB", "United Kingdom", 44},
		"DE": {"DE", "Germany", 49},
		"AC": {"AC", "Ascension Island", 247},
		"XK": {"XK", "Kosovo", 383},
	} {
		if got, ok := LookupRegion(code); !ok || got != want {
			t.Errorf("LookupRegion(%s) = %+v, %v; want %+v", code, got, ok, want)
		}
	}
	if r, _ := LookupRegion("gb"); r.Label() != "United Kingdom (+44)" {
		t.Errorf("label %q", r.Label())
	}
	// Accented names sort with their letter, not after Z.
	idx := map[string]int{}
	for i, r := range rs {
		idx[r.Code] = i
	}
	if !(idx["AX"] < idx["BS"] && idx["CI"] < idx["DK"] && idx["CW"] < idx["DK"]) {
		t.Errorf("Åland at %d, Côte d’Ivoire at %d, Curaçao at %d, Denmark at %d", idx["AX"], idx["CI"], idx["CW"], idx["DK"])
	}
}

func TestSearchRegions(t *testing.T) {
	for _, tc := range []struct {
		query string
		first string   // the first result's code
		has   []string // also present
		not   []string // absent
	}{
		{"+44", "GB", []string{"GG", "IM", "JE"}, []string{"US", "DE"}},
		{"44", "GB", []string{"JE"}, []string{"US"}},
		{"+1", "US", []string{"CA", "JM", "PR"}, []string{"GB"}},
		{" +49 ", "DE", nil, []string{"GB"}},
		{"+4", "", []string{"GB", "DE", "CH", "SE"}, []string{"US", "FR"}},
		{"uk", "GB", []string{"UA"}, nil},
		{"gb", "GB", nil, nil},
		{"GERMANY", "DE", nil, nil},
		{"united", "AE", []string{"GB", "US"}, []string{"DE"}},
		{"kingdom", "GB", nil, []string{"US"}},
		{"cote", "CI", nil, nil},
		{"Côte", "CI", nil, nil},
		{"burma", "MM", nil, nil},
		{"zzzz", "", nil, []string{"US"}},
	} {
		got := SearchRegions(tc.query)
		codes := map[string]bool{}
		for _, r := range got {
			codes[r.Code] = true
		}
		if tc.first != "" && (len(got) == 0 || got[0].Code != tc.first) {
			t.Errorf("SearchRegions(%q) starts %v; want %s", tc.query, got[:min(3, len(got))], tc.first)
		}
		for _, c := range tc.has {
			if !codes[c] {
				t.Errorf("SearchRegions(%q) lacks %s", tc.query, c)
			}
		}
		for _, c := range tc.not {
			if codes[c] {
				t.Errorf("SearchRegions(%q) has %s", tc.query, c)
			}
		}
	}
	if len(SearchRegions("")) != len(Regions()) || len(SearchRegions("zzzz")) != 0 {
		t.Error("empty query must list every region, nonsense none")
	}
}

func TestRegionFromLocale(t *testing.T) {
	for in, want := range map[string]string{
		"en_GB.UTF-8":   "GB",
		"en_US.UTF-8":   "US",
		"de_AT":         "AT",
		"de-CH":         "CH",
		"fr_CA.utf8":    "CA",
		"sr_RS@latin":   "RS",
		"zh_Hant_TW":    "TW",
		"pt_BR.UTF-8":   "BR",
		"en_IN":         "IN",
		"C":             "",
		"C.UTF-8":       "",
		"POSIX":         "",
		"":              "",
		"en":            "",
		"en.UTF-8":      "",
		"es_419":        "",
		"not a locale!": "",
	} {
		if got := RegionFromLocale(in); got != want {
			t.Errorf("RegionFromLocale(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultRegion(t *testing.T) {
	for _, tc := range []struct{ all, tel, lang, want string }{
		{"", "", "en_GB.UTF-8", "GB"},
		{"", "de_DE.UTF-8", "en_GB.UTF-8", "DE"},
		{"fr_FR.UTF-8", "de_DE.UTF-8", "en_GB.UTF-8", "FR"},
		{"C.UTF-8", "", "en_GB.UTF-8", FallbackRegion},
		{"", "", "", FallbackRegion},
		{"", "", "en", FallbackRegion},
	} {
		t.Setenv("LC_ALL", tc.all)
		t.Setenv("LC_TELEPHONE", tc.tel)
		t.Setenv("LANG", tc.lang)
		if got := DefaultRegion(); got != tc.want {
			t.Errorf("%+v: DefaultRegion() = %q", tc, got)
		}
	}
}

func TestSetup_Region(t *testing.T) {
	old := DefaultRegion
	t.Cleanup(func() { DefaultRegion = old })
	DefaultRegion = func() string { return "GB" }
	e := newEnv(t) // newEnv then picks US
	fresh, err := NewSetup(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r := fresh.(*Setup).Region(); r.Code != "GB" {
		t.Fatalf("default region %+v, want GB", r)
	}
	DefaultRegion = func() string { return "QQ" }
	fresh, _ = NewSetup(e.ctx)
	if r := fresh.(*Setup).Region(); r.Code != FallbackRegion {
		t.Fatalf("region for an unknown default %+v, want %s", r, FallbackRegion)
	}
	// The policy's region wins over the locale's.
	ctx := e.ctx
	ctx.DefaultRegion = "DE"
	fresh, _ = NewSetup(ctx)
	if r := fresh.(*Setup).Region(); r.Code != "DE" {
		t.Fatalf("policy region: %+v, want DE", r)
	}
	ctx.DefaultRegion = "QQ"
	DefaultRegion = func() string { return "GB" }
	fresh, _ = NewSetup(ctx)
	if r := fresh.(*Setup).Region(); r.Code != "GB" {
		t.Fatalf("unknown policy region: %+v, want GB from the locale", r)
	}
	if err := e.s.SetRegion("QQ"); !errors.Is(err, ErrUnknownRegion) || e.s.Region().Code != "US" {
		t.Fatalf("SetRegion(QQ): %v, region %s", err, e.s.Region().Code)
	}
	if err := e.s.SetRegion("fr"); err != nil || e.s.Region().Code != "FR" {
		t.Fatalf("SetRegion(fr): %v", err)
	}
	// A national number is read in the picker's region.
	if err := e.s.Send("06 12 34 56 78", "sms"); err != nil || e.s.Number() != "+33612345678" {
		t.Fatalf("French national number: %v, %s", err, e.s.Number())
	}
	// A +44 number typed with France picked moves the picker to the UK.
	e.s.ChangeNumber()
	if err := e.s.Send("+44 7400 123456", "sms"); err != nil || e.s.Region().Code != "GB" {
		t.Fatalf("+44 number: %v, region %s", err, e.s.Region().Code)
	}
}

// In German the picker names and sorts regions in German, and the English
// name still finds them.
func TestRegions_InLanguage(t *testing.T) {
	UseLanguage(language.German)
	defer UseLanguage(language.English)
	if r, _ := LookupRegion("DE"); r.Label() != "Deutschland (+49)" {
		t.Errorf("DE in German: %q", r.Label())
	}
	if got := SearchRegions("Germany"); len(got) == 0 || got[0].Code != "DE" {
		t.Errorf("search Germany in German: %+v", got)
	}
	if got := SearchRegions("vereinigtes"); len(got) == 0 || got[0].Code != "GB" {
		t.Errorf("search vereinigtes: %+v", got)
	}
	rs := Regions()
	for i := 1; i < len(rs); i++ {
		if fold(rs[i-1].Name) > fold(rs[i].Name) {
			t.Errorf("%q sorted before %q", rs[i-1].Name, rs[i].Name)
		}
	}
}

package phonenumbers

// Security Info's fork: tests of decode.go and messages.go, which replace
// the protobuf runtime (README.md).

import (
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeEmbeddedMetadata(t *testing.T) {
	raw, err := decodeUnzip(numberData)
	if err != nil {
		t.Fatal(err)
	}
	coll, err := decodeMetadataCollection(raw)
	if err != nil {
		t.Fatal(err)
	}
	// 254 in v1.8.1: every region plus the non-geographic entities ("001").
	if n := len(coll.GetMetadata()); n < 240 {
		t.Fatalf("decoded %d regions, want about 250", n)
	}
	var de *PhoneMetadata
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "DE" {
			de = m
		}
	}
	if de == nil {
		t.Fatal("no metadata for DE")
	}
	checks := []struct{ what, got, want any }{
		{"country code", de.GetCountryCode(), int32(49)},
		{"international prefix", de.GetInternationalPrefix(), "00"},
		{"national prefix", de.GetNationalPrefix(), "0"},
		{"mobile number portable", de.GetMobileNumberPortableRegion(), true},
		{"fixed-line example", de.GetFixedLine().GetExampleNumber(), "30123456"},
		{"mobile example", de.GetMobile().GetExampleNumber(), "15123456789"},
		{"mobile lengths", de.GetMobile().GetPossibleLength(), []int32{10, 11}},
		{"local-only lengths", de.GetGeneralDesc().GetPossibleLengthLocalOnly(), []int32{2, 3}},
		{"formats", len(de.GetNumberFormat()), 19},
		{"first format pattern", de.GetNumberFormat()[0].GetPattern(), `(\d{2})(\d{3,13})`},
		{"first format", de.GetNumberFormat()[0].GetFormat(), "$1 $2"},
		{"first format rule", de.GetNumberFormat()[0].GetNationalPrefixFormattingRule(), "0$1"},
		{"second format leading digits", de.GetNumberFormat()[1].GetLeadingDigitsPattern(), []string{"227", "2277"}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("DE %s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	// The same through the package's own path.
	if cc := GetCountryCodeForRegion("DE"); cc != 49 {
		t.Errorf("GetCountryCodeForRegion(DE) = %d, want 49", cc)
	}

	raw, err = decodeUnzip(shortNumberData)
	if err != nil {
		t.Fatal(err)
	}
	short, err := decodeMetadataCollection(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range short.GetMetadata() {
		if m.GetId() == "DE" {
			if got := m.GetEmergency().GetNationalNumberPattern(); got != "11[02]" {
				t.Errorf("DE short-number emergency pattern %q, want 11[02]", got)
			}
			return
		}
	}
	t.Error("no short-number metadata for DE")
}

// encodeMessage is a protobuf encoder for these types driven by their
// struct tags (which protoc-gen-go wrote from the .proto files), so it does
// not share decode.go's field tables: a field number or type wrong there
// fails the round trip. Repeated int32s are written packed when packed is
// set, one field per value otherwise.
func encodeMessage(b []byte, v reflect.Value, packed bool) []byte {
	v = v.Elem()
	for i := 0; i < v.NumField(); i++ {
		tag, ok := parseFieldTag(v.Type().Field(i))
		if !ok {
			continue
		}
		f := v.Field(i)
		if f.Kind() == reflect.Slice {
			if packed && f.Type().Elem().Kind() == reflect.Int32 && f.Len() > 0 {
				var p []byte
				for j := 0; j < f.Len(); j++ {
					p = binary.AppendUvarint(p, uint64(f.Index(j).Int()))
				}
				b = appendBytesField(b, tag.number, p)
				continue
			}
			for j := 0; j < f.Len(); j++ {
				b = encodeField(b, tag, f.Index(j), packed)
			}
		} else if !f.IsNil() {
			b = encodeField(b, tag, f, packed)
		}
	}
	return b
}

func encodeField(b []byte, tag fieldTag, v reflect.Value, packed bool) []byte {
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		return appendBytesField(b, tag.number, encodeMessage(nil, v, packed))
	}
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return appendBytesField(b, tag.number, []byte(v.String()))
	case reflect.Bool:
		n := uint64(0)
		if v.Bool() {
			n = 1
		}
		return appendVarintField(b, tag.number, n)
	case reflect.Int32:
		return appendVarintField(b, tag.number, uint64(v.Int())) // sign-extended, as protobuf does
	}
	panic("unexpected kind " + v.Kind().String())
}

func appendVarintField(b []byte, num int, v uint64) []byte {
	b = binary.AppendUvarint(b, uint64(num)<<3|wireVarint)
	return binary.AppendUvarint(b, v)
}

func appendBytesField(b []byte, num int, p []byte) []byte {
	b = binary.AppendUvarint(b, uint64(num)<<3|wireBytes)
	b = binary.AppendUvarint(b, uint64(len(p)))
	return append(b, p...)
}

// fillAll sets every field of the message v points to, each to a value no
// other field has (counter), so a field decoded into the wrong place shows.
func fillAll(v reflect.Value, counter *int) {
	v = v.Elem()
	for i := 0; i < v.NumField(); i++ {
		if _, ok := parseFieldTag(v.Type().Field(i)); !ok {
			continue
		}
		f := v.Field(i)
		if f.Kind() == reflect.Slice {
			for j := 0; j < 2; j++ {
				e := reflect.New(f.Type().Elem()).Elem()
				fillValue(e, counter)
				f.Set(reflect.Append(f, e))
			}
			continue
		}
		p := reflect.New(f.Type().Elem())
		fillValue(p.Elem(), counter)
		f.Set(p)
	}
}

func fillValue(v reflect.Value, counter *int) {
	*counter++
	switch v.Kind() {
	case reflect.Pointer: // a message in a repeated field
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v, counter)
	case reflect.Struct:
		fillAll(v.Addr(), counter)
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", *counter))
	case reflect.Bool:
		v.SetBool(true) // false is the zero value: set and true is what shows
	case reflect.Int32:
		v.SetInt(int64(*counter) * 1000)
	case reflect.Uint64:
		v.SetUint(uint64(*counter) * 1000)
	}
}

func TestDecodeRoundTripEveryField(t *testing.T) {
	want := &PhoneMetadataCollection{}
	counter := 0
	fillAll(reflect.ValueOf(want), &counter)
	// Negative int32s are 10 bytes on the wire (possible lengths hold -1 for
	// "no numbers of this type").
	want.Metadata[0].GeneralDesc.PossibleLength = []int32{-1, 1 << 30}
	want.Metadata[1].CountryCode = int32Ptr(-7)

	for _, packed := range []bool{false, true} {
		got, err := decodeMetadataCollection(encodeMessage(nil, reflect.ValueOf(want), packed))
		if err != nil {
			t.Fatalf("packed=%v: %v", packed, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("packed=%v: round trip changed the collection:\n got %v\nwant %v", packed, got, want)
		}
	}
}

// TestDecodeProtobufSemantics: what proto.Unmarshal did with the cases a
// writer may produce that the embedded data happens not to contain.
func TestDecodeProtobufSemantics(t *testing.T) {
	var desc []byte
	desc = appendBytesField(desc, 2, []byte("first"))
	desc = appendVarintField(desc, 9, 4)
	var desc2 []byte
	desc2 = appendBytesField(desc2, 2, []byte("second")) // a scalar again: last wins
	desc2 = appendVarintField(desc2, 9, 5)               // repeated: appends
	desc2 = appendBytesField(desc2, 6, []byte("123"))

	var m []byte
	m = appendBytesField(m, 9, []byte("XX"))
	m = appendBytesField(m, 1, desc)
	m = appendVarintField(m, 99, 1)                                            // unknown varint
	m = appendBytesField(m, 98, []byte("unknown"))                             // unknown bytes
	m = append(binary.AppendUvarint(m, 97<<3|wireFixed64), make([]byte, 8)...) // unknown fixed64
	m = append(binary.AppendUvarint(m, 96<<3|wireFixed32), make([]byte, 4)...) // unknown fixed32
	m = appendVarintField(m, 11, 5)                                            // known field, wrong wire type: skipped
	m = appendBytesField(m, 1, desc2)                                          // a message again: merged
	m = appendVarintField(m, 22, 2)                                            // any non-zero varint is true

	got, err := decodeMetadataCollection(appendBytesField(nil, 1, m))
	if err != nil {
		t.Fatal(err)
	}
	want := &PhoneMetadataCollection{Metadata: []*PhoneMetadata{{
		Id: stringPtr("XX"),
		GeneralDesc: &PhoneNumberDesc{
			NationalNumberPattern: stringPtr("second"),
			PossibleLength:        []int32{4, 5},
			ExampleNumber:         stringPtr("123"),
		},
		MainCountryForCode: boolPtr(true),
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestDecodeMalformed(t *testing.T) {
	id := appendBytesField(nil, 9, []byte("XX"))
	format := appendBytesField(nil, 1, []byte("(\\d)"))
	cases := map[string][]byte{
		"truncated key":         {0x80},
		"truncated varint":      append(id, 0x50, 0x80), // country_code, no end byte
		"varint too long":       append(id, 0x50, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
		"length overruns":       append(id, 0x0a, 0x05, 0x12),
		"field number zero":     append(id, 0x00, 0x00),
		"group wire type":       append(id, 0x0b),
		"truncated fixed64":     append(id, 0x09, 0x00, 0x00),
		"missing id":            appendVarintField(nil, 10, 49),
		"format without format": append(id, appendBytesField(nil, 19, format)...),
	}
	for name, m := range cases {
		_, err := decodeMetadataCollection(appendBytesField(nil, 1, m))
		if !errors.Is(err, errMalformedMetadata) {
			t.Errorf("%s: got error %v, want errMalformedMetadata", name, err)
		}
	}
	// Cut anywhere, the embedded data gives an error or a shorter
	// collection, never a panic or a hang.
	raw, err := decodeUnzip(shortNumberData)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(raw); n += len(raw)/500 + 1 {
		_, _ = decodeMetadataCollection(raw[:n])
	}
}

func TestMergePhoneNumber(t *testing.T) {
	src := &PhoneNumber{
		CountryCode:       int32Ptr(49),
		NationalNumber:    uint64Ptr(30123456),
		Extension:         stringPtr("12"),
		CountryCodeSource: PhoneNumber_FROM_NUMBER_WITH_PLUS_SIGN.Enum(),
	}
	dst := &PhoneNumber{CountryCode: int32Ptr(1), RawInput: stringPtr("kept")}
	mergePhoneNumber(dst, src)
	want := &PhoneNumber{
		CountryCode:       int32Ptr(49),
		NationalNumber:    uint64Ptr(30123456),
		Extension:         stringPtr("12"),
		RawInput:          stringPtr("kept"),
		CountryCodeSource: PhoneNumber_FROM_NUMBER_WITH_PLUS_SIGN.Enum(),
	}
	if !reflect.DeepEqual(dst, want) {
		t.Fatalf("merged %v, want %v", dst, want)
	}
	// The copy has pointers of its own: editing through them leaves src be.
	*dst.CountryCode, *dst.Extension = 33, "9"
	if src.GetCountryCode() != 49 || src.GetExtension() != "12" {
		t.Errorf("merge shared fields with its source: %v", src)
	}
	mergePhoneNumber(dst, nil) // no-op, as proto.Merge with a nil source
	if dst.GetCountryCode() != 33 {
		t.Error("merging nil changed the destination")
	}
	// Every field is copied.
	full := &PhoneNumber{}
	counter := 0
	fillAll(reflect.ValueOf(full), &counter)
	cp := &PhoneNumber{}
	mergePhoneNumber(cp, full)
	if !reflect.DeepEqual(cp, full) {
		t.Errorf("copy %v\nwant %v", cp, full)
	}
}

func TestMergeNumberFormat(t *testing.T) {
	full := &NumberFormat{}
	counter := 0
	fillAll(reflect.ValueOf(full), &counter)
	cp := &NumberFormat{}
	mergeNumberFormat(cp, full)
	if !reflect.DeepEqual(cp, full) {
		t.Fatalf("copy %v\nwant %v", cp, full)
	}
	cp.LeadingDigitsPattern[0] = "changed"
	if full.LeadingDigitsPattern[0] == "changed" {
		t.Error("the copy's leading digits share the source's array")
	}
	// Repeated fields append; set scalars overwrite, unset ones stay.
	dst := &NumberFormat{Pattern: stringPtr("p"), Format: stringPtr("f"), LeadingDigitsPattern: []string{"1"}}
	mergeNumberFormat(dst, &NumberFormat{Format: stringPtr("g"), LeadingDigitsPattern: []string{"2"}})
	want := &NumberFormat{Pattern: stringPtr("p"), Format: stringPtr("g"), LeadingDigitsPattern: []string{"1", "2"}}
	if !reflect.DeepEqual(dst, want) {
		t.Errorf("merged %v, want %v", dst, want)
	}
}

func TestMessageString(t *testing.T) {
	n := &PhoneNumber{
		CountryCode:       int32Ptr(49),
		NationalNumber:    uint64Ptr(30123456),
		Extension:         stringPtr("1\"2"),
		CountryCodeSource: PhoneNumber_FROM_DEFAULT_COUNTRY.Enum(),
	}
	if got, want := n.String(), `country_code:49 national_number:30123456 extension:"1\"2" country_code_source:FROM_DEFAULT_COUNTRY`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	m := &PhoneMetadata{Id: stringPtr("XX"), GeneralDesc: &PhoneNumberDesc{PossibleLength: []int32{4, 5}}}
	if got, want := m.String(), `general_desc:{possible_length:4 possible_length:5} id:"XX"`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := PhoneNumber_CountryCodeSource(3).String(); got != "3" {
		t.Errorf("unnamed enum value: %q", got)
	}
	if got := (*PhoneNumber)(nil).String(); got != "" {
		t.Errorf("nil: %q", got)
	}
}

package phonenumbers

// Security Info's fork: what the protobuf runtime gave the message types
// (phonenumber.go, phonemetadata.go) and the package used, written out: the
// pointer helpers for optional fields (proto.String, proto.Int32...), the
// copies upstream made with proto.Merge, and String/Reset. See README.md.

import (
	"reflect"
	"strconv"
	"strings"
)

// Optional (proto2) fields are pointers, nil when unset; these take the
// address of a copy, as proto.String and friends did.
func stringPtr(v string) *string { return &v }
func int32Ptr(v int32) *int32    { return &v }
func uint64Ptr(v uint64) *uint64 { return &v }
func boolPtr(v bool) *bool       { return &v }

// mergePhoneNumber copies every field set in src into dst, as
// proto.Merge(dst, src) did: a set field of src overwrites dst's (with a
// pointer of dst's own), an unset one leaves dst's alone. A nil src changes
// nothing.
func mergePhoneNumber(dst, src *PhoneNumber) {
	if src == nil {
		return
	}
	if src.CountryCode != nil {
		dst.CountryCode = int32Ptr(*src.CountryCode)
	}
	if src.NationalNumber != nil {
		dst.NationalNumber = uint64Ptr(*src.NationalNumber)
	}
	if src.Extension != nil {
		dst.Extension = stringPtr(*src.Extension)
	}
	if src.ItalianLeadingZero != nil {
		dst.ItalianLeadingZero = boolPtr(*src.ItalianLeadingZero)
	}
	if src.NumberOfLeadingZeros != nil {
		dst.NumberOfLeadingZeros = int32Ptr(*src.NumberOfLeadingZeros)
	}
	if src.RawInput != nil {
		dst.RawInput = stringPtr(*src.RawInput)
	}
	if src.CountryCodeSource != nil {
		dst.CountryCodeSource = src.CountryCodeSource.Enum()
	}
	if src.PreferredDomesticCarrierCode != nil {
		dst.PreferredDomesticCarrierCode = stringPtr(*src.PreferredDomesticCarrierCode)
	}
}

// mergeNumberFormat is proto.Merge(dst, src) for NumberFormat: set scalar
// fields overwrite, the repeated LeadingDigitsPattern is appended to dst's
// (into a new array when dst has none, so the two never share one).
func mergeNumberFormat(dst, src *NumberFormat) {
	if src == nil {
		return
	}
	if src.Pattern != nil {
		dst.Pattern = stringPtr(*src.Pattern)
	}
	if src.Format != nil {
		dst.Format = stringPtr(*src.Format)
	}
	if len(src.LeadingDigitsPattern) > 0 {
		dst.LeadingDigitsPattern = append(dst.LeadingDigitsPattern, src.LeadingDigitsPattern...)
	}
	if src.NationalPrefixFormattingRule != nil {
		dst.NationalPrefixFormattingRule = stringPtr(*src.NationalPrefixFormattingRule)
	}
	if src.NationalPrefixOptionalWhenFormatting != nil {
		dst.NationalPrefixOptionalWhenFormatting = boolPtr(*src.NationalPrefixOptionalWhenFormatting)
	}
	if src.DomesticCarrierCodeFormattingRule != nil {
		dst.DomesticCarrierCodeFormattingRule = stringPtr(*src.DomesticCarrierCodeFormattingRule)
	}
}

// String gives the value's name, or its number when it has none (as the
// generated code did).
func (x PhoneNumber_CountryCodeSource) String() string {
	if name, ok := PhoneNumber_CountryCodeSource_name[int32(x)]; ok {
		return name
	}
	return strconv.Itoa(int(x))
}

// Reset clears every field.
func (x *PhoneNumber) Reset() { *x = PhoneNumber{} }

// Reset clears every field.
func (x *NumberFormat) Reset() { *x = NumberFormat{} }

// Reset clears every field.
func (x *PhoneNumberDesc) Reset() { *x = PhoneNumberDesc{} }

// Reset clears every field.
func (x *PhoneMetadata) Reset() { *x = PhoneMetadata{} }

// Reset clears every field.
func (x *PhoneMetadataCollection) Reset() { *x = PhoneMetadataCollection{} }

// String shows the fields that are set, in the protobuf text format (as
// prototext's compact form, which the generated String used, minus its
// deliberately random spacing), e.g. `country_code:1 national_number:650`.
func (x *PhoneNumber) String() string { return messageString(x) }

// String shows the fields that are set, in the protobuf text format.
func (x *NumberFormat) String() string { return messageString(x) }

// String shows the fields that are set, in the protobuf text format.
func (x *PhoneNumberDesc) String() string { return messageString(x) }

// String shows the fields that are set, in the protobuf text format.
func (x *PhoneMetadata) String() string { return messageString(x) }

// String shows the fields that are set, in the protobuf text format.
func (x *PhoneMetadataCollection) String() string { return messageString(x) }

// messageString writes a message by reflection over its struct tags (the
// field names are in them), so it stays right for all five types; it is for
// printing and debugging, not a hot path.
func messageString(m any) string {
	var b strings.Builder
	writeMessage(&b, reflect.ValueOf(m))
	return b.String()
}

func writeMessage(b *strings.Builder, v reflect.Value) {
	if v.IsNil() {
		return
	}
	v = v.Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag, ok := parseFieldTag(t.Field(i))
		if !ok {
			continue
		}
		f := v.Field(i)
		if f.Kind() == reflect.Slice {
			for j := 0; j < f.Len(); j++ {
				writeField(b, tag.name, f.Index(j))
			}
		} else if !f.IsNil() {
			writeField(b, tag.name, f)
		}
	}
}

func writeField(b *strings.Builder, name string, v reflect.Value) {
	if s := b.String(); s != "" && s[len(s)-1] != '{' {
		b.WriteByte(' ')
	}
	b.WriteString(name)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		b.WriteString(":{")
		writeMessage(b, v)
		b.WriteByte('}')
		return
	}
	b.WriteByte(':')
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if s, ok := v.Interface().(PhoneNumber_CountryCodeSource); ok {
		b.WriteString(s.String())
		return
	}
	switch v.Kind() {
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int32:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	}
}

// fieldTag is what a `protobuf:"varint,2,req,name=national_number,..."`
// struct tag says.
type fieldTag struct {
	wireType string // "varint" or "bytes" (strings and messages)
	number   int
	repeated bool
	name     string
}

func parseFieldTag(f reflect.StructField) (fieldTag, bool) {
	s, ok := f.Tag.Lookup("protobuf")
	if !ok {
		return fieldTag{}, false
	}
	parts := strings.Split(s, ",")
	if len(parts) < 4 {
		return fieldTag{}, false
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		return fieldTag{}, false
	}
	tag := fieldTag{wireType: parts[0], number: n, repeated: parts[2] == "rep"}
	for _, p := range parts[3:] {
		if name, ok := strings.CutPrefix(p, "name="); ok {
			tag.name = name
		}
	}
	return tag, true
}

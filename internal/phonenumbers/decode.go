package phonenumbers

// Security Info's fork: decodes the embedded metadata (a serialized
// PhoneMetadataCollection, see phonemetadata.proto) without the protobuf
// runtime, which upstream's proto.Unmarshal needed and nothing else in the
// program did (README.md).
//
// Why a reader of our own rather than google.golang.org/protobuf/encoding/
// protowire: protowire alone does not link the runtime, but it keeps the
// protobuf module in go.mod, and it imports internal/detrand, whose package
// init opens the executable and reads samples of it at every start. What
// this data needs is small: varints, length-delimited fields (strings,
// nested messages, packed repeated varints) and skipping the two fixed-size
// wire types should a later format add such fields.

import (
	"errors"
	"fmt"
)

// errMalformedMetadata is what decodeMetadataCollection's errors wrap.
var errMalformedMetadata = errors.New("phonenumbers: malformed metadata")

// Wire types (https://protobuf.dev/programming-guides/encoding/).
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// wireReader reads protobuf fields from a string: the whole collection is
// converted to one string up front, so every string field is a substring of
// it rather than an allocation and copy of its own.
type wireReader struct {
	buf string
	pos int
}

func (r *wireReader) done() bool { return r.pos >= len(r.buf) }

func (r *wireReader) varint() (uint64, error) {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		if r.pos >= len(r.buf) {
			return 0, fmt.Errorf("%w: truncated varint at byte %d", errMalformedMetadata, r.pos)
		}
		c := r.buf[r.pos]
		r.pos++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, nil
		}
	}
	return 0, fmt.Errorf("%w: varint longer than 10 bytes at byte %d", errMalformedMetadata, r.pos)
}

// bytes reads a length-delimited field's contents.
func (r *wireReader) bytes() (string, error) {
	n, err := r.varint()
	if err != nil {
		return "", err
	}
	if n > uint64(len(r.buf)-r.pos) {
		return "", fmt.Errorf("%w: field of %d bytes at byte %d overruns its message", errMalformedMetadata, n, r.pos)
	}
	s := r.buf[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return s, nil
}

// key reads a field's number and wire type.
func (r *wireReader) key() (num int, wireType int, err error) {
	k, err := r.varint()
	if err != nil {
		return 0, 0, err
	}
	num, wireType = int(k>>3), int(k&7)
	if num == 0 || k>>3 > 1<<29-1 {
		return 0, 0, fmt.Errorf("%w: invalid field number %d at byte %d", errMalformedMetadata, k>>3, r.pos)
	}
	return num, wireType, nil
}

// skip passes over a field this decoder does not know, as proto.Unmarshal
// did (it kept them as unknown fields, which nothing read).
func (r *wireReader) skip(wireType int) error {
	var n int
	switch wireType {
	case wireVarint:
		_, err := r.varint()
		return err
	case wireBytes:
		_, err := r.bytes()
		return err
	case wireFixed64:
		n = 8
	case wireFixed32:
		n = 4
	default: // groups (3, 4) are not used by these messages; 6, 7 are invalid
		return fmt.Errorf("%w: unsupported wire type %d at byte %d", errMalformedMetadata, wireType, r.pos)
	}
	if len(r.buf)-r.pos < n {
		return fmt.Errorf("%w: truncated fixed-size field at byte %d", errMalformedMetadata, r.pos)
	}
	r.pos += n
	return nil
}

// The typed readers set their field only when its wire type is the one the
// schema gives; a field of the right number but another type is skipped, as
// proto.Unmarshal did (it kept it as an unknown field).

func (r *wireReader) readString(wireType int, dst **string) error {
	if wireType != wireBytes {
		return r.skip(wireType)
	}
	s, err := r.bytes()
	if err != nil {
		return err
	}
	*dst = &s
	return nil
}

func (r *wireReader) readInt32(wireType int, dst **int32) error {
	if wireType != wireVarint {
		return r.skip(wireType)
	}
	v, err := r.varint()
	if err != nil {
		return err
	}
	// A negative int32 is sign-extended to 64 bits on the wire; the
	// conversion keeps the low 32, as protobuf does.
	i := int32(v)
	*dst = &i
	return nil
}

func (r *wireReader) readBool(wireType int, dst **bool) error {
	if wireType != wireVarint {
		return r.skip(wireType)
	}
	v, err := r.varint()
	if err != nil {
		return err
	}
	b := v != 0
	*dst = &b
	return nil
}

// appendInt32s reads a repeated int32, which a writer may send either one
// value per field (proto2's default, as phonemetadata.proto declares it) or
// packed into one length-delimited field; parsers must accept both.
func (r *wireReader) appendInt32s(wireType int, dst *[]int32) error {
	switch wireType {
	case wireVarint:
		v, err := r.varint()
		if err != nil {
			return err
		}
		*dst = append(*dst, int32(v))
		return nil
	case wireBytes:
		packed, err := r.bytes()
		if err != nil {
			return err
		}
		sub := wireReader{buf: packed}
		for !sub.done() {
			v, err := sub.varint()
			if err != nil {
				return err
			}
			*dst = append(*dst, int32(v))
		}
		return nil
	}
	return r.skip(wireType)
}

func (r *wireReader) appendString(wireType int, dst *[]string) error {
	var s *string
	if err := r.readString(wireType, &s); err != nil || s == nil {
		return err
	}
	*dst = append(*dst, *s)
	return nil
}

// readMessage decodes an embedded message field into *dst (allocated if
// nil, merged into if not) with decode.
func readMessage[M any](r *wireReader, wireType int, dst **M, decode func(*wireReader, *M) error) error {
	if wireType != wireBytes {
		return r.skip(wireType)
	}
	s, err := r.bytes()
	if err != nil {
		return err
	}
	if *dst == nil {
		*dst = new(M)
	}
	return decode(&wireReader{buf: s}, *dst)
}

// appendMessage decodes one element of a repeated message field.
func appendMessage[M any](r *wireReader, wireType int, dst *[]*M, decode func(*wireReader, *M) error) error {
	var m *M
	if err := readMessage(r, wireType, &m, decode); err != nil || m == nil {
		return err
	}
	*dst = append(*dst, m)
	return nil
}

// decodeMetadataCollection decodes a serialized PhoneMetadataCollection,
// with proto.Unmarshal's semantics for this schema: a repeated field appends,
// a scalar seen twice keeps the last value, an embedded message seen twice is
// merged, unknown fields are skipped and a missing required field is an error.
func decodeMetadataCollection(data []byte) (*PhoneMetadataCollection, error) {
	coll := &PhoneMetadataCollection{}
	if err := decodeCollection(&wireReader{buf: string(data)}, coll); err != nil {
		return nil, err
	}
	return coll, nil
}

func decodeCollection(r *wireReader, c *PhoneMetadataCollection) error {
	for !r.done() {
		num, wt, err := r.key()
		if err != nil {
			return err
		}
		if num == 1 {
			err = appendMessage(r, wt, &c.Metadata, decodePhoneMetadata)
		} else {
			err = r.skip(wt)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// descField is the PhoneNumberDesc field of m with that number, or nil.
func (m *PhoneMetadata) descField(num int) **PhoneNumberDesc {
	switch num {
	case 1:
		return &m.GeneralDesc
	case 2:
		return &m.FixedLine
	case 3:
		return &m.Mobile
	case 4:
		return &m.TollFree
	case 5:
		return &m.PremiumRate
	case 6:
		return &m.SharedCost
	case 7:
		return &m.PersonalNumber
	case 8:
		return &m.Voip
	case 21:
		return &m.Pager
	case 24:
		return &m.NoInternationalDialling
	case 25:
		return &m.Uan
	case 27:
		return &m.Emergency
	case 28:
		return &m.Voicemail
	case 29:
		return &m.ShortCode
	case 30:
		return &m.StandardRate
	case 31:
		return &m.CarrierSpecific
	case 33:
		return &m.SmsServices
	}
	return nil
}

// stringField is the optional string field of m with that number, or nil.
func (m *PhoneMetadata) stringField(num int) **string {
	switch num {
	case 9:
		return &m.Id
	case 11:
		return &m.InternationalPrefix
	case 12:
		return &m.NationalPrefix
	case 13:
		return &m.PreferredExtnPrefix
	case 15:
		return &m.NationalPrefixForParsing
	case 16:
		return &m.NationalPrefixTransformRule
	case 17:
		return &m.PreferredInternationalPrefix
	case 23:
		return &m.LeadingDigits
	}
	return nil
}

// boolField is the optional bool field of m with that number, or nil.
func (m *PhoneMetadata) boolField(num int) **bool {
	switch num {
	case 18:
		return &m.SameMobileAndFixedLinePattern
	case 22:
		return &m.MainCountryForCode
	case 26:
		return &m.LeadingZeroPossible
	case 32:
		return &m.MobileNumberPortableRegion
	}
	return nil
}

func decodePhoneMetadata(r *wireReader, m *PhoneMetadata) error {
	for !r.done() {
		num, wt, err := r.key()
		if err != nil {
			return err
		}
		if d := m.descField(num); d != nil {
			err = readMessage(r, wt, d, decodePhoneNumberDesc)
		} else if s := m.stringField(num); s != nil {
			err = r.readString(wt, s)
		} else if b := m.boolField(num); b != nil {
			err = r.readBool(wt, b)
		} else {
			switch num {
			case 10:
				err = r.readInt32(wt, &m.CountryCode)
			case 19:
				err = appendMessage(r, wt, &m.NumberFormat, decodeNumberFormat)
			case 20:
				err = appendMessage(r, wt, &m.IntlNumberFormat, decodeNumberFormat)
			default:
				err = r.skip(wt)
			}
		}
		if err != nil {
			return err
		}
	}
	if m.Id == nil {
		return fmt.Errorf("%w: PhoneMetadata without its required id", errMalformedMetadata)
	}
	return nil
}

func decodePhoneNumberDesc(r *wireReader, d *PhoneNumberDesc) error {
	for !r.done() {
		num, wt, err := r.key()
		if err != nil {
			return err
		}
		switch num {
		case 2:
			err = r.readString(wt, &d.NationalNumberPattern)
		case 6:
			err = r.readString(wt, &d.ExampleNumber)
		case 9:
			err = r.appendInt32s(wt, &d.PossibleLength)
		case 10:
			err = r.appendInt32s(wt, &d.PossibleLengthLocalOnly)
		default:
			err = r.skip(wt)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func decodeNumberFormat(r *wireReader, f *NumberFormat) error {
	for !r.done() {
		num, wt, err := r.key()
		if err != nil {
			return err
		}
		switch num {
		case 1:
			err = r.readString(wt, &f.Pattern)
		case 2:
			err = r.readString(wt, &f.Format)
		case 3:
			err = r.appendString(wt, &f.LeadingDigitsPattern)
		case 4:
			err = r.readString(wt, &f.NationalPrefixFormattingRule)
		case 5:
			err = r.readString(wt, &f.DomesticCarrierCodeFormattingRule)
		case 6:
			err = r.readBool(wt, &f.NationalPrefixOptionalWhenFormatting)
		default:
			err = r.skip(wt)
		}
		if err != nil {
			return err
		}
	}
	if f.Pattern == nil || f.Format == nil {
		return fmt.Errorf("%w: NumberFormat without its required pattern and format", errMalformedMetadata)
	}
	return nil
}
